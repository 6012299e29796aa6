"""Glossary terms in generated pages: the first use of a term on a page shows its definition.

The term is wrapped in ``<abbr title="definition">``: the browser shows the title on hover
with no JavaScript (Material's ``content.tooltips`` feature, when on, draws it nicer), and
the term stays plain text for search. Only the first use per page is marked, to avoid
noise, and never inside links, headings, code or another ``<abbr>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tabiji.core.lang import localize
from tabiji.render.text import escape, plain

TITLE_CHARS = 240  # a tooltip is a hint, not the whole definition
_SKIP = {"a", "abbr", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "svg",
         "button", "textarea"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")


@dataclass
class Glossary:
    """The terms of a site in one language, ready to mark up HTML fragments."""

    titles: dict[str, tuple[str, str]] = field(default_factory=dict)  # spelling (lowercased) -> (id, title)
    pattern: re.Pattern[str] | None = None

    @classmethod
    def of(cls, terms: dict, lang: str) -> "Glossary":
        titles: dict[str, tuple[str, str]] = {}
        for id_ in sorted(terms):
            term = terms[id_]
            definition = " ".join(plain(localize(term.definition, lang)).split())
            if len(definition) > TITLE_CHARS:
                definition = definition[:TITLE_CHARS - 1] + "…"
            for spelling in [localize(term.term, lang)] + list(term.aliases):
                spelling = spelling.strip()
                if len(spelling) >= 2:  # one character would match everywhere
                    titles.setdefault(escape(spelling).casefold(), (id_, definition))
        if not titles:
            return cls()
        # Longest first, so 'ヘルススコア' wins over 'スコア'; ASCII words only as whole words.
        spellings = sorted(titles, key=lambda s: (-len(s), s))
        # Spellings are matched in escaped text ('R&amp;D'), never inside an entity ('&amp;').
        alternatives = [r"(?<!&)(?<!&#)" + (rf"(?<![A-Za-z0-9]){re.escape(s)}(?![A-Za-z0-9])" if s.isascii()
                                            else re.escape(s)) for s in spellings]
        return cls(titles, re.compile("|".join(alternatives), re.IGNORECASE))

    def annotate(self, html: str, seen: set[str]) -> str:
        """``html`` with the first use of each term not in ``seen`` wrapped in ``<abbr>``;
        the ids of the terms marked are added to ``seen``."""
        if self.pattern is None or not self.pattern.search(html):
            return html
        out: list[str] = []
        skipping: list[str] = []  # open tags whose content is left alone
        for part in _TAG.split(html):
            if part.startswith("<"):
                name = _TAG_NAME.match(part)
                tag = name.group(1).lower() if name else ""
                if tag in _SKIP and not part.endswith("/>"):
                    if part.startswith("</"):
                        if tag in skipping:
                            del skipping[len(skipping) - 1 - skipping[::-1].index(tag):]
                    else:
                        skipping.append(tag)
                out.append(part)
            elif part and not skipping:
                out.append(self.pattern.sub(lambda match: self._mark(match, seen), part))
            else:
                out.append(part)
        return "".join(out)

    def _mark(self, match: re.Match[str], seen: set[str]) -> str:
        found = self._entry(match.group(0))
        if found is None:
            return match.group(0)
        id_, title = found
        if id_ in seen:
            return match.group(0)
        seen.add(id_)
        return f'<abbr class="tabiji-term" title="{escape(title)}">{match.group(0)}</abbr>'

    def _entry(self, text: str) -> tuple[str, str] | None:
        """The term ``text`` matched. Case-insensitive matching and case folding disagree for
        some letters ('KPİ', 'ſt', 'σς'), so when the folded key misses, ask the pattern."""
        hit = self.titles.get(text.casefold())
        if hit is not None:
            return hit
        return next((entry for spelling, entry in self.titles.items()
                     if re.fullmatch(re.escape(spelling), text, re.IGNORECASE)), None)

