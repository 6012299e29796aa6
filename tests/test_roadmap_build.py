"""Roadmap pages, playbooks, health-score candidates, metrics, start page, roles and glossary:
real MkDocs builds of the fixture and the example, checked in the HTML."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from conftest import broken_links, built, copy_site, parse_links, text_of
from test_build import hrefs, page
from test_hostile import SCRIPT, active_content

from tabiji.source.validate import load_site
from tabiji.core import model as m

ROADMAP_URL = "map/roadmaps/success"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _owned_items(source: Path) -> dict[str, set[str]]:
    """department id -> the '#task-<id>' / '#action-<id>' fragments of everything it performs."""
    site = load_site(source)
    owned: dict[str, set[str]] = {}
    for roadmap in site.roadmaps.values():
        for stage in roadmap.stages:
            for lane in m.TASK_LANES:
                for task in getattr(stage.tasks, lane):
                    if task.department:
                        owned.setdefault(task.department, set()).add(f"{roadmap.id}/#task-{task.id}")
        for action in roadmap.actions:
            owned.setdefault(action.department, set()).add(f"{roadmap.id}/#action-{action.id}")
    return owned


def test_every_new_page_is_generated_and_linked(mini: Path) -> None:
    site = built(mini)
    for url in ("map/start", "map/roadmaps", ROADMAP_URL, "map/playbooks/success", "map/health", "map/metrics",
                "map/roles", "map/glossary"):
        assert (site / url / "index.html").is_file(), url
    assert (site / "map/roadmaps/success.svg").is_file()
    assert broken_links(site) == []
    roadmap = page(site, ROADMAP_URL)
    assert 'class="tabiji-swimlane tabiji-roadmap' in roadmap  # the swimlane is on the page


def test_start_page_is_first_in_the_map_and_reaches_the_playbook(mini: Path) -> None:
    site = built(mini)
    home = page(site, "map")
    nav = home[home.index("md-nav--primary"):]
    titles = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*(?:<span[^>]*>\s*)?([^<\s][^<]*?)\s*<', nav)
    assert titles.index("Start here") < titles.index("Journeys") < titles.index("Roadmaps")
    assert "start/" in hrefs(home)
    start = page(site, "map/start")
    text = text_of(start)
    # personas -> journeys -> roadmap stages -> playbook -> glossary, in that order
    steps = ["1. Meet the personas", "2. Read the journeys", "3. Learn the roadmap stages", "4. Use the playbook",
             "5. Check the words"]
    positions = [text.index(s) for s in steps]
    assert positions == sorted(positions)
    links = hrefs(start)
    assert "../personas/admin/" in links and "../journeys/onboarding/" in links
    assert "../roadmaps/success/#stage-use" in links
    assert "../playbooks/success/" in links and "../glossary/" in links
    assert "../glossary/#term-churn" in links


def test_department_page_links_every_task_and_action_it_owns(mini: Path) -> None:
    owned = _owned_items(mini / "journeys")
    site = built(mini)
    assert set(owned) == {"cs", "sales"}
    for dept, items in owned.items():
        links = hrefs(page(site, f"map/departments/{dept}"))
        for item in items:
            assert f"../../roadmaps/{item}" in links, (dept, item)
    sales = text_of(page(site, "map/departments/sales"))
    assert "Roadmap tasks" in sales and "Guided actions performed" in sales and "Kickoff meeting" in sales
    # cs owns the roadmap itself
    assert "../../roadmaps/success/" in hrefs(page(site, "map/departments/cs"))


def test_task_and_action_anchors_exist_on_the_roadmap_page(mini: Path) -> None:
    """Links to #task-<id> and #action-<id> land on the swimlane's cells."""
    site = built(mini)
    roadmap = page(site, ROADMAP_URL)
    ids = parse_links(roadmap)[1]
    for items in _owned_items(mini / "journeys").values():
        for item in items:
            assert item.split("#")[1] in ids, item


def test_roadmap_page_does_not_reuse_the_swimlane_ids(mini: Path) -> None:
    """stage-*, task-* and action-* ids belong to the swimlane: the details use detail-*."""
    roadmap = page(built(mini), ROADMAP_URL)
    start = roadmap.index('<h2 id="stages">')
    ids = parse_links(roadmap[start:])[1]
    assert {"detail-start", "detail-use", "actions-positive", "actions-challenge"} <= ids
    assert not [i for i in ids if i.startswith(("stage-", "task-", "action-"))]


