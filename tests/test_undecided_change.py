"""An undecided change amount (``change: decrease, by: {undecided: ...}``) is listed like an
undecided threshold: by ``undecided_items``, as a located note of ``tabiji validate --stale``
and on the metrics page's 未定 list, and marked 未定 where the condition is shown."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from conftest import ENV, built, copy_site

from tabiji.source.undecided import undecided_items
from tabiji.source.validate import load_site

ROADMAP = "journeys/roadmaps/success.yml"
CHANGE = 'condition: {metric: dau, change: decrease, by: {undecided: "{words}"}, window: over 4 weeks}'


def _with_undecided_change(site: Path, words: str = "a big drop") -> Path:
    """The mini site, its challenge action's trigger a decrease of an amount not set yet."""
    path = site / "journeys" / "roadmaps/success.yml"
    text = path.read_text(encoding="utf-8")
    old = 'condition: {metric: dau, comparison: "<", value: 20, window: after 14 days}'
    assert old in text
    path.write_text(text.replace(old, CHANGE.replace("{words}", words)), encoding="utf-8")
    return site


def test_undecided_items_list_the_change_amount(tmp_path: Path) -> None:
    site = _with_undecided_change(copy_site("mini", tmp_path / "mini"))
    items = undecided_items(load_site(site / "journeys"))
    (item,) = items
    assert (item.kind, item.metric, item.words, item.action, item.field) == (
        "condition", "dau", "a big drop", "call-admin", "by")
    assert item.path == ("actions", 1, "condition", "by")


def test_undecided_items_list_a_checkpoints_change_amount(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    path = site / "journeys/roadmaps/success.yml"
    old = '{metric: dau, comparison: ">=", value: 50, window: within 30 days}'
    path.write_text(path.read_text(encoding="utf-8").replace(
        old, '{metric: dau, change: increase, by: {undecided: more than now}}'), encoding="utf-8")
    (item,) = undecided_items(load_site(site / "journeys"))
    assert (item.kind, item.field, item.stage, item.path) == ("checkpoint", "by", "use",
                                                               ("stages", 1, "checkpoints", 0, "by"))


def test_a_decided_change_amount_is_not_listed(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    path = site / "journeys/roadmaps/success.yml"
    text = path.read_text(encoding="utf-8").replace(
        'condition: {metric: dau, comparison: "<", value: 20, window: after 14 days}',
        "condition: {metric: dau, change: decrease, by: 30}")
    path.write_text(text, encoding="utf-8")
    assert undecided_items(load_site(site / "journeys")) == []


def test_validate_stale_notes_the_change_amount_at_its_place(tmp_path: Path) -> None:
    site = _with_undecided_change(copy_site("mini", tmp_path / "mini"))
    line = next(i for i, t in enumerate((site / ROADMAP).read_text(encoding="utf-8").splitlines(), 1)
                if "change: decrease" in t)
    result = subprocess.run([sys.executable, "-m", "tabiji.cli", "validate", "--stale", "journeys"], cwd=site,
                            capture_output=True, text=True, env={**ENV, "TABIJI_TODAY": "2026-04-01"}, timeout=300)
    assert result.returncode == 0, result.stderr
    notes = [n for n in result.stderr.splitlines() if n.startswith("note: ")]
    assert len(notes) == 1, result.stderr
    assert re.fullmatch(rf"note: {ROADMAP}:{line}:\d+: actions\[1\]\.condition\.by: expected a number once it is "
                        r"decided, found undecided change amount: 'a big drop' \(metric 'dau'\)", notes[0]), notes


@pytest.fixture(scope="module")
def ja_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = _with_undecided_change(copy_site("mini", tmp_path_factory.mktemp("undecided-by") / "mini"), "大きく減る")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: ja"), encoding="utf-8")
    return built(site)


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html.replace("<wbr>", ""))))


def test_the_metrics_page_lists_it_as_mitei(ja_site: Path) -> None:
    html = (ja_site / "map/metrics/index.html").read_text(encoding="utf-8")
    table = html.split('class="tabiji-table tabiji-undecided-list"')[1].split("</table>")[0]
    rows = [r for r in table.split("<tr>")[2:]]
    assert len(rows) == 1
    assert '<span class="tabiji-undecided"><strong>未定</strong>' in rows[0]
    assert "未定（大きく減る）Success roadmap › Daily use" in _words(rows[0])


def test_the_roadmap_shows_the_amount_as_mitei(ja_site: Path) -> None:
    words = _words((ja_site / "map/roadmaps/success/index.html").read_text(encoding="utf-8"))
    assert re.search(r"未定\s*[（(]大きく減る[）)]", words), words
