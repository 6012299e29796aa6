"""Parses of git blobs kept on disk by blob id, so that ``tabiji diff`` parses a file once.

A git blob id names its bytes, and the parse of those bytes is a pure function of them and
of the loader's code: the key is the blob id and a digest of the loader's and the character
checks' source, PyYAML's version and whether LibYAML is used. Only clean parses (no
problem found) are kept, and only their data: positions are needed only for a message, and
a document read from the cache parses its file again the first time anything asks for one
(``LazyDocument``). An entry is JSON, read back through strict type checks: one that does
not read as a parse is ignored and the file parsed again. The entries are used for nothing but parse results.

The folder is ``$XDG_CACHE_HOME/tabiji/parses`` (``~/.cache`` without it);
``TABIJI_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from tabiji.core import names
from tabiji.source import loader
from tabiji.source.loader import Document

_OID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@lru_cache(maxsize=1)
def _version() -> str:
    code = Path(loader.__file__).read_bytes() + Path(names.__file__).read_bytes()  # what a parse runs
    libyaml = yaml.__with_libyaml__ if hasattr(yaml, "__with_libyaml__") else False
    return hashlib.blake2b(code + f"{yaml.__version__} {libyaml}".encode(), digest_size=8).hexdigest()


def folder() -> Path | None:
    if os.environ.get("TABIJI_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG rule: unset or relative means ~/.cache
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tabiji" / "parses" / _version()


def _entry(root: Path, oid: str) -> Path:
    return root / oid[:2] / f"{oid}.json"


class LazyDocument(Document):
    """A cached parse: its data now, its position maps from a fresh parse when first asked."""

    def __init__(self, path: str, data: Any, reparse: Callable[[], Document]):
        self.path, self.data, self._reparse, self._parsed = path, data, reparse, None

    def _full(self) -> Document:
        if self._parsed is None:
            self._parsed = self._reparse()
        return self._parsed

    @property  # type: ignore[override]
    def values(self) -> dict:
        return self._full().values

    @property  # type: ignore[override]
    def keys(self) -> dict:
        return self._full().keys


def load(root: Path | None, oid: str, shown_as: str, reparse: Callable[[], Document]) -> Document | None:
    """The cached parse of blob ``oid`` shown as ``shown_as`` (``reparse`` gives its positions), or None."""
    if root is None or not _OID.fullmatch(oid):
        return None
    try:
        return LazyDocument(shown_as, _data(_entry(root, oid).read_text(encoding="utf-8")), reparse)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def store(root: Path | None, oid: str, doc: Document) -> None:
    """Keeps a clean parse's data (the caller checked it has no problem); a failure to write is ignored."""
    if root is None or not _OID.fullmatch(oid) or doc.data is None:
        return
    text = json.dumps(doc.data, ensure_ascii=False, separators=(",", ":"))
    target = _entry(root, oid)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)  # readers see the whole entry or none
    except (OSError, UnicodeEncodeError):
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


# A boolean in an entry: after a separator or alone (inside a text it only costs a miss).
_BOOLEAN = re.compile(r"(?:^|[:,\[])\s*(?:true|false)\b")


def _no_number(text: str) -> Any:
    raise TypeError


def _data(text: str) -> Any:
    """The parse as the loader builds it (mappings of text keys, lists, text and None), checked
    at C speed: a number or a boolean, which the loader never makes, refuses the entry."""
    if _BOOLEAN.search(text):
        raise TypeError
    data = json.loads(text, parse_int=_no_number, parse_float=_no_number, parse_constant=_no_number)
    if not (data is None or isinstance(data, (dict, list, str))):
        raise TypeError
    return data
