"""The sheet as data: rows of cell texts with horizontal spans, shared by export and import.

A cell holding a list is written as bullet lines (``・a`` newline ``・b``); a text in several
languages is written in the sheet's language, with one extra row per other language
(label ``… [en]``) right below it. Both directions use the functions here, so what export
writes import reads back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from tabiji.exchange.words import BULLETS

BULLET = "・"
PHASE_NOTE = "tabiji: this cell is the whole phase's"
LANG_SUFFIX = re.compile(r"^(.*?)\s*\[([a-z]{2}(?:-[A-Za-z]{2,4})?)\]$")


@dataclass
class Sheet:
    """A grid of texts; ``spans[(row, col)] = n`` says the cell covers n columns (merged)."""

    name: str
    rows: list[list[str]] = field(default_factory=list)
    spans: dict[tuple[int, int], int] = field(default_factory=dict)
    # cells filled from a merged cell above them (import only): a phase merged down over the
    # step row is not also a step
    below: set[tuple[int, int]] = field(default_factory=set)
    # cells whose note says they are a whole phase's (a phase with one step, xlsx only)
    phase_cells: set[tuple[int, int]] = field(default_factory=set)

    def add(self, cells: list[str]) -> int:
        self.rows.append(cells)
        return len(self.rows) - 1

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def cell_name(row: int, col: int) -> str:
    """Zero-based (row, col) to a spreadsheet address: (2, 1) -> 'B3'."""
    return f"{get_column_letter(col + 1)}{row + 1}"


# ------------------------------------------------------------------ texts in cells


def languages(value: Any) -> set[str]:
    """The languages a text, or a list of texts, is written in (none for plain text)."""
    if isinstance(value, dict):
        return set(value)
    if isinstance(value, list):
        return set().union(*(languages(v) for v in value)) if value else set()
    return set()


def in_lang(value: Any, lang: str, base: str) -> str:
    """One language of a text: ``base`` gets plain text too; others only their own key."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if lang in value:
            return value[lang]
        return next(iter(value.values())) if lang == base else ""
    return value if lang == base else ""


def cell_text(value: Any, lang: str, base: str) -> str:
    """A text or a list of texts as one cell's text, in ``lang``."""
    if isinstance(value, list):
        return "\n".join(BULLET + in_lang(v, lang, base) for v in value)
    return in_lang(value, lang, base)


def split_items(text: str) -> list[str] | str:
    """A cell's text back to a text or a list: bullet lines (or several lines) are a list.
    A lone bullet is an empty item (a translation missing for that item); a cell of only a
    dash means nothing, as teams write it."""
    lines = [line.strip(" \t\u3000") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines or len(lines) == 1 and lines[0] in ("-", "－", "ー", "—", "–", "―", "なし", "N/A", "n/a"):
        return ""
    if any(line[0] in BULLETS for line in lines) and (len(lines) > 1 or len(lines[0]) > 1):
        items: list[str] = []
        for line in lines:
            if line[0] in BULLETS:
                items.append(line[1:].strip(" \t\u3000"))
            elif items:  # a line without a bullet continues the item above it
                items[-1] += "\n" + line
            else:
                items.append(line)
        return items
    return lines if len(lines) > 1 else lines[0]


def join_langs(base: Any, others: dict[str, Any], base_lang: str) -> Any:
    """Merge one cell's base text with its translations into the model's shape."""
    others = {k: v for k, v in others.items() if v not in ("", [], None)}
    if not others:
        return base
    if isinstance(base, list):
        out = []
        for i, item in enumerate(base):
            parts = {base_lang: item}
            for lang, value in others.items():
                if isinstance(value, list) and i < len(value) and value[i]:
                    parts[lang] = value[i]
                elif isinstance(value, str) and len(base) == 1:
                    parts[lang] = value
            out.append(parts if len(parts) > 1 else item)
        return out
    parts = {base_lang: base} if base not in ("", None) else {}
    for lang, value in others.items():
        parts[lang] = "\n".join(value) if isinstance(value, list) else value
    return parts if len(parts) > 1 else next(iter(parts.values()))
