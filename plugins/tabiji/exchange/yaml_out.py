"""Imported journey data to YAML in the repository's style, with the importer's notes as
comments (ruamel.yaml keeps comments, so later edits round-trip them too)."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from tabiji.exchange.import_sheet import Imported

FLOW_LISTS = {"personas", "segments", "tags", "owners"}
KEY_ORDER = ("id", "title", "order", "personas", "goal", "kpis", "owner", "review_every", "last_reviewed", "description",
             "segments", "tags", "phases", "lanes")


def _short(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) and "\n" not in v for v in value.values()) \
        and sum(len(k) + len(v) for k, v in value.items()) < 90


def _convert(value: Any, key: str | None = None, parent: str | None = None) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _convert(v, k, key)
        if (_short(value) and key != "cells") or parent == "steps":
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_convert(v, None, key) for v in value)
        if key in FLOW_LISTS or parent == "cells" and all(isinstance(v, str) and re.fullmatch(r"[a-z0-9_-]+", v)
                                                          for v in value) and value:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value and key in ("description", "goal", None, "ja", "en", "note", "source",
                                                                   "returns_when"):
        return LiteralScalarString(value)  # the repository writes long texts as | blocks
    return value


def _ordered(data: dict) -> dict:
    out = {k: data[k] for k in KEY_ORDER if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    if isinstance(out.get("last_reviewed"), str):
        try:
            out["last_reviewed"] = datetime.date.fromisoformat(out["last_reviewed"])
        except ValueError:
            pass
    return out


def _place(root: CommentedMap, path: tuple, note: str) -> None:
    """An end-of-line comment at ``path``: on the key when the path ends in one."""
    node: Any = root
    for part in path[:-1]:
        node = node[part]
    last = path[-1]
    if isinstance(node, CommentedMap):
        if node.fa.flow_style():
            node.fa.set_block_style()
        node.yaml_add_eol_comment(note, last)
    elif isinstance(node, CommentedSeq):
        node.yaml_add_eol_comment(note, last)


def to_yaml(imported: Imported, schema_ref: str, source: str) -> str:
    root = _convert(_ordered(imported.data))
    for path, note in sorted(imported.notes.items(), key=lambda kv: [str(p) for p in kv[0]]):
        note = " ".join(note.split())  # a comment is one line: a name from a cell may hold line breaks
        try:
            _place(root, path, note)
        except (KeyError, IndexError, TypeError):
            continue  # a note about a value we dropped: nothing to put it beside
    guessed = sum(1 for n in imported.notes.values() if n.startswith("guessed"))
    head = f"yaml-language-server: $schema={schema_ref}\nImported by 'tabiji import' from {source}"
    if guessed:
        head += f"; {guessed} guess{'es' if guessed != 1 else ''} marked 'guessed' below need a look"
    root.yaml_set_start_comment(head)
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(root, out)
    text = out.getvalue()
    # the repository's style: a blank line before the phases, the lanes and each phase
    lines, result, section = text.split("\n"), [], None
    for line in lines:
        if line.startswith(("phases:", "lanes:")):
            result.append("")
            section = line[:-1]
        elif section == "phases" and line.startswith("  - ") and result and not result[-1].startswith("phases:"):
            result.append("")
        result.append(line)
    return "\n".join(result)
