"""Evidence (issue 13 §2): cells and checkpoints say where they come from; hypotheses are
marked by icon and word in the HTML and SVG maps, the journey page lists its sources, the
assumptions page lists every hypothesis by owner department, oldest first, and the diff
names evidence changes. A site without evidence builds as before."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import built, copy_site, text_of
from tabiji.review.diff import diff_sites, render
from tabiji.core.problems import InvalidSources
from tabiji.source.validate import load_site

JOURNEY = "journeys/maps/onboarding.yml"
ROADMAP = "journeys/roadmaps/success.yml"

# Three cells with evidence: a verified interview, an undated hypothesis, a dated hypothesis.
EVIDENCE = """\
    evidence:
      signup: {kind: interview, source: 'https://example.com/interviews/2026-04', date: 2026-04-20, status: verified}
      invite: {kind: workshop, source: 'Workshop <b>May</b>', note: Ask at the next kickoff}
      configure:
        - {kind: support_tickets, source: Ticket review Q1, date: 2026-03-01, status: hypothesis}
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_evidence(root: Path) -> Path:
    edit(root / JOURNEY, "      configure: {score: 2, label: Relieved}\n",
         "      configure: {score: 2, label: Relieved}\n" + EVIDENCE)
    edit(root / ROADMAP, "{metric: dau, comparison: \">=\", value: 50, window: within 30 days}",
         "{metric: dau, comparison: \">=\", value: 50, window: within 30 days, "
         "evidence: {kind: analytics, source: Usage dashboard, date: 2026-02-01}}")
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(InvalidSources) as caught:
        load_site(root / "journeys")
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_site("mini", tmp_path / "mini")
    monkeypatch.chdir(root)
    return root


def swimlane_rows(html: str) -> dict[str, str]:
    """Each lane's row of the journey swimlane, by its kind."""
    return dict(re.findall(r'<tr class="tabiji-lane tabiji-lane--([a-z_]+)">(.*?)</tr>', html, re.S))


# ------------------------------------------------------------------ model and validation


def test_evidence_is_optional_and_one_mapping_is_a_list(site: Path) -> None:
    before = load_site(Path("journeys")).journeys["onboarding"]
    assert all(not lane.evidence for lane in before.lanes)
    with_evidence(site)
    journey = load_site(Path("journeys")).journeys["onboarding"]
    emotions = journey.lanes[1]
    assert emotions.evidence["signup"][0].status == "verified"
    assert emotions.evidence["invite"][0].status == "hypothesis"  # the default: nothing looks verified unless said
    assert len(emotions.evidence["configure"]) == 1


def test_evidence_for_a_cell_that_is_not_there_is_located(site: Path) -> None:
    edit(site / JOURNEY, "      configure: {score: 2, label: Relieved}\n",
         "      configure: {score: 2, label: Relieved}\n    evidence:\n      invte: {kind: survey}\n"
         "      setup: {kind: survey}\n")
    assert problems(site) == [
        f"{JOURNEY}:31:7: lanes[1].evidence.invte: expected the phase or step id of a cell of this lane, "
        "found 'invte', an unknown id; did you mean 'invite'?",
        f"{JOURNEY}:32:7: lanes[1].evidence.setup: expected the phase or step id of a cell of this lane, "
        "found 'setup', a column of this journey with no cell in this lane; did you mean 'signup'?",
    ]


def test_bad_evidence_values_are_located_with_the_closest_choice(site: Path) -> None:
    edit(site / JOURNEY, "      configure: {score: 2, label: Relieved}\n",
         "      configure: {score: 2, label: Relieved}\n    evidence:\n"
         "      signup: {kind: intervew, status: verifed, url: 'javascript:alert(1)', date: someday}\n")
    found = problems(site)
    assert len(found) == 4, found
    assert any("lanes[1].evidence.signup.kind: expected one of" in p and "did you mean 'interview'?" in p
               for p in found)
    assert any("lanes[1].evidence.signup.status:" in p and "did you mean 'verified'?" in p for p in found)
    assert any("lanes[1].evidence.signup.url: expected a web address" in p for p in found)
    assert any("lanes[1].evidence.signup.date: expected a date as YYYY-MM-DD" in p for p in found)
    assert all(p.startswith(f"{JOURNEY}:31:") for p in found)


def test_verified_evidence_needs_a_source(site: Path) -> None:
    edit(site / ROADMAP, "{metric: dau, comparison: \">=\", value: 50, window: within 30 days}",
         "{metric: dau, comparison: \">=\", value: 50, evidence: [{kind: analytics}, {status: verified}]}")
    [problem] = problems(site)
    assert problem.startswith(f"{ROADMAP}:")
    assert "stages[1].checkpoints[0].evidence[1].status: expected a 'source' or 'url' for verified evidence" in problem
    assert "found status 'verified' with no source" in problem


# ------------------------------------------------------------------ pages and diagrams


