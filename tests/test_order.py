"""The customer's order on every listing, the lifecycle overview, and what a department head
and a new CS member look for (issue 16 §2, §1 lifecycle, §4): real builds of the example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ENV, broken_links, commit_all, copy_site, git, run_build, text_of

# The example's journeys in the order the roadmap's stages name them.
ORDER = ["認知から契約まで（新規獲得）", "オンボーディング", "活用促進（アダプション）", "利用拡大と継続契約"]
PERSONAS = ["岡田 翔太", "小林 誠", "中村 由紀", "藤田 隆"]  # おかだ, こばやし, なかむら, ふじた


def build(site: Path, today: str = "2026-12-03") -> Path:
    before = dict(ENV)
    ENV["TABIJI_TODAY"] = today
    try:
        result = run_build(site)
    finally:
        ENV.clear()
        ENV.update(before)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return site / "site"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in a git repository (so review states and history are known), built on a
    day after the KPIs' deadlines."""
    site = copy_site("example", tmp_path_factory.mktemp("order") / "repo")
    git(site, "init", "-q")
    commit_all(site, "The example", "2026-11-01", author="Ann")
    return build(site)


def article(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def in_order(text: str, names: list[str]) -> bool:
    at = [text.find(n) for n in names]
    return -1 not in at and at == sorted(at)


def test_journeys_in_the_customers_order_on_every_listing(example: Path) -> None:
    for url in ("map", "map/journeys", "map/start", "map/lifecycle"):
        assert in_order(text_of(article(example, url)), ORDER), url
    # the sidebar (seen from a journey page, where its section is open) and previous/next
    html = (example / "map/journeys/adoption/index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary"):html.index("md-sidebar--secondary")]
    assert in_order(text_of(nav), ORDER)
    for here, prev, nxt in (("onboarding", "acquisition", "adoption"), ("adoption", "onboarding", "expansion-renewal")):
        page = article(example, f"map/journeys/{here}")
        assert f'rel="prev" href="../{prev}/"' in page and f'rel="next" href="../{nxt}/"' in page
    first = article(example, "map/journeys/acquisition")
    assert 'rel="prev"' not in first and 'rel="next" href="../onboarding/"' in first
    # a persona's journeys; a department's phases; a KPI's uses: in journey order
    hr = text_of(article(example, "map/personas/hr-admin"))
    assert in_order(hr, ["オンボーディング", "活用促進（アダプション）"])
    cs = text_of(article(example, "map/departments/cs"))
    assert in_order(cs, ["オンボーディング", "活用促進（アダプション）", "利用拡大と継続契約"])


def test_names_sort_by_reading(example: Path) -> None:
    assert in_order(text_of(article(example, "map/personas")), PERSONAS)
    assert in_order(text_of(article(example, "map/start")), PERSONAS)
    html = (example / "map/personas/executive/index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary"):html.index("md-sidebar--secondary")]
    assert in_order(text_of(nav), PERSONAS)
    # 営業 (えいぎょう) before オンボーディング before カスタマー… before プロダクト開発 (ぷろだくと)
    assert in_order(text_of(article(example, "map/departments")),
                    ["営業", "オンボーディングチーム", "カスタマーサクセス", "プロダクト開発", "マーケティング"])