def test_roadmap_page_facts_stages_and_actions(mini: Path) -> None:
    roadmap = page(built(mini), ROADMAP_URL)
    text = html_lib.unescape(text_of(roadmap))
    assert "Mini product" in text and "The contract is signed and the kickoff is done." in text
    assert "Daily active users ≥ 50 users (within 30 days)" in text  # a checkpoint, in words
    assert "Daily active users < 20 users (after 14 days)" in text  # a trigger's condition
    links = hrefs(roadmap)
    assert "../../personas/admin/" in links and "../../roles/#role-sponsor" in links
    assert "../../kpis/dau/" in links and "https://example.com/help" in links
    assert "../../playbooks/success/" in links
    # positive and challenge actions told apart by word and icon, not only colour
    assert roadmap.count('tabiji-kind--positive"><span aria-hidden="true">▲</span> Positive action') >= 1
    assert roadmap.count('tabiji-kind--challenge"><span aria-hidden="true">▼</span> Challenge action') >= 2
    assert "Follow-up: Check again a week later." in text


def test_journey_phases_and_roadmap_stages_link_both_ways(mini: Path) -> None:
    site = built(mini)
    journey = page(site, "map/journeys/onboarding")
    links = hrefs(journey)
    assert "../../roadmaps/success/#stage-start" in links  # phase signup -> stage start
    assert "../../roadmaps/success/#stage-use" in links  # phase setup -> stage use
    setup = journey[journey.index('id="phase-setup"'):]
    assert "../../roadmaps/success/#stage-use" in hrefs(setup) and "#stage-start" not in setup
    roadmap = hrefs(page(site, ROADMAP_URL))
    assert "../../journeys/onboarding/#phase-signup" in roadmap and "../../journeys/onboarding/#phase-setup" in roadmap


def test_persona_kpi_segment_and_role_pages_list_the_roadmap(mini: Path) -> None:
    site = built(mini)
    persona = page(site, "map/personas/admin")
    assert "Roadmaps for this persona" in text_of(persona) and "../../roadmaps/success/" in hrefs(persona)
    kpi = page(site, "map/kpis/dau")
    assert "Used in roadmaps" in text_of(kpi)
    assert "../../roadmaps/success/#stage-use" in hrefs(kpi)
    assert "../../roadmaps/success/#action-call-admin" in hrefs(kpi)
    assert "../../metrics/#rung-success" in hrefs(kpi)
    assert "../roadmaps/success/" in hrefs(page(site, "map/segments"))
    roles = page(site, "map/roles")
    assert 'id="role-sponsor"' in roles and "../roadmaps/success/#task-kickoff" in hrefs(roles)
    assert "../roadmaps/success/#action-propose-options" in hrefs(roles)


def test_health_page_is_derived_from_the_triggers(mini: Path) -> None:
    health = page(built(mini), "map/health")
    assert 'id="metric-dau"' in health and 'id="metric-nps"' not in health
    section = health[health.index('id="metric-dau"'):health.index('id="unmeasured"')]
    assert "../roadmaps/success/#action-propose-options" in hrefs(section)
    assert "../roadmaps/success/#action-call-admin" in hrefs(section)
    checkpoints = html_lib.unescape(text_of(health[health.index('id="checkpoints"'):health.index('id="unmeasured"')]))
    assert "Daily active users ≥ 50 users (within 30 days)" in checkpoints
    unmeasured = health[health.index('id="unmeasured"'):]
    assert "../roadmaps/success/#action-resend-survey" in hrefs(unmeasured)


def test_a_trigger_added_in_yaml_appears_on_the_health_page(mini: Path) -> None:
    """No other edit: one new action with a measurable condition, and the health page has it."""
    before = page(built(mini), "map/health")
    assert 'id="metric-nps"' not in before
    (mini / "site").rename(mini / "site-before")
    roadmap = mini / "journeys/roadmaps/success.yml"
    source, review = roadmap.read_text(encoding="utf-8").split("review_every:")
    roadmap.write_text(source + """\
  - id: detractor-call
    kind: challenge
    stage: use
    trigger: A detractor answered the survey.
    condition: {metric: nps, comparison: "<=", value: 6, unit: points, window: last survey}
    action: Book a meeting within two days.
    department: cs
review_every:""" + review, encoding="utf-8")
    health = page(built(mini), "map/health")
    assert 'id="metric-nps"' in health
    section = health[health.index('id="metric-nps"'):]
    assert "../roadmaps/success/#action-detractor-call" in hrefs(section)
    assert "NPS ≤ 6 points (last survey)" in html_lib.unescape(text_of(section))


