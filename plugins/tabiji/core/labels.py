"""Every label the plugin writes, in Japanese and English (chosen by ``theme.language``).

The texts live in ``tabiji/labels/<lang>.yml``, one key per line, read once. A site may
override any of them in its sources (``<source>/labels/<lang>.yml``, validated by
``source.validate``); the pages are written inside ``site_labels(...)``, so every
``labels_for`` call of that build sees the site's words.
"""

from __future__ import annotations

import contextlib
import string
from contextvars import ContextVar
from functools import lru_cache
from importlib.resources import files as package_files
from pathlib import Path
from typing import Iterator, Mapping

import yaml

try:  # LibYAML: the two files load in a few milliseconds
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

PACKAGE_LABELS = Path(str(package_files("tabiji") / "labels"))
LANGS = ("ja", "en")

# lang -> every label, the site's over the package's, for the build being written (empty: none)
_SITE: ContextVar[Mapping[str, Mapping[str, str]]] = ContextVar("tabiji_site_labels", default={})


def label_lang(lang: str) -> str:
    """The label file a theme language reads: ``ja`` for ``ja*``, ``en`` otherwise."""
    return "ja" if lang.lower().startswith("ja") else "en"


@lru_cache(maxsize=None)
def package_labels(lang: str) -> dict[str, str]:
    """The labels shipped with Tabiji for ``ja`` or ``en`` (BaseLoader: every value stays text)."""
    data = yaml.load((PACKAGE_LABELS / f"{lang}.yml").read_text(encoding="utf-8"), Loader=_Loader)
    return {str(key): str(value) for key, value in data.items()}


def labels_for(lang: str) -> dict[str, str]:
    """Labels for a theme language: Japanese for ``ja*``, English otherwise; with the site's
    overrides while its pages are written."""
    key = label_lang(lang)
    return _SITE.get().get(key) or package_labels(key)


@contextlib.contextmanager
def site_labels(overrides: Mapping[str, Mapping[str, str]] | None) -> Iterator[None]:
    """Within the block, ``labels_for`` gives the site's texts over the package's (merged once here)."""
    merged = {lang: {**package_labels(lang), **over} for lang, over in (overrides or {}).items()
              if over and lang in LANGS}
    token = _SITE.set(merged)
    try:
        yield
    finally:
        _SITE.reset(token)


def fields(text: str) -> list[tuple[str, str, str | None]] | None:
    """The ``{name}`` fields of a label as (name, format spec, conversion); None when the
    text is not a valid format string (a lone brace)."""
    try:
        return [(name, spec or "", conv) for _, name, spec, conv in string.Formatter().parse(text)
                if name is not None]
    except ValueError:
        return None


def __getattr__(name: str) -> dict[str, dict[str, str]]:
    if name == "LABELS":  # the package's labels by language, as the module exported them before
        return {lang: package_labels(lang) for lang in LANGS}
    raise AttributeError(name)