def test_a_site_without_evidence_has_no_marks_and_no_assumptions_page(site: Path) -> None:
    out = built(site)
    page = (out / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    assert "tabiji-hypothesis" not in page and 'id="sources"' not in page
    assert not (out / "map/hypotheses").exists()
    assert "Assumptions to verify" not in (out / "index.html").read_text(encoding="utf-8")


def test_hypotheses_are_marked_by_icon_and_word_in_html_and_svg(site: Path) -> None:
    out = built(with_evidence(site))
    page = (out / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    row = swimlane_rows(page)["emotions"]
    cells = re.findall(r'<td class="([^"]*)"[^>]*>(.*?)</td>', row, re.S)
    marked = [css for css, body in cells if "tabiji-hypothesis" in body]
    assert len(cells) == 3 and len(marked) == 2  # the verified interview is not marked
    assert all("tabiji-cell--hypothesis" in css for css in marked)
    assert "tabiji-cell--hypothesis" not in cells[0][0]
    mark = re.search(r'<span class="tabiji-hypothesis" title="([^"]*)">(.*?)</span></div>', cells[1][1]).groups()
    assert text_of(mark[1]).split() == ["?", "Hypothesis"]  # an icon and the word, not colour alone
    assert "Workshop assumption" in mark[0] and "&lt;b&gt;May&lt;/b&gt;" in mark[0]  # what it rests on, escaped
    svg = (out / "map/journeys/onboarding.svg").read_text(encoding="utf-8")
    assert svg.count(">? Hypothesis</text>") == 2
    roadmap = (out / "map/roadmaps/success/index.html").read_text(encoding="utf-8")
    assert re.search(r'<li class="tabiji-checkpoint tabiji-checkpoint--hypothesis">.*?Hypothesis', roadmap, re.S)
    assert "? Hypothesis" in (out / "map/roadmaps/success.svg").read_text(encoding="utf-8")


def test_the_journey_page_lists_its_sources(site: Path) -> None:
    out = built(with_evidence(site))
    page = (out / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    section = page[page.index('id="sources"'):]
    table = section[section.index("<table"):section.index("</table>")]
    rows = [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)][1:]
    assert len(rows) == 3
    assert rows[0].split()[:4] == ["https://example.com/interviews/2026-04", "Interview", "2026-04-20", "Verified"]
    assert '<a href="https://example.com/interviews/2026-04">' in table  # a bare web address becomes a link
    assert "Workshop &lt;b&gt;May&lt;/b&gt;" in table
    assert "<b>May</b>" not in table  # the writer's text is escaped, never HTML
    assert "Ask at the next kickoff" in rows[1] and "Hypothesis" in rows[1]
    assert rows[2].split()[-3:] == ["Setup", "›", "Configure"]
    assert 'href="#phase-setup"' in table


def test_the_assumptions_page_lists_hypotheses_by_owner_oldest_first(site: Path) -> None:
    out = built(with_evidence(site))
    page = (out / "map/hypotheses/index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Assumptions to verify" in text_of(page[page.index("<h1"):])
    body = page[page.index("<h1"):]
    heads = re.findall(r'<h2 id="owner-([a-z0-9_-]+)"', body)
    # invite and configure belong to phase setup (owners: cs); the roadmap's checkpoint to its owner
    assert heads == ["cs"]
    cs = body[body.index('id="owner-cs"'):]
    cs = cs[:cs.index("</table>")]
    dates = [text_of(r).split()[0] for r in re.findall(r"<tr>(.*?)</tr>", cs, re.S)[1:]]
    # the roadmap's checkpoint (2026-02-01), configure (2026-03-01), then the undated invite
    assert dates == ["2026-02-01", "2026-03-01", "no"] and "no date" in text_of(cs)
    assert "Signs the contract" not in text_of(body)  # verified cells are not listed
    journey = (out / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./\.\./hypotheses/"[^>]*>\s*<span[^>]*>\s*Assumptions to verify', journey)  # in the nav


def test_japanese_site_marks_and_lists_in_japanese(site: Path) -> None:
    edit(site / "mkdocs.yml", "language: en", "language: ja")
    out = built(with_evidence(site))
    page = (out / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    row = swimlane_rows(page)["emotions"]
    assert text_of(re.search(r'<span class="tabiji-hypothesis"[^>]*>.*?</span></div>', row).group(0)).split() == \
        ["?", "仮説"]
    assert "根拠と出典" in text_of(page) and "検証済み" in text_of(page)
    hyp = (out / "map/hypotheses/index.html").read_text(encoding="utf-8")
    assert "検証待ちの仮説" in text_of(hyp) and "日付なし" in text_of(hyp)
    assert "? 仮説" in (out / "map/journeys/onboarding.svg").read_text(encoding="utf-8")


# ------------------------------------------------------------------ diff


def test_the_diff_names_evidence_changes(site: Path, tmp_path: Path) -> None:
    with_evidence(site)
    base = tmp_path / "base"
    shutil.copytree(site / "journeys", base)
    edit(site / JOURNEY, "      invite: {kind: workshop, source: 'Workshop <b>May</b>', note: Ask at the next kickoff}",
         "      invite: {kind: interview, source: Kickoff interviews, date: 2026-06-01, status: verified}")
    edit(site / ROADMAP, "evidence: {kind: analytics, source: Usage dashboard, date: 2026-02-01}",
         "evidence: {kind: analytics, source: Usage dashboard, date: 2026-02-01, status: verified}")
    a, b = load_site(base), load_site(site / "journeys")
    changes = diff_sites(a, b)
    assert [c.what for c in changes] == ["evidence", "evidence"]  # no made-up order change of the checkpoints
    ja = render(changes, a, b, "ja", "text")
    assert "「思考・感情」レーンの「Setup › Invite users」のセルの根拠：仮説（" in ja
    assert "→ 検証済み（インタビュー・2026-06-01・Kickoff interviews）" in ja
    assert "の根拠：仮説（データ分析・2026-02-01・Usage dashboard） → 検証済み（" in ja
    en = render(changes, a, b, "en", "text")
    assert "evidence Hypothesis (Workshop assumption · Workshop <b>May</b>) → Verified (Interview" in en
