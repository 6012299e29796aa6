"""A problem found in the sources, located by file, line and column."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterable, NamedTuple


class Position(NamedTuple):
    line: int
    column: int


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    position: Position
    field: str  # the field path, e.g. ``phases[2].steps[0].id``
    expected: str
    found: str
    hint: str = ""  # e.g. "did you mean 'x'?"

    def __str__(self) -> str:
        text = f"{self.file}:{self.position.line}:{self.position.column}: {self.field}: " \
               f"expected {self.expected}, found {self.found}"
        return f"{text}; {self.hint}" if self.hint else text


class InvalidSources(Exception):
    """The sources have problems; ``str()`` lists them all, one per line."""

    def __init__(self, problems: list[Problem], partial: Any = None):
        self.problems = sorted(problems)
        self.partial = partial  # what did validate (a Site), to check other files against
        super().__init__(report(self.problems))


def report(problems: list[Problem]) -> str:
    lines = [str(p) for p in sorted(problems)]
    count = len(lines)
    lines.append(f"{count} problem{'s' if count != 1 else ''} found")
    return "\n".join(lines)


def closest(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    return difflib.get_close_matches(word, sorted(set(candidates)), n=limit, cutoff=0.5)


def suggest(word: str, candidates: Iterable[str]) -> str:
    """'did you mean ...?' with the closest candidates, or the valid ones when few."""
    candidates = sorted(set(candidates))
    near = closest(word, candidates)
    if near:
        return "did you mean " + " or ".join(f"'{c}'" for c in near) + "?"
    if not candidates:
        return "none are defined yet"
    shown = ", ".join(f"'{c}'" for c in candidates[:8])
    return f"valid: {shown}{', ...' if len(candidates) > 8 else ''}"
