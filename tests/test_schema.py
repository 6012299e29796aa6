"""The committed JSON Schemas match the model, and every example file names its schema."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT
from tabiji import schema
from tabiji.core.model import KINDS, SCHEMA_NAMES

EXAMPLES = sorted(p for p in (ROOT / "journeys").rglob("*.yml"))


def test_committed_schemas_match_the_model() -> None:
    assert schema.outdated(ROOT / "schema") == [], "run `tabiji schema` and commit schema/"


def test_outdated_schema_is_detected(tmp_path: Path) -> None:
    schema.write(tmp_path)
    assert schema.outdated(tmp_path) == []
    (tmp_path / "journey.schema.json").write_text("{}", encoding="utf-8")
    assert schema.outdated(tmp_path) == ["journey.schema.json"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_example_names_its_schema_and_satisfies_it(path: Path) -> None:
    kind = path.relative_to(ROOT / "journeys").parts[0]
    name = SCHEMA_NAMES[kind]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../schema/{name}.schema.json"
    assert (path.parent / f"../../schema/{name}.schema.json").resolve().is_file()
    # An editor reads YAML 1.2: numbers are numbers, dates are text.
    data = _dates_as_text(yaml.safe_load(path.read_text(encoding="utf-8")))
    validator = jsonschema.Draft202012Validator(
        json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(data)] == []


def _dates_as_text(value):
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def test_every_kind_has_a_schema() -> None:
    # one per kind of source file, and the schema of 'tabiji export --format json'
    assert sorted(schema.schemas()) == sorted([f"{n}.schema.json" for n in SCHEMA_NAMES.values()] + ["labels.schema.json"]
                                              + ["export.schema.json"])
    assert set(SCHEMA_NAMES) == set(KINDS)
