"""The writer's text in one language: a field is a string or a map of language -> string."""

from __future__ import annotations

from typing import Any


def localize(text: Any, lang: str) -> str:
    """Pick the writer's text for ``lang``: exact, then its base language, then en, ja, any."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    base = lang.split("-")[0].split("_")[0]
    for key in (lang, base, "en", "ja"):
        if key in text:
            return text[key]
    return next(iter(text.values()))
