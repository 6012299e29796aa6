"""The README's first-journey example is valid against the example catalogs."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, copy_site
from tabiji.validate import load_site


def test_readme_journey_example_validates(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# yaml-language-server: \$schema=\.\./\.\./schema/journey.*?)```", readme, re.S)
    assert len(blocks) == 1
    site = copy_site("example", tmp_path / "example")
    (site / "journeys/maps/first.yml").write_text(blocks[0], encoding="utf-8")
    loaded = load_site(site / "journeys")
    assert "first-week" in loaded.journeys
    assert [p.id for p in loaded.journeys["first-week"].phases] == ["kickoff", "setup"]


def test_readme_roadmap_example_validates(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    journey = re.findall(r"```yaml\n(# yaml-language-server: \$schema=\.\./\.\./schema/journey.*?)```", readme, re.S)
    roadmap = re.findall(r"```yaml\n(# yaml-language-server: \$schema=\.\./\.\./schema/roadmap.*?)```", readme, re.S)
    assert len(roadmap) == 1
    site = copy_site("example", tmp_path / "example")
    (site / "journeys/maps/first.yml").write_text(journey[0], encoding="utf-8")
    (site / "journeys/roadmaps/first.yml").write_text(roadmap[0], encoding="utf-8")
    loaded = load_site(site / "journeys")
    assert [a.id for a in loaded.roadmaps["first-roadmap"].actions] == ["low-login"]
