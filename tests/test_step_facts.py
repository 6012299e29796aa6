"""Step facts: each phase of a journey page lists, step by step, the touchpoints, departments
and information of the swimlane's columns, so nobody lines up columns of the wide table."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT, text_of


def test_each_phase_lists_its_steps_facts(example_built: Path) -> None:
    journey = yaml.safe_load((ROOT / "journeys/maps/onboarding.yml").read_text(encoding="utf-8"))
    lanes = {lane["kind"]: lane["cells"] for lane in journey["lanes"]}
    html = (example_built / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    tables = re.findall(r'<table class="tabiji-table tabiji-step-facts">(.*?)</table>', html, re.S)
    phases_with_facts = [p for p in journey["phases"]
                         if any(c in lanes.get(k, {}) for k in ("touchpoints", "departments", "information")
                                for c in [p["id"]] + [s["id"] for s in p.get("steps", [])])]
    assert len(tables) == len(phases_with_facts) > 0
    first = phases_with_facts[0]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", tables[0], re.S)
    shown = [text_of(name).replace(" ", "") for name, _ in rows]
    for step in first.get("steps", []):
        if any(step["id"] in lanes.get(k, {}) for k in ("touchpoints", "departments", "information")):
            assert step["name"]["ja"].replace(" ", "") in shown
            row = rows[shown.index(step["name"]["ja"].replace(" ", ""))][1]
            info = lanes.get("information", {}).get(step["id"])
            for text in (info if isinstance(info, list) else [info] if info else []):
                assert text.replace(" ", "") in text_of(row).replace(" ", "")
            for ref in lanes.get("touchpoints", {}).get(step["id"], []):
                assert f'href="../../touchpoints/{ref}/"' in row
