"""JSON Schemas generated from the model, committed under ``schema/`` for editors."""

from __future__ import annotations

import json
from pathlib import Path

from tabiji.core import model as m
from tabiji.core.labels import package_labels


def schemas() -> dict[str, str]:
    """File name -> schema text, one per kind of source file."""
    out = {}
    for kind, cls in m.KINDS.items():
        name = m.SCHEMA_NAMES[kind]
        schema = cls.model_json_schema()
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  "$id": f"{name}.schema.json", **schema}
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    out["labels.schema.json"] = _labels_schema()
    from tabiji.exchange.export_json import SCHEMA_FILE, schema_text  # what 'tabiji export --format json' writes
    out[SCHEMA_FILE] = schema_text()
    return out


def _labels_schema() -> str:
    """``<source>/labels/<lang>.yml``: the label keys Tabiji writes, each with the site's text."""
    keys = sorted(set(package_labels("ja")) | set(package_labels("en")))
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "labels.schema.json",
              "title": "Labels", "type": "object",
              "description": "A site's own words for the labels Tabiji writes (labels/ja.yml or labels/en.yml): "
                             "label key -> text. Keep the label's {fields}; no markup.",
              "propertyNames": {"enum": keys},
              "additionalProperties": {"type": "string", "minLength": 1, "pattern": r"^[^<>\[\]\\|\n]+$"}}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def outdated(folder: Path) -> list[str]:
    """Schema files in ``folder`` that differ from the model (missing ones included)."""
    return [name for name, text in schemas().items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]


def write(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(schemas())