def test_metrics_page_shows_the_ladder_and_smart_fields(mini: Path) -> None:
    metrics = page(built(mini), "map/metrics")
    rungs = [f'id="rung-{r.replace("_", "-")}"' for r in m.RUNGS]
    assert [metrics.index(r) for r in rungs] == sorted(metrics.index(r) for r in rungs)
    success = metrics[metrics.index('id="rung-success"'):metrics.index('id="rung-loyalty"')]
    assert "../kpis/dau/" in hrefs(success) and "Is the mission achieved?" in text_of(success)
    loyalty = metrics[metrics.index('id="rung-loyalty"'):metrics.index('id="rung-health-score"')]
    assert "../kpis/nps/" in hrefs(loyalty)
    unassigned = metrics[metrics.index('id="rung-none"'):metrics.index('id="smart"')]
    assert "../kpis/activation/" in hrefs(unassigned)
    smart = text_of(metrics[metrics.index('id="smart"'):])
    assert "80% or more" in smart and "2027-03-31" in smart
    assert "../journeys/onboarding/" in hrefs(metrics) and "../roadmaps/success/" in hrefs(metrics)


def test_playbook_has_a_printed_page_per_stage(mini: Path) -> None:
    playbook = page(built(mini), "map/playbooks/success")
    assert playbook.count('class="tabiji-playbook-stage"') == 2
    assert '<h2 class="tabiji-playbook-stage" id="stage-use">2. Daily use</h2>' in playbook
    use = playbook[playbook.index('id="stage-use"'):]
    assert 'id="check-first-login"' in use and "Log in for the first time" in use
    assert "When X happens, do Y" in use and "Call the administrator." in use
    assert 'id="check-kickoff"' not in use
    css = (Path(__file__).parent.parent / "plugins/tabiji/assets/tabiji.css").read_text(encoding="utf-8")
    # a lost brace (easy in a merge of two appended sections) silently voids every rule after it
    assert re.sub(r"/\*.*?\*/", "", css, flags=re.S).count("{") == css.count("}")
    roadmap_css = css[css.index("/* ---- roadmap pages, playbook, glossary ---- */"):]
    assert "h2.tabiji-playbook-stage ~ h2.tabiji-playbook-stage" in roadmap_css
    assert "break-before: page" in roadmap_css and "size: A4 portrait" in roadmap_css


def test_glossary_tooltip_marks_the_first_use_and_is_escaped(mini: Path) -> None:
    _edit(mini / "journeys/catalog/catalog.yml", '"Getting a new customer to first value: setup, training, goals."',
          '"Getting to \\"first value\\" <script>alert(1)</script> & more."')
    site = built(mini)
    roadmap = page(site, ROADMAP_URL)
    abbr = '<abbr class="tabiji-term" title="Getting to &quot;first value&quot; &lt;script&gt;alert(1)&lt;/script&gt; ' \
           '&amp; more.">Onboarding</abbr>'
    assert roadmap.count(abbr) == 1  # the first use only, though the trigger shows twice
    # once in the swimlane, the stage details and the actions table: marked only the first time
    assert roadmap.count("Onboarding</abbr> is going well") == 1 and roadmap.count("Onboarding is going well") >= 2
    assert active_content(roadmap) == []
    # never inside a link or a heading: the journey named Onboarding is linked and titled, not marked
    journey = page(site, "map/journeys/onboarding")
    assert 'class="tabiji-term"' not in journey.split('<h1', 1)[1].split("</h1>", 1)[0]
    for link in re.findall(r"<a [^>]*>.*?</a>", roadmap):
        assert "<abbr" not in link, link