def test_touchpoint_page_lists_phases_in_journey_then_phase_order(example: Path) -> None:
    found = 0
    for page in sorted((example / "map/touchpoints").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        body = html[html.index('id="used-in"'):]
        body = body[:body.find("</ul></li></ul>") + 15]
        anchors = re.findall(r'href="\.\./\.\./journeys/([a-z0-9-]+)/#phase-([a-z0-9-]+)"', body)
        if len(anchors) < 2:
            continue
        found += 1
        journeys = [j for j, _ in anchors]
        order = ["acquisition", "onboarding", "adoption", "expansion-renewal"]
        assert journeys == sorted(journeys, key=order.index), page
        src = {j: (Path(__file__).parent.parent / "journeys/maps" / f"{j}.yml").read_text(encoding="utf-8")
               for j in set(journeys)}
        for j in set(journeys):
            phases = [p for jj, p in anchors if jj == j]
            positions = [src[j].index(f"  - id: {p}\n") for p in phases]
            assert positions == sorted(positions), (page, j, phases)
    assert found >= 3


def test_explicit_order_without_a_roadmap(tmp_path: Path) -> None:
    site = copy_site("example", tmp_path / "site")
    (site / "journeys/roadmaps/hoshiyomi-success.yml").unlink()
    index = site / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("(roadmap:hoshiyomi-success)", "(journey:onboarding)"),
                     encoding="utf-8")
    for name, n in (("expansion-renewal", 1), ("onboarding", 3), ("adoption", 2)):
        path = site / "journeys/maps" / f"{name}.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"\nid: {name}\n", f"\nid: {name}\norder: {n}\n", 1), encoding="utf-8")
    config = site / "mkdocs.yml"  # without the roadmap its KPIs are unused ('tabiji check'): not this test's point
    config.write_text(config.read_text(encoding="utf-8").replace("      prefix: map\n", "      prefix: map\n"
                                                                  "      checks: {kpi-used: \"off\"}\n"), encoding="utf-8")
    out = build(site)
    # a journey without order: (acquisition) comes after those with one
    assert in_order(text_of(article(out, "map/journeys")),
                    ["利用拡大と継続契約", "活用促進（アダプション）", "オンボーディング", "認知から契約まで（新規獲得）"])


def test_lifecycle_overview_shows_every_phase_in_order_with_links_that_resolve(example: Path) -> None:
    html = article(example, "map/lifecycle")
    row = html[html.index('id="all"'):html.index("</figure>", html.index('id="all"'))]
    links = re.findall(r'<li(?: class="tabiji-lc-start")?><a href="\.\./journeys/([a-z0-9-]+)/#phase-([a-z0-9-]+)">',
                       row)
    expected = []
    root = Path(__file__).parent.parent / "journeys/maps"
    for j in ("acquisition", "onboarding", "adoption", "expansion-renewal"):
        text = root.joinpath(f"{j}.yml").read_text(encoding="utf-8")
        phases = text[text.index("\nphases:"):text.index("\nlanes:")]
        expected += [(j, p) for p in re.findall(r"^  - id: ([a-z0-9-]+)$", phases, re.MULTILINE)]
    assert links == expected
    # one curve across all of them, one dot per phase with an emotion, the scale marked
    svg = row[row.index("<svg"):]
    assert svg.count('<path class="tabiji-lc-curve"') == 1
    assert svg.count("<circle") == len(expected) - svg.count("感情の記入なし")
    assert all(f">{s}</text>" in svg for s in ("+2", "0", "−2"))
    # one row per persona, with only their journeys
    assert 'id="persona-hr-admin"' in html and 'id="persona-executive"' in html
    assert broken_links(example) == []
    for url in ("map", "map/start"):
        assert 'href="../lifecycle/"' in article(example, url) or 'href="lifecycle/"' in article(example, url)


def test_home_and_start_lead_to_what_readers_look_for(example: Path) -> None:
    for url, prefix in (("map", ""), ("map/start", "../")):
        page = article(example, url)
        for target in ("lifecycle/", "freshness/", "glossary/", "metrics/", "departments/#review-rule", "history/"):
            assert f'href="{prefix}{target}"' in page, (url, target)
    home = article(example, "map")
    words = text_of(home)
    assert re.search(r"\d+ 件のドキュメントがレビュー期限切れです", words)
    days = [int(d) for d in re.findall(r"(\d+) 日超過", text_of(home[home.index('id="overdue"'):]))]
    assert days and days == sorted(days, reverse=True)


