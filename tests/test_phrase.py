"""The folded phrase splitter must give exactly BudouX's phrases."""

from __future__ import annotations

import random
from pathlib import Path

import budoux
import pytest
import yaml

from tabiji.phrase import JAPANESE

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