def test_glossary_page_sorted_by_reading_in_both_languages(mini: Path) -> None:
    english = page(built(mini), "map/glossary")
    assert english.index('id="term-churn"') < english.index('id="term-onboarding"')  # C < O
    assert "../glossary/#term-churn" not in hrefs(english) and "#term-churn" in hrefs(english)
    assert "churned" in text_of(english)
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: ja"), encoding="utf-8")
    (mini / "site").rename(mini / "site-en")
    japanese = page(built(mini), "map/glossary")
    assert japanese.index('id="term-onboarding"') < japanese.index('id="term-churn"')  # お < ち
    text = text_of(japanese)
    assert "オンボーディング" in text and "日本語" in text and "English" in text and "導入から最初の価値の実感まで。" in text


def test_labels_follow_the_language(mini: Path) -> None:
    english = text_of(page(built(mini), ROADMAP_URL))
    for label in ("Achievement state", "Checkpoints", "Joint tasks", "Customer tasks", "Our tasks",
                  "Positive actions", "Challenge actions", "Journey phases"):
        assert label in english, label
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: ja"), encoding="utf-8")
    (mini / "site").rename(mini / "site-en")
    site = built(mini)
    japanese = text_of(page(site, ROADMAP_URL))
    for label in ("達成状態", "チェックポイント", "共同タスク", "カスタマータスク", "自社タスク", "ポジティブアクション",
                  "チャレンジアクション"):
        assert label in japanese, label
    assert "Achievement state" not in japanese
    assert "1. ペルソナを知る" in text_of(page(site, "map/start"))
    assert "（within 30 days）" in html_lib.unescape(japanese)


def test_markup_in_roadmap_text_is_shown_as_text(mini: Path) -> None:
    quoted = SCRIPT.replace('"', '\\"')
    roadmap = mini / "journeys/roadmaps/success.yml"
    _edit(roadmap, "title: Success roadmap", f'title: "Success {quoted}"')
    _edit(roadmap, "name: Daily use", f'name: "Daily {quoted}"')
    _edit(roadmap, "trigger: Few people log in.", "trigger: '[x](javascript:alert(3)) <img src=x onerror=alert(2)>'")
    _edit(mini / "journeys/catalog/catalog.yml", "name: Decision maker", f'name: "Decision {quoted}"')
    site = built(mini)
    for html_file in sorted(site.rglob("*.html")):
        assert active_content(html_file.read_text(encoding="utf-8")) == [], html_file.relative_to(site)
    assert f"Daily {SCRIPT}" in html_lib.unescape(text_of(page(site, "map/playbooks/success")))


def test_example_roadmap_reads_as_a_new_hire_would(tmp_path: Path) -> None:
    """From the start page to a playbook; every task and action reachable from its department."""
    example = copy_site("example", tmp_path / "example")
    site = built(example)
    assert broken_links(site) == []
    roadmap = load_site(example / "journeys").roadmaps["hoshiyomi-success"]
    assert [s.id for s in roadmap.stages] == ["trial", "onboarding", "operation", "value"]
    assert sum(a.kind == "positive" for a in roadmap.actions) >= 6
    assert sum(a.kind == "challenge" for a in roadmap.actions) >= 6
    assert sum(a.condition is not None for a in roadmap.actions) >= 10
    assert all(s.checkpoints and s.phases for s in roadmap.stages)
    assert all(getattr(s.tasks, lane) for s in roadmap.stages for lane in m.TASK_LANES)
    home = hrefs((site / "index.html").read_text(encoding="utf-8"))
    assert "map/start/" in home
    start = hrefs(page(site, "map/start"))
    assert "../playbooks/hoshiyomi-success/" in start
    # journeys are listed in the order the customer lives them (by the roadmap stages they map to)
    journeys = [h.split("/")[2] for h in start if h.startswith("../journeys/") and h.count("/") == 3]
    assert journeys == ["acquisition", "onboarding", "adoption", "expansion-renewal"]
    playbook = page(site, "map/playbooks/hoshiyomi-success")
    assert playbook.count('class="tabiji-playbook-stage"') == 4
    for dept, items in _owned_items(example / "journeys").items():
        links = hrefs(page(site, f"map/departments/{dept}"))
        assert [i for i in items if f"../../roadmaps/{i}" not in links] == [], dept
    glossary = page(site, "map/glossary")
    assert glossary.index('id="term-adoption"') < glossary.index('id="term-onboarding"')  # あ < お
    assert 'class="tabiji-term"' in page(site, "map/roadmaps/hoshiyomi-success")
    health = page(site, "map/health")
    assert health.count('<h3 id="metric-') >= 6
