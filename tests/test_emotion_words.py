"""Feelings in words: an emotion with a label and no score validates, shows its words, and
leaves a gap in the curve (HTML and SVG), an empty score in the grid export and '–' in the
diff; never a made-up zero."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ENV, built, copy_site
from test_swimlane import Table
from tabiji.core.problems import InvalidSources
from tabiji.source.validate import load_site

JOURNEY = "journeys/maps/onboarding.yml"
SVG_NS = "{http://www.w3.org/2000/svg}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_site("mini", tmp_path / "mini")
    monkeypatch.chdir(root)
    return root


def test_a_label_without_a_score_validates(site: Path) -> None:
    edit(site / JOURNEY, "invite: {score: -1, label: Unsure}", "invite: {label: {ja: 不安, en: Unsure}}")
    emotion = load_site(Path("journeys")).journeys["onboarding"].lanes[1].cells["invite"]
    assert emotion.score is None and emotion.label == {"ja": "不安", "en": "Unsure"}


def test_an_emotion_needs_a_score_or_a_label(site: Path) -> None:
    edit(site / JOURNEY, "invite: {score: -1, label: Unsure}", "invite: {thought: 招待の手順が分からない}")
    with pytest.raises(InvalidSources) as caught:
        load_site(Path("journeys"))
    assert [str(p) for p in caught.value.problems] == [
        f"{JOURNEY}:28:15: lanes[1].cells.invite: expected a 'score' or a 'label' (the feeling in words), "
        "found neither"]


def test_the_curve_has_a_gap_where_the_score_is_missing(site: Path) -> None:
    # signup +1, invite in words only, configure +2: no line may join +1 and +2 across the gap
    edit(site / JOURNEY, "invite: {score: -1, label: Unsure}", "invite: {label: Unsure, thought: Is the mail sent?}")
    out = built(site)
    html = (out / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    table = Table(html[html.index("<table"):html.index("</table>")])
    row = next(r for r in table.body() if "tabiji-lane--emotions" in r["class"])
    signup, invite, configure = row["cells"][1:]
    assert len(signup["dots"]) == 1 and len(configure["dots"]) == 1
    assert invite["dots"] == [] and "Unsure" in invite["text"] and "Is the mail sent?" in invite["text"]
    assert "no score, in words only" in invite["text"]  # for screen readers
    assert "0" not in invite["text"].split("Unsure")[0], "no number shown for a feeling in words"
    assert all(c["lines"] == [] for c in (signup, invite, configure)), "the curve is cut at the gap"
    svg = next(p for p in out.rglob("*.svg") if "onboarding" in p.name).read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.findall(f".//{SVG_NS}polyline") == [] and len(root.findall(f".//{SVG_NS}circle")) == 2
    assert "Unsure" in svg


def test_a_curve_on_both_sides_of_the_gap(site: Path) -> None:
    # two scored cells before the gap keep their line; nothing crosses the gap
    edit(site / JOURNEY, "configure: {score: 2, label: Relieved}", "configure: {label: Relieved}")
    out = built(site)
    html = (out / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    table = Table(html[html.index("<table"):html.index("</table>")])
    row = next(r for r in table.body() if "tabiji-lane--emotions" in r["class"])
    signup, invite, configure = row["cells"][1:]
    assert signup["lines"] and invite["lines"] and configure["lines"] == [] and configure["dots"] == []
    # the line stops at invite's dot (x 50 of its box), it does not run on towards configure
    assert max(x for line in invite["lines"] for x, _ in line) == 50


def _cli(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=site, capture_output=True, text=True,
                          env=ENV, timeout=300)


def test_grid_export_leaves_the_score_empty(site: Path) -> None:
    edit(site / JOURNEY, "invite: {score: -1, label: Unsure}", "invite: {label: Unsure}")
    run = _cli(site, "export", "journey", "onboarding", "--format", "csv")
    assert run.returncode == 0, run.stderr
    score_row = next(line for line in run.stdout.splitlines() if line.startswith("Emotion score"))
    assert score_row.split(",")[1:4] == ["+1", "", "+2"]


def test_diff_names_a_score_that_became_words(site: Path, tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(site / "journeys", base)
    edit(site / JOURNEY, "invite: {score: -1, label: Unsure}", "invite: {label: Unsure}")
    run = _cli(site, "diff", "--base-folder", str(base), "--head-folder", "journeys", "--lang", "en")
    assert run.returncode == 0, run.stderr
    assert "−1 → –" in run.stdout or "-1 → –" in run.stdout, run.stdout
