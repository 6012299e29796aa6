"""The roadmap page lists the sources of its checkpoints' evidence, as a journey page lists
its cells' (issue 13 §2): each distinct evidence once, linked to the stage's details; nothing
when no checkpoint gives evidence. Real MkDocs builds of the mini site, in en and ja."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import built, copy_site, text_of

ROADMAP = "journeys/roadmaps/success.yml"
PAGE = "map/roadmaps/success/index.html"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_checkpoint_evidence(root: Path) -> Path:
    """Two checkpoints: one resting on a dashboard (verified) and a hostile-looking source, one
    on the same dashboard again (listed once, with both checkpoints)."""
    _edit(root / ROADMAP, '{metric: dau, comparison: ">=", value: 50, window: within 30 days}',
          '{metric: dau, comparison: ">=", value: 50, window: within 30 days, evidence: ['
          '{kind: analytics, source: Usage dashboard, url: "https://example.com/dash", date: 2026-02-01, '
          'status: verified}, {kind: workshop, source: "Kickoff <script>x</script>", note: Ask the admins}]}\n'
          '      - {label: Most staff log in, metric: dau, comparison: ">=", value: 80, evidence: '
          '{kind: analytics, source: Usage dashboard, url: "https://example.com/dash", date: 2026-02-01, '
          'status: verified}}')
    return root


def _sources(html: str) -> list[str]:
    section = html[html.index('id="sources"'):]
    table = section[section.index("<table"):section.index("</table>")]
    return [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


@pytest.fixture(scope="module")
def en_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(_with_checkpoint_evidence(copy_site("mini", tmp_path_factory.mktemp("rs-en") / "mini")))


def test_the_roadmap_page_lists_its_checkpoints_sources(en_site: Path) -> None:
    html = (en_site / PAGE).read_text(encoding="utf-8")
    head, *rows = _sources(html)
    assert head.split()[:4] == ["Source", "Kind", "Date", "Status"] and "Checkpoints" in head
    assert len(rows) == 2  # the dashboard once, for both checkpoints
    assert rows[0].split()[:6] == ["Usage", "dashboard", "Analytics", "2026-02-01", "Verified", "2."]
    assert "Daily use › Daily active users" in rows[0] and "Daily use › Most staff log in" in rows[0]
    assert "Workshop assumption" in rows[1] and "Hypothesis" in rows[1] and "Ask the admins" in rows[1]
    section = html[html.index('id="sources"'):]
    assert '<a href="https://example.com/dash">' in section
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in section
    # each checkpoint links to its stage's details, which the page has
    assert re.findall(r'href="#(detail-[a-z0-9-]+)"', section[:section.index("</table>")]) == ["detail-use"] * 3
    assert 'id="detail-use"' in html


def test_a_roadmap_without_checkpoint_evidence_has_no_sources(tmp_path: Path) -> None:
    html = (built(copy_site("mini", tmp_path / "mini")) / PAGE).read_text(encoding="utf-8")
    assert 'id="sources"' not in html and "tabiji-sources" not in html


def test_the_japanese_roadmap_page_lists_its_sources(tmp_path: Path) -> None:
    root = _with_checkpoint_evidence(copy_site("mini", tmp_path / "mini"))
    _edit(root / "mkdocs.yml", "language: en", "language: ja")
    html = (built(root) / PAGE).read_text(encoding="utf-8")
    head, *rows = _sources(html)
    assert head.split()[:4] == ["出典", "種類", "日付", "状態"] and "使われているチェックポイント" in head
    assert "チェックポイントが何にもとづくか" in text_of(html[html.index('id="sources"'):])
    assert "データ分析" in rows[0] and "検証済み" in rows[0] and "仮説" in rows[1]


def test_the_examples_roadmap_lists_its_checkpoint_sources(example_built: Path) -> None:
    html = (example_built / "map/roadmaps/hoshiyomi-success/index.html").read_text(encoding="utf-8")
    head, *rows = _sources(html)
    assert rows and all("›" in r for r in rows)
    workshop = next(r for r in rows if "2026年5月 オンボーディング改善ワークショップ" in r)
    assert "ワークショップでの仮定" in workshop and "仮説" in workshop and "2026-05-20" in workshop
    assert "オンボーディング ›" in workshop  # the stage, then the checkpoint
