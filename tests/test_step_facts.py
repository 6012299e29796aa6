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


def test_a_phase_wide_departments_cell_lists_the_measures_of_the_phases_steps(example_built: Path) -> None:
    """adoption.yml names departments per phase (daily-use: cs, support) and measures per step:
    the department page's row for the phase shows what the department does at each step."""
    journey = yaml.safe_load((ROOT / "journeys/maps/adoption.yml").read_text(encoding="utf-8"))
    lanes = {lane["kind"]: lane["cells"] for lane in journey["lanes"]}
    checked = 0
    for phase in journey["phases"]:
        depts = lanes["departments"].get(phase["id"], [])
        if not phase.get("steps") or phase["id"] in lanes["measures"] or not depts:
            continue
        for dept in depts:
            html = (example_built / f"map/departments/{dept}/index.html").read_text(encoding="utf-8")
            table = re.search(r'<table class="tabiji-table tabiji-dept-cells">(.*?)</table>', html, re.S)
            assert table, dept
            rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
            row = next(r for r in rows if f'href="../../journeys/adoption/#phase-{phase["id"]}"' in r)
            cell = text_of(re.findall(r"<td>(.*?)</td>", row, re.S)[-1]).replace(" ", "")
            for step in phase["steps"]:
                measure = lanes["measures"].get(step["id"])
                for text in (measure if isinstance(measure, list) else [measure] if measure else []):
                    assert text.replace(" ", "") in cell, (dept, step["id"])
                    checked += 1
                if measure:
                    assert step["name"]["ja"].replace(" ", "") in cell
    assert checked >= 2
