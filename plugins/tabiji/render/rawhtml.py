"""Keeps the generated HTML out of the site generator's HTML parsers.

A generated page is mostly raw HTML (the swimlane alone holds thousands of tags). Handed to
Python-Markdown as is, it is parsed twice per build (Markdown's raw-HTML block detection
and MkDocs' anchor scan), then once more by the search plugin, which made up most of a
large map's build time. Instead, each top-level raw block becomes a one-word paragraph
before Markdown runs, and is put back afterwards; search gets the same text with only the
tags it keeps.

Generated raw HTML never holds a blank line (``text.no_blank_lines``), so its blocks are
exactly the chunks between blank lines that start with a block-level tag, as Markdown
itself would see them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markdown import Markdown

# The tags that start a raw HTML block in Python-Markdown (its own list).
_BLOCK_LEVEL = frozenset(Markdown().block_level_elements)
_CHUNKS = re.compile(r"(\n[ \t]*\n)")
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)[\s/>]")
_TOKEN = "TABIJIRAWBLOCK{}X"
_TOKEN_PARAGRAPH = re.compile(r"<p>TABIJIRAWBLOCK(\d+)X</p>")
_IDS = re.compile(r"""\sid="([^"]*)\"""")
# What Material's search needs of a block: its headings (sections are split at them) and its
# words. The tags search would keep for showing results (lists, code) are dropped as well: a
# swimlane holds thousands of them, and a result shows a snippet of text either way.
_HEADING = re.compile(r"</?h[1-6]\b[^>]*>")
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|"
                         r"sub|sup|time|u|var|wbr)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_SKIPPED = re.compile(r"<(script|style|object)\b.*?</\1>", re.S)
# A heading's permalink: search leaves its text (a pilcrow) out of the section's title.
_HEADERLINK = re.compile(r"<a\b[^>]*\bclass=\"headerlink\"[^>]*>.*?</a>", re.S)
_SPACES = re.compile(r"[ \t\r\n]+")


@dataclass
class Protected:
    """A page's Markdown with its raw HTML blocks swapped for placeholders."""

    markdown: str
    blocks: list[str] = field(default_factory=list)


def protect(markdown: str) -> Protected:
    """Swaps every top-level raw HTML block for a placeholder paragraph."""
    parts = _CHUNKS.split(markdown)
    blocks: list[str] = []
    for i in range(0, len(parts), 2):  # odd parts are the blank lines between chunks
        chunk = parts[i]
        start = _START_TAG.match(chunk)
        if start and start.group(1).lower() in _BLOCK_LEVEL:
            parts[i] = _TOKEN.format(len(blocks))
            blocks.append(chunk)
    return Protected("".join(parts), blocks)


def restore(content: str, blocks: list[str]) -> tuple[str, int]:
    """(the converted page with its blocks back, how many were put back)."""
    found = 0

    def block(match: re.Match) -> str:
        nonlocal found
        found += 1
        return blocks[int(match.group(1))]

    return _TOKEN_PARAGRAPH.sub(block, content), found


def anchor_ids(blocks: list[str]) -> set[str]:
    """The ids in the blocks, for MkDocs' anchor validation (it no longer scans them)."""
    return {html.unescape(value) for block in blocks for value in _IDS.findall(block)}


def search_text(block: str) -> str:
    """HTML as the search plugin reads it: the same words and sections, no other tags."""
    block = _HEADERLINK.sub("", _SKIPPED.sub(" ", block))
    headings: list[str] = []

    def keep(match: re.Match) -> str:
        headings.append(match.group(0))
        return f"\x00{len(headings) - 1}\x00"

    block = _HEADING.sub(keep, block)
    block = _SPACES.sub(" ", _ANY_TAG.sub(" ", _INLINE_TAG.sub("", block)))
    return re.sub(r"\x00(\d+)\x00", lambda m: headings[int(m.group(1))], block) if headings else block
