"""``tabiji import``: a spreadsheet file to journey YAML, checked by the ordinary validator."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tabiji.source.loader import Document, load_file, load_text
from tabiji.core.problems import Problem
from tabiji.source.validate import Site, build_site, discover
from tabiji.exchange.import_sheet import SheetErrors, looks_like_journey, parse_sheet
from tabiji.exchange.read_sheet import SheetError, read_file
from tabiji.exchange.yaml_out import to_yaml


@dataclass
class Result:
    text: str                  # the YAML
    problems: list[Problem]    # what the validator says about it (empty: it validates)
    guesses: int               # how many values were guessed (each has a '# guessed' comment)
    sheet: str


def _fallback_id(path: Path) -> str:
    stem = unicodedata.normalize("NFKC", path.stem).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    return slug or "imported-journey"


def schema_ref(output: Path | None, source: Path) -> str:
    """The $schema path from the output file to schema/journey.schema.json beside the sources."""
    schema = (source.resolve().parent / "schema" / "journey.schema.json")
    if output is None:
        output = source / "maps" / "x.yml"
    return Path(os.path.relpath(schema, output.resolve().parent)).as_posix()


def import_file(path: Path, shown: str, site: Site, source: Path, lang: str, sheet: str | None = None,
                output: Path | None = None) -> Result:
    """Raises SheetErrors (every located problem) when the sheet cannot be read as a journey."""
    try:
        sheets = read_file(path, shown)
    except SheetError as err:
        raise SheetErrors([err]) from None
    if sheet is not None:
        chosen = [s for s in sheets if s.name == sheet]
        if not chosen:
            names = ", ".join(f"'{s.name}'" for s in sheets)
            raise SheetErrors([SheetError(shown, "", "", f"expected a sheet named '{sheet}', found {names}")])
    else:
        chosen = [s for s in sheets if looks_like_journey(s)] or [s for s in sheets if any(map(any, s.rows))]
        if not chosen:
            raise SheetErrors([SheetError(shown, "", "", "expected a sheet with a journey, found only empty sheets")])
    # without an ID row, the journey's id is the output file's name (the repository's habit), else the sheet file's
    fallback = _fallback_id(output) if output is not None else _fallback_id(path)
    imported = parse_sheet(chosen[0], shown, site, lang, fallback)
    text = to_yaml(imported, schema_ref(output, source), f"{Path(shown).name}, sheet '{imported.sheet}'")
    shown_out = str(output) if output else f"{source}/maps/{imported.data['id']}.yml"
    guesses = sum(1 for n in imported.notes.values() if n.startswith("guessed"))
    return Result(text, check(text, shown_out, source, imported.data["id"], output), guesses, imported.sheet)


def check(text: str, shown: str, source: Path, journey_id: str, output: Path | None = None) -> list[Problem]:
    """The new journey validated with the site's other files: the file it is written over is
    replaced (without an output, any journey of the same id); another of the same id is a clash."""
    doc, problems = load_text(text, shown)
    documents: list[tuple[str, Document]] = []
    files, _ = discover(source) if source.is_dir() else ([], [])
    for kind, file in files:
        other, _ = load_file(file, str(file))
        if output is not None and file.resolve() == output.resolve():
            continue
        if output is None and kind == "maps" and isinstance(other.data, dict) and other.data.get("id") == journey_id:
            continue
        documents.append((kind, other))
    documents.append(("maps", doc))  # last: a clash of ids is reported on the new file
    _site, found = build_site(documents)
    return problems + [p for p in found if p.file == shown]