def test_department_page_shows_cells_text_reviewers_and_review_state(example: Path) -> None:
    page = article(example, "map/departments/onboarding")
    words = text_of(page)
    assert "@hoshiyomi/onboarding" in words and 'href="../#review-rule"' in page
    cells = page[page.index('id="steps"'):]
    cells = cells[:cells.index("</table>")]
    assert cells.count("<tr>") >= 4 and "施策" in text_of(cells[:cells.index("</thead>")])
    # the text shown is the measures lane's cell of that column in the YAML
    source = (Path(__file__).parent.parent / "journeys/maps/onboarding.yml").read_text(encoding="utf-8")
    first_cell = re.search(r"<td><ul><li>(.+?)</li>", cells).group(1)
    assert re.sub(r"<[^>]+>", "", first_cell)[:8] in source
    assert 'id="reviews"' in page


def test_one_review_rule(example: Path) -> None:
    page = article(example, "map/departments")
    rule = page[page.index('id="review-rule"'):]
    words = text_of(rule)
    for what in ("ジャーニーのセル", "フェーズ", "ジャーニー全体の項目", "カタログの項目"):
        assert what in words
    assert "maps/onboarding.yml" in words and "catalog/glossary.yml" not in words and "@hoshiyomi/onboarding" in words
    guide = (Path(__file__).parent.parent / "docs/guide/writing.md").read_text(encoding="utf-8")
    assert guide.count("../map/departments/index.md#review-rule") >= 3
    assert "フェーズの `owners` や KPI の `owner` の部署に、プルリクエストのレビューを依頼します" not in guide


def test_kpi_page_lists_every_threshold_and_marks_a_missed_deadline(example: Path) -> None:
    page = article(example, "map/kpis/first-login-rate")
    table = page[page.index('id="thresholds"'):]
    table = text_of(table[:table.index("</table>")])
    for value in ("90%", "≥ 80%", "≤ 50%", "≥ 95%", "70%"):
        assert value in table, value
    facts = text_of(page[:page.index('id="thresholds"')])
    assert re.search(r"現状値 \d+(\.\d+)?%", facts)
    kpis = (Path(__file__).parent.parent / "journeys/catalog/kpis.yml").read_text(encoding="utf-8")
    assert "deadline:" in kpis
    index = article(example, "map/kpis")
    assert "期限切れ・未達" in text_of(index)


def test_persona_page_reads_like_a_card(example: Path) -> None:
    page = article(example, "map/personas/hr-admin")
    card = page[page.index('class="tabiji-persona-card"'):page.index("</section>")]
    words = text_of(card)
    assert in_order(words, ["役職", "毎月の締め", "目標・期待する成果", "課題", "このペルソナのジャーニー"])
    assert in_order(words, ["オンボーディング", "活用促進（アダプション）"])


def test_history_in_words_by_date_with_marked_edits(tmp_path: Path) -> None:
    site = copy_site("example", tmp_path / "repo")
    git(site, "init", "-q")
    commit_all(site, "init", "2026-11-01", author="Ann")
    persona = site / "journeys/personas/hr-admin.yml"
    text = persona.read_text(encoding="utf-8")
    persona.write_text(text.replace("強い。ミスを嫌い", "強い。 ミスを嫌い", 1), encoding="utf-8")
    commit_all(site, "whitespace only", "2026-11-05", author="Bob")
    text = persona.read_text(encoding="utf-8")
    persona.write_text(text.replace("ミスを嫌い", "ミスをとても嫌い", 1), encoding="utf-8")
    commit_all(site, "wording", "2026-11-05", author="Cy")
    page = article(build(site), "map/history")
    day = page[page.index('id="date-2026-11-05"'):page.index('id="date-2026-11-01"')]
    assert "空白・改行だけの変更" in text_of(day)
    assert "<ins>とても</ins>" in day
    assert day.count("几帳面で責任感が強い。ミスを嫌い") == 0  # not the whole line twice
    assert text_of(day).index("wording") > text_of(day).index("空白")  # commit messages after the words
