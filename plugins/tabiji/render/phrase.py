"""Japanese phrase boundaries with BudouX's own model, scored about 3x faster.

``budoux.Parser.parse`` looks up 13 features in 13 dicts at every character, and it was
the largest single cost of a build (benchmark: ~6 ms per journey). Here the same model is
folded into three dicts (unigram, bigram, trigram -> weights at each offset), so each
character costs three lookups; a test checks the output equals BudouX's on real and
random text. The model and its updates still come from the ``budoux`` package.
"""

from __future__ import annotations

import re
from functools import lru_cache

import budoux

_FEATURES = (("UW1", "UW2", "UW3", "UW4", "UW5", "UW6"), ("BW1", "BW2", "BW3"), ("TW1", "TW2", "TW3", "TW4"))


def _fold(model: dict[str, dict[str, int]], names: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """{feature: {gram: w}} for one gram length -> {gram: (w at each feature offset)}."""
    folded: dict[str, list[int]] = {}
    for k, name in enumerate(names):
        for gram, weight in model.get(name, {}).items():
            folded.setdefault(gram, [0] * len(names))[k] = weight
    return {gram: tuple(ws) for gram, ws in folded.items()}


class PhraseSplitter:
    """``split(text)`` returns exactly what ``budoux.Parser(model).parse(text)`` returns."""

    def __init__(self, model: dict[str, dict[str, int]]):
        self._uni, self._bi, self._tri = (_fold(model, names) for names in _FEATURES)
        self._base = -sum(sum(g.values()) for g in model.values()) * 0.5

    def split(self, text: str) -> list[str]:
        n = len(text)
        if n < 2:
            return [text] if text else []
        # score[i + 2] decides a break before text[i]; two slots of padding on each side
        # catch the weights of windows that reach past the text, which BudouX skips.
        # Adding each gram's weights at the boundaries it reaches is BudouX's sum.
        score = [self._base] * (n + 6)
        uni, bi, tri = self._uni.get, self._bi.get, self._tri.get
        for j, ch in enumerate(text):
            w = uni(ch)
            if w is not None:  # UW1..UW6 score the boundaries j+3 .. j-2
                score[j + 5] += w[0]
                score[j + 4] += w[1]
                score[j + 3] += w[2]
                score[j + 2] += w[3]
                score[j + 1] += w[4]
                score[j] += w[5]
        for j in range(n - 1):
            w = bi(text[j : j + 2])
            if w is not None:  # BW1..BW3 score j+2, j+1, j
                score[j + 4] += w[0]
                score[j + 3] += w[1]
                score[j + 2] += w[2]
        for j in range(n - 2):
            w = tri(text[j : j + 3])
            if w is not None:  # TW1..TW4 score j+3 .. j
                score[j + 5] += w[0]
                score[j + 4] += w[1]
                score[j + 3] += w[2]
                score[j + 2] += w[3]
        chunks, start = [], 0
        for i in range(1, n):
            if score[i + 2] > 0:
                chunks.append(text[start:i])
                start = i
        chunks.append(text[start:])
        return chunks


JAPANESE = PhraseSplitter(budoux.load_default_japanese_parser().model)


# ------------------------------------------------------------------ line-breaking rules

# JIS X 4051 kinsoku (the strict set, as CSS ``line-break: strict``): characters that may
# not start a line (closing brackets, punctuation, middle dots, iteration marks, the long
# vowel mark, small kana) and characters that may not end one (opening brackets).
NO_START = frozenset(
    ")]}）］｝〕〉》」』】〙〗〟’”｠»"  # closing brackets and quotes
    "、。，．,.：；:;！？!?‼⁇⁈⁉"  # punctuation
    "・･‐゠–〜～"  # middle dots, hyphens, wave dash
    "ヽヾゝゞ々〻ー"  # iteration marks, long vowel mark
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯｰ"  # small kana
    "%％‰℃°"  # units that follow a number
)
NO_END = frozenset("([{（［｛〔〈《「『【〘〖〝‘“｟«")

# A phrase longer than this (in characters) is split further: first where the script
# changes (katakana to kanji or kana, and back) or after a middle dot, then near its middle. A
# browser with ``word-break: keep-all`` breaks a phrase wider than its column at an
# arbitrary character, with no regard for the rules above. Journey map columns hold 7
# characters (LONG); roadmap columns and pages 10 (WIDE), and every split costs a <wbr>.
LONG = 7
WIDE = 10
SHORT_JOIN = LONG  # see line_chunks: a joined phrase still fits a journey column
# where the script changes inside a phrase: a word's end (ジャーニー|です, シート|記入)
TURNS = ({"kata", "kanji"}, {"kata", "hira"})


@lru_cache(maxsize=8192)  # per character: called at every place a long phrase might be cut
def _script(ch: str) -> str:
    o = ord(ch)
    if 0x30A0 <= o <= 0x30FF or 0xFF66 <= o <= 0xFF9F:
        return "kata"
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or ch in "々〆":
        return "kanji"
    if 0x3040 <= o <= 0x309F:
        return "hira"
    return "latin" if ch.isascii() and ch.isalnum() else "other"


# A katakana word (a middle dot separates two): kept whole when it is at most one character
# wider than the column (ウェルカ|ムメール reads as two words); a longer one is cut as any phrase.
_KATA_RUN = re.compile("[\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9f]+")
KATA_SLACK = 1


def _inside_words(chunk: str, long: int) -> set[int]:
    """The places inside ``chunk``'s katakana words of at most ``long + KATA_SLACK`` characters."""
    return {i for m in _KATA_RUN.finditer(chunk) if m.end() - m.start() <= long + KATA_SLACK
            for i in range(m.start() + 1, m.end())}


def may_break(before: str, after: str) -> bool:
    """Whether a line may end after ``before`` and the next start with ``after`` (one
    character each), by the kinsoku rules; spaces are left to the browser."""
    return after not in NO_START and before not in NO_END and not before.isspace() and not after.isspace()


def _cuttable(chunk: str, i: int) -> bool:
    a, b = chunk[i - 1], chunk[i]
    # never inside a Latin word or a number
    return may_break(a, b) and not (_script(a) == _script(b) == "latin")


def _split_long(chunk: str, long: int) -> list[str]:
    """A phrase of more than ``long`` characters in parts of at most ``long`` where possible,
    cut only where the kinsoku rules allow and never inside a katakana word that nearly fits;
    no part is shorter than 2 characters."""
    if len(chunk) <= long:
        return [chunk]
    inside = _inside_words(chunk, long)
    turns = [i for i in range(2, len(chunk) - 1) if i not in inside and _cuttable(chunk, i)
             and (chunk[i - 1] in "・･" or {_script(chunk[i - 1]), _script(chunk[i])} in TURNS)]
    if turns:  # the turn nearest the middle, then each side again
        cut = min(turns, key=lambda i: abs(2 * i - len(chunk)))
    else:
        places = [i for i in range(2, len(chunk) - 1) if i not in inside and _cuttable(chunk, i)]
        if not places:
            return [chunk]
        cut = min(places, key=lambda i: abs(2 * i - len(chunk)))
    return _split_long(chunk[:cut], long) + _split_long(chunk[cut:], long)


def line_chunks(chunks: list[str] | tuple[str, ...], long: int = WIDE) -> list[str]:
    """Phrases joined where a line may not break between them (JIS X 4051), long phrases
    split where the script changes: every boundary between the returned chunks is a place
    a line may break. The chunks rejoin to the same text."""
    out: list[str] = []
    for chunk in chunks:
        for part in ((chunk,) if len(chunk) <= long else _split_long(chunk, long)):
            # a 1-2 character phrase (なる, 担う) goes with the one before while both fit a
            # short line: one break opportunity less, and no lonely word on a line
            if out:
                last, first = out[-1], part[0]
                end = last[-1]
                if (first in NO_START or end in NO_END or end.isspace() or first.isspace()
                        or (len(part) <= 2 and len(last) + len(part) <= SHORT_JOIN)):
                    out[-1] = last + part
                    continue
            out.append(part)
    return out
