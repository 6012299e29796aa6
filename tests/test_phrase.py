"""The folded phrase splitter must give exactly BudouX's phrases."""

from __future__ import annotations

import random
import re
from pathlib import Path

import budoux
import pytest
import yaml

from tabiji.render.phrase import JAPANESE

ROOT = Path(__file__).resolve().parent.parent
BUDOUX = budoux.load_default_japanese_parser()


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _example_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "journeys").rglob("*.yml")):
        texts.extend(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return texts


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    # Kana, common kanji from the model, punctuation, Latin, digits, spaces and emoji.
    alphabet = [chr(c) for c in range(0x3041, 0x30FF)] + list("日本語漢字導入活用定着契約更新顧客成功。、！？「」（）・ー abcXYZ019😀")
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(count)]


def test_example_texts_split_like_budoux():
    texts = _example_texts()
    assert len(texts) > 300  # the example is really read
    for text in texts:
        assert JAPANESE.split(text) == BUDOUX.parse(text), text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_texts_split_like_budoux(seed):
    texts = _random_texts(3000, seed)
    differing = [t for t in texts if JAPANESE.split(t) != BUDOUX.parse(t)]
    assert differing == []


def test_phrases_rejoin_to_the_text_and_break_somewhere():
    text = "導入担当者がオンボーディング資料を社内で共有する"
    parts = JAPANESE.split(text)
    assert "".join(parts) == text
    assert len(parts) > 2
    assert JAPANESE.split("") == [] and JAPANESE.split("あ") == ["あ"]


# ------------------------------------------------------------------ line-breaking rules (kinsoku)

from tabiji.render.phrase import LONG, NO_END, NO_START, WIDE  # noqa: E402
from tabiji.render.svg import wrap  # noqa: E402
from tabiji.render.text import phrases, wrap_html  # noqa: E402


def _boundaries_ok(parts) -> bool:
    return all(not b.startswith(tuple(NO_START)) and not a.endswith(tuple(NO_END)) for a, b in zip(parts, parts[1:]))


@pytest.mark.parametrize("seed", [4, 5])
def test_no_phrase_break_before_closing_or_after_opening_punctuation(seed):
    texts = _example_texts() + _random_texts(2000, seed) + ["（変形労働時間制、夜勤手当の区分）", "ジャーニーです。事務局"]
    for text in texts:
        parts = phrases(text, LONG)
        assert "".join(parts) == text
        assert _boundaries_ok(parts), (text, parts)
        for part in wrap_html(text, LONG).split("<wbr>")[1:]:  # every <wbr> is a legal break
            assert part[:1] not in NO_START, (text, part)
        solid = text.replace(" ", "")  # a line may start after a space (Latin word wrap)
        if any(all(c in NO_START for c in solid[i:i + 3]) for i in range(len(solid) - 2)):
            continue  # random runs like 。ゅェ cannot all be kept off a line's start
        for line in wrap(solid, 12)[1:]:  # and every line of the standalone SVG
            assert line[:1] not in NO_START, (solid, wrap(solid, 12))


def test_long_phrases_are_split_where_a_line_may_break():
    assert phrases("SSO・アカウント連携", LONG) == ("SSO・", "アカウント連携")  # after the middle dot
    assert phrases("ヒアリングシート記入", LONG) == ("ヒアリングシート", "記入")  # where the script turns
    assert all(len(p) <= LONG for p in phrases("導入担当者がオンボーディング資料を社内で共有する", LONG)
               if not p.startswith("オンボーディング"))
    assert phrases("カスタマーサクセス") == ("カスタマーサクセス",)  # 9 characters: whole in a page
    assert phrases("Excelの旧運用") [0].startswith("Excel")  # never inside a Latin word


def test_wrap_html_is_idempotent_and_leaves_out_breaks_the_browser_makes():
    text = "契約から本稼働までの導入期のジャーニーです。事務局となる管理者（中村さん）を中心に、SSO・アカウント連携を担う"
    once = wrap_html(text)
    assert wrap_html(once) == once
    assert "。<wbr>" not in once and "、<wbr>" not in once and "<wbr>（" not in once
    assert once.count("<wbr>") < len(phrases(text)) - 1  # fewer tags than phrase boundaries
    assert once.replace("<wbr>", "") == text


@pytest.mark.parametrize("text", ["ウェルカムメールを受け取り", "ヒアリングシート記入", "ダッシュボードで確認する",
                                  "オンボーディングの完了", "ヘルススコアを見る"])
@pytest.mark.parametrize("long", [LONG, WIDE])
def test_a_katakana_word_that_nearly_fits_is_never_cut(text, long):
    """Issue 16: ウェルカ|ムメール in a narrow column reads as two words. A katakana word of at
    most one character more than the column is kept whole; the text still breaks after it."""
    parts = phrases(text, long)
    assert "".join(parts) == text
    word = re.match(KATA, text).group(0)
    assert len(word) <= long + 1
    assert any(p.startswith(word) for p in parts), parts
    assert len(parts) > 1 or len(text) <= long


def test_a_longer_katakana_word_is_cut_where_a_line_may_break():
    parts = phrases("キックオフミーティングに参加", LONG)
    assert parts[0] == "キックオフ" and "".join(parts) == "キックオフミーティングに参加"
    for a, b in zip(parts, parts[1:]):
        assert b[0] not in NO_START and a[-1] not in NO_END


def test_a_line_may_break_after_a_middle_dot_between_katakana_words():
    assert phrases("オンボーディング・ヘルススコア", LONG) == ("オンボーディング・", "ヘルススコア")


def test_katakana_words_in_the_example_that_nearly_fit_are_kept_whole():
    found = 0
    for text in _example_texts():
        for long in (LONG, WIDE):
            parts = phrases(text, long)
            cuts, at = set(), 0
            for part in parts[:-1]:
                at += len(part)
                cuts.add(at)
            for m in re.finditer(KATA, text):
                if 5 <= len(m.group(0)) <= long + 1:
                    found += 1
                    assert not any(m.start() < c < m.end() for c in cuts), (m.group(0), parts)
    assert found > 20


KATA = "[\u30a1-\u30fa\u30fc]+"
