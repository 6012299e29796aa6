"""What a name may hold: file names, ids and titles reach git records, CODEOWNERS lines,
YAML front matter, HTML titles and review comments, where one control character can split
a record, add a rule or hide text.

A name is unsafe when it holds a control character (C0, DEL, C1), a Unicode noncharacter
(U+FFFE, U+FDD0..), a surrogate (a file name that is not UTF-8), or a bidirectional
override that can show text in another order than it is stored (the "Trojan Source" trick).
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates; marks (LRM, RLM, ALM) are harmless.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# The longest id: every id is a path segment (journey pages, SVGs), and file systems stop at 255 bytes.
MAX_ID_LENGTH = 64
# Every character unsafe_char refuses, as one class: most texts hold none, found at C speed.
_MAYBE_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + BIDI_CONTROLS
                           + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
                           + "]")


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def unsafe_char(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF
            or _is_noncharacter(code) or ch in BIDI_CONTROLS)


def unsafe_chars(text: str, allow: str = "") -> list[str]:
    """The unsafe characters in ``text``, in order of first appearance, each once.

    ``allow`` lists characters the caller accepts (e.g. newline and tab in Markdown text)."""
    if not _MAYBE_UNSAFE.search(text):
        return []
    seen: list[str] = []
    for ch in text:
        if ch not in allow and unsafe_char(ch) and ch not in seen:
            seen.append(ch)
    return seen


def describe(chars: list[str]) -> str:
    """``U+000A (LINE FEED)``-style names for messages: never the raw characters."""
    out = []
    for ch in chars:
        code = ord(ch)
        name = unicodedata.name(ch, "") if not 0xD800 <= code <= 0xDFFF else "a byte that is not UTF-8"
        if not name and (code < 0x20 or 0x7F <= code <= 0x9F):
            name = {0x0A: "LINE FEED", 0x0D: "CARRIAGE RETURN", 0x09: "TAB", 0x00: "NUL"}.get(code, "control")
        elif not name and _is_noncharacter(code):
            name = "noncharacter"
        out.append(f"U+{code:04X}" + (f" ({name.lower() if name.isupper() else name})" if name else ""))
    return ", ".join(out)


def shown(text: str) -> str:
    """``text`` with every unsafe character replaced by its ``\\x..``/``\\u....`` escape, for messages."""
    out = []
    for ch in text:
        if unsafe_char(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
