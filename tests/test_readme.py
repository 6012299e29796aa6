"""The README's first-journey example is valid against the example catalogs."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, copy_site
from tabiji.source.validate import load_site


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


def _run(site: Path, *args: str) -> None:
    import os

    from click.testing import CliRunner
    from tabiji.cli import main
    old = Path.cwd()
    os.chdir(site)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result


def test_readme_import_example_gives_a_valid_journey(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sheets = re.findall(r"`first\.csv`\):\n\n```csv\n(.*?)```", readme, re.S)
    commands = re.findall(r"```sh\n(\.venv/bin/tabiji import .*?)\n```", readme)
    assert len(sheets) == 1 and commands == [".venv/bin/tabiji import first.csv -o journeys/maps/first-import.yml"]
    site = copy_site("example", tmp_path / "example")
    (site / "first.csv").write_text(sheets[0], encoding="utf-8")
    _run(site, *commands[0].split()[1:])
    journey = load_site(site / "journeys").journeys["first-import"]  # the id: the output file's name
    assert journey.personas == ["hr-admin"]
    assert [[s.name for s in p.steps] for p in journey.phases] == [["キックオフ", "ヒアリング"], []]
    lanes = {lane.kind: lane for lane in journey.lanes}
    assert [e.score for e in lanes["emotions"].cells.values()] == [1, -1, -2]
    assert list(lanes["touchpoints"].cells.values()) == [["kickoff-meeting"], ["hearing-sheet"], ["setup-checklist"]]
    assert lanes["text"].title == "社内メモ"


def test_readme_export_examples_run(tmp_path: Path) -> None:
    """Every export line of the README (but pdf, which the print tests cover) writes its file."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in re.findall(r"^\.venv/bin/tabiji export .*$", readme, re.M)]
    assert len(lines) >= 6
    site = copy_site("example", tmp_path / "example")
    for line in lines:
        args = line.split()[1:]
        if "pdf" in args:
            continue
        result = _run(site, *args)
        if "-o" in args:
            assert (site / args[args.index("-o") + 1]).stat().st_size > 0
        else:
            assert result.output.startswith("%% tabiji")


def test_writing_guide_import_example_gives_a_valid_journey(tmp_path: Path) -> None:
    import csv
    guide = (ROOT / "docs/guide/writing.md").read_text(encoding="utf-8")
    table = guide.split("<!-- tabiji-import-example")[1].split("\n\n")[0].splitlines()[3:]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table]
    site = copy_site("example", tmp_path / "example")
    with (site / "導入マップ.csv").open("w", encoding="cp932", newline="") as f:  # as Japanese Excel saves it
        csv.writer(f).writerows(rows)
    _run(site, "import", "導入マップ.csv", "-o", "journeys/maps/first-import.yml")
    loaded = load_site(site / "journeys")
    journey = loaded.journeys["first-import"]
    assert journey.goal == "初回の月次締めを本製品で終える"
    lanes = {lane.kind: lane for lane in journey.lanes}
    assert [e.score for e in lanes["emotions"].cells.values()] == [1, -1, -2]
    assert list(lanes["departments"].cells.values()) == [["sales", "onboarding"], ["onboarding"], ["support"]]
    assert lanes["text"].title == "社内メモ"
