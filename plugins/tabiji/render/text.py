"""Text helpers shared by pages and diagrams: language choice, Markdown, phrase wrapping."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from wcwidth import wcswidth, wcwidth

from tabiji.render.phrase import JAPANESE, WIDE, line_chunks
from tabiji.core.lang import localize  # noqa: F401  (re-exported)

# Raw HTML in YAML text is shown as text, never passed through: the map is written by
# many people and pasted from anywhere. markdown-it also refuses javascript: links.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")
_LINK_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _web_link(url: str) -> bool:
    """Links in YAML text go to the web, mail or a relative path; any other scheme (an id link
    such as ``journey:x``, which only hand-written pages resolve, or ``data:``) stays text."""
    scheme = _LINK_SCHEME.match(url.strip())
    return scheme is None or scheme.group(1).lower() in ("http", "https", "mailto")


_MD.validateLink = _web_link
_MARKUP = re.compile(r"[*_`\[\]<>&\\#!|~]|^\s*(?:[-+]|\d+[.)])\s|\n")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")



def escape(text: str) -> str:
    return html.escape(text, quote=True)


@lru_cache(maxsize=65536)
def markdown_inline(text: str) -> str:
    """One paragraph of Markdown as inline HTML (no <p>); plain text is only escaped."""
    if not _MARKUP.search(text):
        return escape(text)
    rendered = no_blank_lines(_MD.render(text).strip())
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


@lru_cache(maxsize=65536)
def markdown_block(text: str) -> str:
    """Markdown as block HTML (paragraphs, lists)."""
    if not _MARKUP.search(text):
        return f"<p>{escape(text)}</p>"
    return no_blank_lines(_MD.render(text).strip())


_BLANK_LINE_AHEAD = re.compile(r"\n(?=[ \t]*\n)")


def no_blank_lines(rendered: str) -> str:
    """Generated HTML holds no blank line (the site generator finds raw HTML blocks by them,
    see rawhtml.py); only code blocks have them, where a newline entity shows the same."""
    return _BLANK_LINE_AHEAD.sub("&#10;", rendered) if "\n" in rendered else rendered


@lru_cache(maxsize=65536)
def phrases(text: str, long: int = WIDE) -> tuple[str, ...]:
    """Japanese split into phrases that must not be broken (BudouX), joined where the
    kinsoku rules forbid a line break between them; other text as is."""
    if not _CJK.search(text):
        return (text,)
    return tuple(line_chunks(_budoux(text), long))


@lru_cache(maxsize=65536)
def _budoux(text: str) -> tuple[str, ...]:
    """BudouX's phrases, once per text: the map's columns (LONG) and pages (WIDE) wrap the
    same cell text."""
    return tuple(JAPANESE.split(text))


# Where a browser breaks Japanese under ``word-break: keep-all`` without help (checked in
# Chromium): after 、。！？ and closing brackets, before opening brackets. No <wbr> there.
_NATURAL_AFTER = frozenset("、。，．！？）」』】〕〉》］｝")
_NATURAL_BEFORE = frozenset("（「『【〔〈《［｛")


@lru_cache(maxsize=65536)
def _wbr_text(text: str, long: int) -> str:
    parts = phrases(text, long)
    if len(parts) == 1:
        return parts[0]
    out = [parts[0]]
    for part in parts[1:]:
        if not (out[-1][-1] in _NATURAL_AFTER or part[0] in _NATURAL_BEFORE):
            out.append("<wbr>")
        out.append(part)
    return "".join(out)



@lru_cache(maxsize=65536)
def display_width(text: str) -> int:
    """Display width in columns (East Asian wide = 2); wcswidth says -1 for unprintable
    text, so sum what prints."""
    w = wcswidth(text)
    return w if w >= 0 else sum(max(wcwidth(c), 0) for c in text)


_TAG = re.compile(r"(<[^>]*>|&[#\w]+;)")


def wrap_html(fragment_html: str, long: int = WIDE) -> str:
    """Insert <wbr> between Japanese phrases in an HTML fragment, outside tags and entities.

    With CSS ``word-break: keep-all`` the browser then breaks Japanese lines only between
    phrases; ``long`` is the most characters a phrase keeps (phrase.LONG for the journey
    map's narrow columns), so it never needs an arbitrary break.
    """
    if not _CJK.search(fragment_html):
        return fragment_html
    parts = _TAG.split(fragment_html)
    out = []
    for i, part in enumerate(parts):
        if not part or part.startswith("<") or (part.startswith("&") and part.endswith(";")):
            out.append(part)
        elif "<wbr>" in (parts[i - 1] if i else "", parts[i + 1] if i + 1 < len(parts) else ""):
            out.append(part)  # already wrapped: wrapping twice gives the same HTML
        else:
            out.append(_wbr_text(part, long))
    return "".join(out)


def nowrap(text: str) -> str:
    """Text that never wraps (a date: Chromium breaks 2026-12-31 after its hyphens), escaped."""
    return f'<span class="tabiji-nowrap">{escape(text)}</span>'


def markdown_literal(text: str) -> str:
    """Writer's text placed into Markdown (a heading, a link's text): shown as typed, on one
    line, with HTML escaped and Markdown syntax characters backslash-escaped."""
    out = html.escape(" ".join(text.split()), quote=False)  # quotes are text here; '#' is escaped below
    for ch in "\\`*_[]#{}!|":
        out = out.replace(ch, "\\" + ch)
    return out


def plain(text: str) -> str:
    """Markdown reduced to plain text, for titles, SVG and alt text."""
    rendered = markdown_inline(text) if _MARKUP.search(text) else text
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)) if rendered is not text else text


def forget_caches(*more: Any) -> None:
    """Empties the text caches (and the ``cache_clear`` of each of ``more``) once a one-off
    build has generated its pages: at 1,000 journeys they held a third of the plugin's memory,
    which MkDocs can then reuse for the pages' HTML. A serve keeps them for the next rebuild."""
    for cached in (markdown_inline, markdown_block, phrases, _budoux, _wbr_text, display_width, *more):
        cached.cache_clear()

