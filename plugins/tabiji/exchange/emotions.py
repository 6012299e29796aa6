"""Emotion scores as teams write them: a word with a number in any spelling (期待 (+1), +1 期待,
混乱▲2, full-width digits), other scales (1–5, 0–10), or only a word or a face."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from tabiji.core import model as m

NUMBER = re.compile(r"[+\-]?\d+(?:\.\d+)?")
# emotion words (and faces) with the score they suggest, when a cell has no number
FEELINGS = {
    2: ["感動", "最高", "大満足", "歓喜", "😍", "🤩", "😄", "😆"],
    1: ["期待", "安心", "安堵", "嬉しい", "うれしい", "満足", "楽しい", "喜び", "手応え", "ワクワク", "わくわく",
        "納得", "好感", "😊", "🙂", "😀", "😃", "happy", "glad", "relieved", "hopeful", "satisfied", "excited"],
    0: ["普通", "迷い", "検討", "様子見", "😐", "neutral"],
    -1: ["期待外れ", "不満足", "不安", "不満", "困惑", "戸惑い", "面倒", "焦り", "疲れ", "イライラ", "心配", "混乱", "がっかり", "モヤモヤ",
         "もやもや", "😟", "🙁", "😕", "😞", "worried", "confused", "annoyed", "anxious", "frustrated"],
    -2: ["怒り", "失望", "絶望", "あきらめ", "諦め", "最悪", "😡", "😠", "😭", "😫", "angry", "furious"],
}


def parse_emotion(text: str) -> tuple[float | None, str]:
    """A score and the words around it: '期待 (+1)', '+1 期待', '不安：-2', '３' (full width)."""
    stars = text.count("★")
    if stars and not NUMBER.search(unicodedata.normalize("NFKC", text)):  # ★★★☆☆: three on a 1–5 scale
        return float(stars), text.replace("★", "").replace("☆", "").strip()
    t = unicodedata.normalize("NFKC", text).replace("−", "-").replace("▲", "-").replace("△", "-")
    numbers = list(NUMBER.finditer(t))
    if not numbers:
        return None, text.strip()
    # the number at the start or the end of the cell is the score
    pick = numbers[-1] if t.rstrip(" )）]】").endswith(numbers[-1].group()) else numbers[0]
    score = float(pick.group())
    rest = (t[: pick.start()] + t[pick.end():])
    rest = re.sub(r"[\(（\[【]\s*[\)）\]】]", "", rest).strip(" \t:：、,()（）[]【】点")
    return score, rest


def scale_for(scores: list[float]):
    """Scores of another scale (1–5, 0–10, 1–10) mapped onto -2..+2; others rounded and clamped."""
    if not scores:
        return lambda s: s
    lo, hi = min(scores), max(scores)
    if lo >= m.EMOTION_MIN and hi <= m.EMOTION_MAX:
        return lambda s: int(round(s))
    if lo >= 1 and hi <= 5:
        return lambda s: int(round(s)) - 3
    if lo >= 0 and hi <= 10:
        return lambda s: max(m.EMOTION_MIN, min(m.EMOTION_MAX, int(round((s - 5) / 2.5))))
    if lo >= -100 and hi <= 100:
        return lambda s: max(m.EMOTION_MIN, min(m.EMOTION_MAX, int(round(s / 50))))
    return lambda s: max(m.EMOTION_MIN, min(m.EMOTION_MAX, int(round(s))))


def feeling_score(label: Any) -> int | None:
    text = plain(label)
    if not text:
        return None
    low = text.casefold()
    for score in (-2, 2, -1, 1, 0):  # negatives first: 不満足 holds 満足, 期待外れ holds 期待
        if any(word.casefold() in low for word in FEELINGS[score]):
            return score
    return None


def plain(value: Any) -> str:
    if isinstance(value, dict):
        return next(iter(value.values()), "")
    if isinstance(value, list):
        return " ".join(plain(v) for v in value)
    return value or ""


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
