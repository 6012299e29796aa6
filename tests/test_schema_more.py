"""Schema additions of issue #13 §1, second part: events, trends and absences in conditions,
several teams, roadmap-wide actions, journey KPIs and people, loops, one order across the
task lanes. Model, JSON Schema, located messages, diff, real builds (ja and en)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import jsonschema
import pytest

from conftest import ENV, ROOT, built, copy_site, text_of
from test_validate import edit, problems, src  # noqa: F401  (src is a fixture)

from tabiji.core import model as m
from tabiji.source.validate import load_site

ROADMAP = "journeys/roadmaps/success.yml"
JOURNEY = "journeys/maps/onboarding.yml"

# The mini fixture's conditions, as written there
DAU_CHECKPOINT = '      - {metric: dau, comparison: ">=", value: 50, window: within 30 days}\n'
CALL_ADMIN = 'condition: {metric: dau, comparison: "<", value: 20, window: after 14 days}'
RESEND_TRIGGER = "    trigger: The NPS survey is not answered.\n"


def _events_mini(journeys: Path) -> None:
    """An event checkpoint done by a task, a decrease over a window, an absence."""
    edit(journeys / "roadmaps/success.yml", DAU_CHECKPOINT,
         DAU_CHECKPOINT + "      - {event: First login done, task: first-login}\n")
    edit(journeys / "roadmaps/success.yml", CALL_ADMIN,
         'condition: {metric: dau, change: decrease, by: 30, unit: "%", window: over 4 weeks}')
    edit(journeys / "roadmaps/success.yml", RESEND_TRIGGER,
         RESEND_TRIGGER + "    condition: {event: NPS survey answered, happened: false, window: 14 days after sending}\n")


def _tabiji(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**ENV, "TABIJI_TODAY": "2026-04-01"}, timeout=300)


def _plain(html: str) -> str:
    """Page text without tags and phrase breaks (generated text is phrase-wrapped)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).replace("\u200b", "").split())


# ------------------------------------------------------------------ 1-2. events, trends, absences: the model


def test_event_change_and_absence_load(src: Path) -> None:
    _events_mini(src)
    roadmap = load_site(src).roadmaps["success"]
    event = roadmap.stages[1].checkpoints[1]
    assert (event.event, event.task, event.metric) == ("First login done", "first-login", None)
    assert m.is_event(event) and not m.is_event(roadmap.stages[1].checkpoints[0])
    change = roadmap.actions[1].condition
    assert (change.metric, change.change, change.by, change.comparison) == ("dau", "decrease", 30.0, None)
    absence = roadmap.actions[2].condition
    assert (absence.event, absence.happened) == ("NPS survey answered", False)


def test_a_task_alone_is_the_event(src: Path) -> None:
    edit(src / "roadmaps/success.yml", DAU_CHECKPOINT, DAU_CHECKPOINT + "      - {task: usage-report}\n")
    checkpoint = load_site(src).roadmaps["success"].stages[1].checkpoints[1]
    assert m.is_event(checkpoint) and checkpoint.task == "usage-report"


def test_unknown_checkpoint_task_suggests_the_closest(src: Path) -> None:
    edit(src / "roadmaps/success.yml", DAU_CHECKPOINT, DAU_CHECKPOINT + "      - {event: Done, task: first-logn}\n")
    assert problems(src) == [
        f"{ROADMAP}:28:29: stages[1].checkpoints[1].task: expected the id of a task of this roadmap, "
        "found unknown task 'first-logn'; did you mean 'first-login'?"]


@pytest.mark.parametrize(("written", "expected"), [
    ('{event: Done, metric: dau}',
     "stages[1].checkpoints[1].metric: expected an event (event, happened, window) or a metric condition, not both, "
     "found 'metric' beside 'event'; remove 'event' or the metric's fields"),
    ('{metric: dau, change: decrease, comparison: "<"}',
     "stages[1].checkpoints[1].comparison: expected a change (metric, change, by, window) or a measure (metric, "
     "comparison, value), not both, found 'comparison' beside 'change'; remove 'change' and 'by', or 'comparison' "
     "and 'value'"),
    ('{metric: dau, by: 3}',
     "stages[1].checkpoints[1].by: expected 'by' only with 'change' (increase or decrease), found no 'change'; "
     "add 'change: decrease'"),
    ('{metric: dau, happened: false}',
     "stages[1].checkpoints[1].happened: expected 'happened' only with 'event', found no 'event'; "
     "add 'event: <what happens>'"),
    ('{window: soon}',
     "stages[1].checkpoints[1]: expected a condition: {metric, comparison, value}, {metric, change} or {event}, "
     "found neither a 'metric' nor an 'event'; an event without a metric is written as event: <what happens>"),
    ('{metric: dau, comparison: ">="}',
     "stages[1].checkpoints[1].value: expected the required field 'value', found nothing"),
    ('{metric: dau, change: down}',
     "stages[1].checkpoints[1].change: expected one of 'increase', 'decrease', found 'down'; "
     "valid: 'decrease', 'increase'"),
    ('{evnt: Done}',
     "stages[1].checkpoints[1].evnt: expected a known field, found unknown field 'evnt'; did you mean 'event' or 'unit' or 'evidence'?"),
])
def test_a_condition_mixing_or_missing_its_parts_is_located(src: Path, written: str, expected: str) -> None:
    edit(src / "roadmaps/success.yml", DAU_CHECKPOINT, DAU_CHECKPOINT + f"      - {written}\n")
    found = problems(src)
    assert len(found) == 1, found
    assert found[0].startswith(f"{ROADMAP}:28:") and found[0].split(": ", 1)[1] == expected


def test_a_bad_condition_does_not_hide_other_problems(src: Path) -> None:
    """The condition gets a stand-in: the unknown department beside it is still reported."""
    edit(src / "roadmaps/success.yml", CALL_ADMIN, "condition: {event: x, metric: dau}")
    edit(src / "roadmaps/success.yml", "    department: cs\n    touch_model: low", "    department: cx\n    touch_model: low")
    found = problems(src)
    assert [f.split(": ")[1] for f in found] == ["actions[1].condition.metric", "actions[1].department"], found


def test_json_schema_accepts_the_three_forms_and_refuses_mixing() -> None:
    roadmap = jsonschema.Draft202012Validator(
        json.loads((ROOT / "schema/roadmap.schema.json").read_text(encoding="utf-8")))
    base = {"id": "r", "title": "R", "product": "P", "personas": ["p"], "owner": "cs"}

    def valid(checkpoint: dict, condition: dict | None = None) -> bool:
        stage = {"id": "s", "name": "S", "state": "done", "checkpoints": [checkpoint]}
        actions = [{"id": "a", "kind": "challenge", "stage": "s", "trigger": "t", "action": "a",
                    "department": "cs", "condition": condition}] if condition else []
        return roadmap.is_valid({**base, "stages": [stage], "actions": actions})

    assert valid({"metric": "dau", "comparison": ">=", "value": 5})
    assert valid({"event": "初期設定完了", "task": "setup"}) and valid({"task": "setup"})
    assert valid({"event": "x"}, {"metric": "dau", "change": "decrease", "by": 30, "window": "4週間"})
    assert valid({"event": "x"}, {"event": "NPS回答", "happened": False})
    assert not valid({"window": "soon"})
    assert not valid({"event": "x", "metric": "dau"})
    assert not valid({"task": "t", "metric": "dau", "comparison": ">=", "value": 1})
    assert not valid({"event": "x"}, {"metric": "dau", "change": "down"})
    assert not valid({"event": "x"}, {"task": "t"})  # only a checkpoint is done by a task


# ------------------------------------------------------------------ 1-2. in words: swimlane, SVG, pages, diff


@pytest.fixture(scope="module")
def more_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site("mini", tmp_path_factory.mktemp("more-en") / "mini")
    _events_mini(site / "journeys")
    _more_mini(site / "journeys")
    return built(site)


def _more_mini(journeys: Path) -> None:
    """The other additions, for the shared build (each test below names what it checks)."""
    _partners_mini(journeys)
    _wide_mini(journeys)
    _journey_more_mini(journeys)
    _order_mini(journeys)


CALL_ADMIN_TEAM = "    department: cs\n    touch_model: low\n"


def _partners_mini(journeys: Path) -> None:
    """Sales takes part in the challenge action CS leads."""
    edit(journeys / "roadmaps/success.yml", CALL_ADMIN_TEAM, CALL_ADMIN_TEAM + "    partners: [sales]\n")


def test_en_roadmap_swimlane_says_events_changes_and_absences(more_en: Path) -> None:
    html = (more_en / "map/roadmaps/success/index.html").read_text(encoding="utf-8")
    text = _plain(html)
    assert "Event: First login done (task: Log in for the first time)" in text
    assert "Daily active users ↘ down by 30% (over 4 weeks)" in text
    assert "Did not happen: NPS survey answered (14 days after sending)" in text
    # the checkpoint's task is linked to the task in the swimlane
    assert re.search(r'<a href="#task-first-login">[^<]*(<[^>]+>[^<]*)*Log in for the first time', html)
    assert 'id="task-first-login"' in html
    svg = (more_en / "map/roadmaps/success.svg").read_text(encoding="utf-8")
    svg_text = _plain(svg)
    for words in ("Event: First login done", "↘ down by", "Did not happen: NPS survey"):
        assert words in svg_text, words


def test_en_health_page_keeps_metrics_only(more_en: Path) -> None:
    """A change is on a metric: a candidate; an event has no metric to score."""
    text = _plain((more_en / "map/health/index.html").read_text(encoding="utf-8"))
    assert "↘ down by 30%" in text
    assert "First login done" not in text


def test_ja_example_shows_event_change_and_absence(example_built: Path) -> None:
    html = (example_built / "map/roadmaps/hoshiyomi-success/index.html").read_text(encoding="utf-8")
    text = _plain(html)
    assert "出来事：初期設定完了（タスク：初期設定（就業規則・勤務形態・SSO）を行う）" in text
    assert "キーパーソンの利用日数 ↘ 30% 減少（直近30日を前の30日と比べて）" in text
    assert "起きていない：NPS アンケートへの回答（送付から14日）" in text
    assert 'href="#task-initial-setup"' in html


def test_diff_names_a_condition_that_becomes_a_change_or_an_event(tmp_path: Path) -> None:
    copy_site("mini", tmp_path / "base")
    copy_site("mini", tmp_path / "head")
    _events_mini(tmp_path / "head/journeys")
    for lang, wanted in (("en", ["Event: First login done (task: first-login)", "dau ↘ down by 30 %",
                                 "Did not happen: NPS survey answered"]),
                         ("ja", ["出来事：First login done（タスク：first-login）", "dau ↘ 30 % 減少",
                                 "起きていない：NPS survey answered"])):
        result = _tabiji(tmp_path, "diff", "--base-folder", "base/journeys", "--head-folder", "head/journeys",
                         "--lang", lang)
        assert result.returncode == 0, result.stderr
        for words in wanted:
            assert words in result.stdout, (words, result.stdout)


# ------------------------------------------------------------------ 3. several teams


def test_partners_load_and_reach_the_department_index(src: Path) -> None:
    _partners_mini(src)
    edit(src / "roadmaps/success.yml", "          name: Send the usage report\n          department: cs\n",
         "          name: Send the usage report\n          department: cs\n          partners: sales\n")
    site = load_site(src)
    roadmap = site.roadmaps["success"]
    assert roadmap.actions[1].partners == ["sales"]
    assert roadmap.stages[1].tasks.ours[0].partners == ["sales"]  # one id is a list of one
    from tabiji.index import build_index
    items = {(u.kind, u.item) for u in build_index(site).in_roadmaps("departments", "sales")}
    assert {("action", "call-admin"), ("task", "usage-report")} <= items


def test_unknown_partner_suggests_the_closest(src: Path) -> None:
    edit(src / "roadmaps/success.yml", CALL_ADMIN_TEAM, CALL_ADMIN_TEAM + "    partners: [sale]\n")
    assert problems(src) == [
        f"{ROADMAP}:60:16: actions[1].partners[0]: expected the id of a department, found unknown department "
        "'sale'; did you mean 'sales'?"]


def test_the_lead_is_not_its_own_partner(src: Path) -> None:
    edit(src / "roadmaps/success.yml", CALL_ADMIN_TEAM, CALL_ADMIN_TEAM + "    partners: [sales, cs]\n")
    assert problems(src) == [
        f"{ROADMAP}:60:23: actions[1].partners[1]: expected departments other than the lead ('department'), "
        "found the lead 'cs' again; remove it from 'partners'"]


def test_en_swimlane_and_department_pages_show_every_team(more_en: Path) -> None:
    html = (more_en / "map/roadmaps/success/index.html").read_text(encoding="utf-8")
    card = html[html.index('id="action-call-admin"'):]
    card = card[:card.index("</li>")]
    assert "Customer Success ＋ Sales → Administrator" in _plain(re.sub(r'<span class="tabiji-sr-only">[^<]*</span>', "", card))
    heard = _plain(re.sub(r'<span class="tabiji-arrow" aria-hidden="true">[^<]*</span>|<span aria-hidden="true">[^<]*</span>',
                          "", card))
    assert "by: Customer Success, with: Sales, for: Administrator" in heard  # what a screen reader hears
    sales = (more_en / "map/departments/sales/index.html").read_text(encoding="utf-8")
    cs = (more_en / "map/departments/cs/index.html").read_text(encoding="utf-8")
    assert "#action-call-admin" in sales and "#action-call-admin" in cs
    svg = _plain((more_en / "map/roadmaps/success.svg").read_text(encoding="utf-8"))
    assert "Customer Success ＋ Sales" in svg


def test_ja_example_lists_a_joint_action_for_both_departments(example_built: Path) -> None:
    for dept in ("cs", "sales"):
        assert "#action-license-upsell" in (example_built / f"map/departments/{dept}/index.html").read_text(
            encoding="utf-8")
    html = (example_built / "map/roadmaps/hoshiyomi-success/index.html").read_text(encoding="utf-8")
    card = html[html.index('id="action-license-upsell"'):]
    assert "協力：" in card[:card.index("</li>")]


def test_diff_routes_a_new_partner_to_its_department(tmp_path: Path) -> None:
    copy_site("mini", tmp_path / "base")
    copy_site("mini", tmp_path / "head")
    _partners_mini(tmp_path / "head/journeys")
    result = _tabiji(tmp_path, "diff", "--base-folder", "base/journeys", "--head-folder", "head/journeys",
                     "--lang", "en", "--format", "json")
    assert result.returncode == 0, result.stderr
    change, = json.loads(result.stdout)["changes"]
    assert change["field"] == "partners" and change["added"] == ["sales"] and change["refs"] == "departments"
    assert change["departments"] == ["cs", "sales"]
    assert "“Sales”" in change["text"]


# ------------------------------------------------------------------ 4. roadmap-wide actions

WIDE_ACTION = """  - id: ask-review
    kind: positive
    trigger: A user praises the product.
    condition: {metric: activation, comparison: ">=", value: 90}
    action: Ask for a review.
    department: sales
"""


def _wide_mini(journeys: Path) -> None:
    """A guided action with no stage: it applies at any stage."""
    edit(journeys / "roadmaps/success.yml", "review_every: 3m\n", WIDE_ACTION + "review_every: 3m\n")


def test_an_action_without_stage_is_roadmap_wide(src: Path) -> None:
    _wide_mini(src)
    action = load_site(src).roadmaps["success"].actions[-1]
    assert (action.id, action.stage) == ("ask-review", None)


def test_an_unknown_stage_is_still_refused(src: Path) -> None:
    _wide_mini(src)
    edit(src / "roadmaps/success.yml", "    kind: positive\n    trigger: A user praises",
         "    kind: positive\n    stage: strat\n    trigger: A user praises")
    assert problems(src) == [
        f"{ROADMAP}:70:12: actions[3].stage: expected the id of a stage of this roadmap, found unknown stage "
        "'strat'; did you mean 'start'?"]


def test_en_roadmap_wide_action_spans_the_stages(more_en: Path) -> None:
    html = (more_en / "map/roadmaps/success/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr class="tabiji-lane tabiji-lane--positive tabiji-lane--wide">.*?</tr>', html, re.S)
    assert row, "no roadmap-wide row"
    assert 'id="all-stages"' in row.group(0) and 'colspan="2"' in row.group(0)
    assert 'id="action-ask-review"' in row.group(0) and "Positive actions (all stages)" in _plain(row.group(0))
    # it is in no stage's cell
    lane = re.search(r'<tr class="tabiji-lane tabiji-lane--positive">.*?</tr>', html, re.S).group(0)
    assert "ask-review" not in lane
    svg = _plain((more_en / "map/roadmaps/success.svg").read_text(encoding="utf-8"))
    assert "(all stages)" in svg and "Ask for a review." in svg
    # the department page and the health page name it with 'All stages', linked to the row
    sales = (more_en / "map/departments/sales/index.html").read_text(encoding="utf-8")
    assert "#action-ask-review" in sales and "#all-stages" in sales
    health = (more_en / "map/health/index.html").read_text(encoding="utf-8")
    assert "#all-stages" in health and "All stages" in _plain(health)


def test_ja_example_shows_a_roadmap_wide_action(example_built: Path) -> None:
    html = (example_built / "map/roadmaps/hoshiyomi-success/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr class="tabiji-lane tabiji-lane--challenge tabiji-lane--wide">.*?</tr>', html, re.S)
    assert row and 'id="action-champion-change"' in row.group(0)
    assert "チャレンジアクション（全ステージ共通）" in _plain(row.group(0))


def test_without_roadmap_wide_actions_there_is_no_wide_row() -> None:
    from tabiji.render.roadmap_swimlane import grid
    site = load_site(ROOT / "tests/fixtures/mini/journeys")
    assert grid(site.roadmaps["success"]).wide == ()


# ------------------------------------------------------------------ 5. journey KPIs, people; 6. loops


def _journey_more_mini(journeys: Path) -> None:
    """The journey's goal measured by a KPI, a person beside CS, Configure goes back to Invite."""
    j = journeys / "maps/onboarding.yml"
    edit(j, "goal: The customer finishes setup and uses the product weekly.\n",
         "goal: The customer finishes setup and uses the product weekly.\nkpis: [dau]\n")
    edit(j, "  - kind: departments\n    cells:\n      setup: [cs]",
         "  - kind: departments\n    cells:\n      setup: [cs]\n    people:\n      setup: {cs: Onboarding lead <Aya>}")
    edit(j, "        name: Configure\n",
         "        name: Configure\n        returns_to: invite\n        returns_when: SSO shows users are missing\n")


def test_journey_kpis_people_and_loops_load(src: Path) -> None:
    _journey_more_mini(src)
    journey = load_site(src).journeys["onboarding"]
    assert journey.kpis == ["dau"]
    assert journey.lanes[4].people == {"setup": {"cs": "Onboarding lead <Aya>"}}
    step = journey.phases[1].steps[1]
    assert (step.returns_to, step.returns_when) == ("invite", "SSO shows users are missing")
    from tabiji.render.journey_loops import loops
    loop, = loops(journey)
    assert (loop.from_id, loop.to_id, loop.to_phase) == ("configure", "invite", "setup")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("goal: The customer finishes setup and uses the product weekly.\n",
     "goal: The customer finishes setup and uses the product weekly.\nkpis: [dua]\n",
     f"{JOURNEY}:5:8: kpis[0]: expected the id of a KPI, found unknown KPI 'dua'; did you mean 'dau'?"),
    ("        name: Configure\n", "        name: Configure\n        returns_to: invte\n",
     f"{JOURNEY}:19:21: phases[1].steps[1].returns_to: expected the id of an earlier phase or step of this journey, "
     "found unknown id 'invte'; did you mean 'invite'?"),
    ("        name: Invite users\n", "        name: Invite users\n        returns_to: configure\n",
     f"{JOURNEY}:17:21: phases[1].steps[0].returns_to: expected an earlier phase or step (a loop goes back), "
     "found 'configure', which is not before 'invite'; valid: 'setup', 'signup'"),
    ("        name: Configure\n", "        name: Configure\n        returns_when: often\n",
     f"{JOURNEY}:19:9: phases[1].steps[1].returns_when: expected 'returns_when' with 'returns_to', found no "
     "'returns_to'; add 'returns_to: <an earlier phase or step id>'"),
    ("      setup: [cs]", "      setup: [cs]\n    people:\n      setup: {sales: Aya}",
     f"{JOURNEY}:40:15: lanes[4].people.setup.sales: expected a department of the cell 'setup' (cs), found 'sales', "
     "not in that cell; valid: 'cs'"),
    ("      setup: [cs]", "      setup: [cs]\n    people:\n      stup: {cs: Aya}",
     f"{JOURNEY}:40:7: lanes[4].people.stup: expected a phase or step id of this journey, found unknown id 'stup'; "
     "did you mean 'setup' or 'signup'?"),
    ("      setup: [activation]", "      setup: [activation]\n    people:\n      setup: {cs: Aya}",
     f"{JOURNEY}:36:5: lanes[3].people: expected 'people' only in a lane of kind 'departments', found 'people' in a "
     "'kpis' lane; move it to the departments lane"),
])
def test_bad_journey_kpis_people_and_loops_are_located(src: Path, old: str, new: str, expected: str) -> None:
    edit(src / "maps/onboarding.yml", old, new)
    assert problems(src) == [expected]


def test_json_schema_knows_journey_kpis_people_and_loops() -> None:
    journey = jsonschema.Draft202012Validator(
        json.loads((ROOT / "schema/journey.schema.json").read_text(encoding="utf-8")))
    doc = {"id": "j", "title": "J", "personas": ["p"], "goal": "g", "owner": "cs", "kpis": ["churn-rate"],
           "phases": [{"id": "a", "name": "A"}, {"id": "b", "name": "B", "returns_to": "a", "returns_when": "w"}],
           "lanes": [{"kind": "departments", "cells": {"a": ["cs"]}, "people": {"a": {"cs": "担当CS"}}}]}
    assert journey.is_valid(doc)
    assert not journey.is_valid({**doc, "kpis": ["Churn Rate"]})
    assert not journey.is_valid({**doc, "phases": [{"id": "a", "name": "A", "returns_to": "B C"}]})


def test_en_journey_swimlane_shows_people_and_the_loop(more_en: Path) -> None:
    html = (more_en / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    assert '<span class="tabiji-people"> (Onboarding lead &lt;Aya&gt;)</span>' in html  # escaped
    marker = re.search(r'<div class="tabiji-loop">.*?</div>', html).group(0)
    assert "Goes back to: Invite users" in _plain(marker) and 'href="./#phase-setup"' in marker
    svg = (more_en / "map/journeys/onboarding.svg").read_text(encoding="utf-8")
    assert "Customer Success (Onboarding lead &lt;Aya&gt;)" in svg
    assert re.search(r">↩ Goes back to:( Invite users)?</text>", svg)  # wrapped in the narrow step column
    assert svg.count('class="tabiji-loop"') == 1  # the back-arrow
    kpi = (more_en / "map/kpis/dau/index.html").read_text(encoding="utf-8")
    used = kpi[kpi.index('id="used-in"'):]
    assert "../../journeys/onboarding/" in used[:used.index("</ul>")]


def test_without_loops_the_journey_svg_has_no_arrow_band(tmp_path: Path) -> None:
    from tabiji.render.svg import render_svg
    site = load_site(ROOT / "tests/fixtures/mini/journeys")
    svg = render_svg(site.journeys["onboarding"], site, "en")
    assert "tabiji-loop" not in svg and "Goes back" not in svg


def test_ja_example_shows_journey_kpis_people_and_a_loop(example_built: Path) -> None:
    html = (example_built / "map/journeys/adoption/index.html").read_text(encoding="utf-8")
    assert "（担当 CS）" in html and "（問い合わせ窓口（チャット））" in html
    marker = re.search(r'<div class="tabiji-loop">.*?</div>', html).group(0)
    assert "戻る先：日常利用の定着" in _plain(marker)
    svg = (example_built / "map/journeys/adoption.svg").read_text(encoding="utf-8")
    assert 'class="tabiji-loop"' in svg
    kpi = (example_built / "map/kpis/retention-rate/index.html").read_text(encoding="utf-8")
    assert "journeys/expansion-renewal/" in kpi


def test_page_pieces_for_the_lead_to_call() -> None:
    """map_facts gives the pages their HTML (the pages call it), with the real page writer:
    journey KPIs with targets, loops listed, partners, roadmap-wide actions, event triggers."""
    from tabiji.render import map_facts
    from tabiji.index import build_index
    from tabiji.core.paths import Paths
    from tabiji.site.writer import _Writer
    site = load_site(ROOT / "journeys")
    w = _Writer(site, build_index(site), "ja", Paths(), "")
    here = w.paths.doc("journeys", "expansion-renewal")
    kpis = map_facts.journey_kpis_html(w, site.journeys["expansion-renewal"], here)
    assert _plain(kpis) == "リテンションレート (92% 以上)、アップセル率 (20% 以上)" and "kpis/retention-rate/" in kpis
    assert map_facts.journey_kpis_html(w, site.journeys["onboarding"], here) == ""
    listed = map_facts.loops_html(w, site.journeys["adoption"], here)
    assert 'href="#phase-usage-stall"' in listed and 'href="#phase-daily-use"' in listed
    assert "利用停滞 ↩戻る先： 日常利用の定着：原因が片づいたら" in _plain(listed).replace("\u200b", "")
    assert map_facts.loops_html(w, site.journeys["onboarding"], here) == ""
    roadmap = site.roadmaps["hoshiyomi-success"]
    upsell = next(a for a in roadmap.actions if a.id == "license-upsell")
    assert _plain(map_facts.partners_html(w, upsell, here)) == "＋協力：営業"
    assert [a.id for a in map_facts.wide_actions(roadmap)] == ["champion-change"]
    triggers = map_facts.event_triggers_html(w, w.paths.doc("health"))
    assert "#action-nps-unanswered" in triggers and "#action-champion-change" in triggers
    assert "起きていない：NPS アンケートへの回答（送付から14日）" in _plain(triggers)
    assert "全ステージ共通" in _plain(triggers) and "#all-stages" in triggers


# ------------------------------------------------------------------ 7. one order across the task lanes


def _order_mini(journeys: Path) -> None:
    """Stage 'start': the hand-over (ours) comes before the kickoff (joint)."""
    r = journeys / "roadmaps/success.yml"
    edit(r, "          name: Kickoff meeting\n", "          name: Kickoff meeting\n          order: 2\n")
    edit(r, "          name: Hand over from Sales\n", "          name: Hand over from Sales\n          order: 1\n")


def test_task_order_loads(src: Path) -> None:
    _order_mini(src)
    stage = load_site(src).roadmaps["success"].stages[0]
    assert (stage.tasks.joint[0].order, stage.tasks.ours[0].order) == (2, 1)
    assert m.task_order(stage) and not m.task_order(load_site(src).roadmaps["success"].stages[1])


def test_a_task_without_order_in_an_ordered_stage_is_located(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "          name: Kickoff meeting\n", "          name: Kickoff meeting\n          order: 2\n")
    assert problems(src) == [
        f"{ROADMAP}:21:15: stages[0].tasks.ours[0].id: expected an 'order' on every task of the stage (its other "
        "tasks have one), found task 'handover' without 'order'; add 'order: <its place in the stage>'"]


def test_an_order_that_goes_down_within_a_lane_is_located(src: Path) -> None:
    r = src / "roadmaps/success.yml"
    edit(r, "          name: Kickoff meeting\n", "          name: Kickoff meeting\n          order: 1\n")
    edit(r, "          name: Hand over from Sales\n          department: sales\n",
         "          name: Hand over from Sales\n          order: 3\n          department: sales\n"
         "        - {id: second, name: Second, order: 2}\n")
    assert problems(src) == [
        f"{ROADMAP}:25:45: stages[0].tasks.ours[1].order: expected an order of at least 3 (each lane is written in "
        "time order), found 2 after 3; reorder the lane or fix the number"]


def test_order_zero_is_refused(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "          name: Kickoff meeting\n", "          name: Kickoff meeting\n          order: 0\n")
    assert problems(src) == [f"{ROADMAP}:16:18: stages[0].tasks.joint[0].order: expected a value >= 1, found '0'"]


def test_en_swimlane_numbers_tasks_across_the_lanes(more_en: Path) -> None:
    html = (more_en / "map/roadmaps/success/index.html").read_text(encoding="utf-8")
    assert '<li id="task-kickoff" class="tabiji-task" value="2">' in html
    assert '<li id="task-handover" class="tabiji-task" value="1">' in html
    assert '<li id="task-first-login" class="tabiji-task">' in html  # the other stage keeps per-lane numbers
    assert html.count("Task numbers are one order across the three task lanes") == 1
    svg = (more_en / "map/roadmaps/success.svg").read_text(encoding="utf-8")
    assert ">2.\u00a0Kickoff meeting<" in svg and ">1.\u00a0Hand over from Sales<" in svg


def test_en_task_order_is_what_the_browser_shows(more_en: Path) -> None:
    """The list markers a reader sees are the written order (li value), in Debian chromium."""
    from playwright.sync_api import sync_playwright
    page_file = more_en / "map/roadmaps/success/index.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.goto(page_file.as_uri(), timeout=120_000)
        values = page.eval_on_selector_all("li.tabiji-task",
                                           "els => els.map(e => [e.id, e.value])")
        browser.close()
    assert ["task-kickoff", 2] in values and ["task-handover", 1] in values


def test_ja_example_orders_the_onboarding_tasks(example_built: Path) -> None:
    html = (example_built / "map/roadmaps/hoshiyomi-success/index.html").read_text(encoding="utf-8")
    found = dict(re.findall(r'<li id="task-([a-z-]+)" class="tabiji-task" value="(\d+)"', html))
    assert found == {"handover": "1", "kickoff": "2", "hearing-sheet": "3", "initial-setup": "4",
                     "attend-training": "5", "training-check": "6", "onboarding-complete-meeting": "7"}
    assert "タスクの番号は、3つのタスクレーンを通した順番です" in _plain(html)


def test_diff_names_a_changed_order(tmp_path: Path) -> None:
    copy_site("mini", tmp_path / "base")
    _order_mini(tmp_path / "base/journeys")
    copy_site("mini", tmp_path / "head")
    _order_mini(tmp_path / "head/journeys")
    edit(tmp_path / "head/journeys/roadmaps/success.yml", "          order: 2\n", "          order: 3\n")
    result = _tabiji(tmp_path, "diff", "--base-folder", "base/journeys", "--head-folder", "head/journeys",
                     "--lang", "ja")
    assert result.returncode == 0, result.stderr
    assert "順番" in result.stdout and "2" in result.stdout and "3" in result.stdout, result.stdout


# ------------------------------------------------------------------ the skeleton shows the new forms


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_skeleton_hints_validate_when_uncommented(src: Path, lang: str) -> None:
    """'tabiji new roadmap' names the event checkpoint, the change, the absence and the roadmap-wide
    action in comments; each, uncommented, validates."""
    from tabiji.source.skeleton import skeleton
    made = skeleton("roadmap", "try", load_site(src), src, lang, Path("schema"))
    text = made.text
    assert "# - {event:" in text and "change: decrease" in text and "happened: false" in text
    lines = text.splitlines()
    event = next(i for i, line in enumerate(lines) if line.strip().startswith("# - {event:"))
    lines[event] = lines[event].replace("# - {event:", "- {event:", 1)
    cond = next(i for i, line in enumerate(lines) if line.strip().startswith("condition: {metric:"))
    change = next(i for i, line in enumerate(lines) if "change: decrease" in line)
    lines[cond], lines[change] = lines[change].replace("# condition:", "condition:", 1), ""
    stage = next(i for i, line in enumerate(lines) if line.strip().startswith("stage: stage-1"))
    lines[stage] = ""  # roadmap-wide
    made.path.parent.mkdir(parents=True, exist_ok=True)
    made.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    roadmap = load_site(src).roadmaps["try"]
    assert m.is_event(roadmap.stages[0].checkpoints[1]) and roadmap.stages[0].checkpoints[1].task == "stage-1-joint"
    assert roadmap.actions[0].condition.change == "decrease" and roadmap.actions[0].stage is None


# ------------------------------------------------------------------ rules


def test_rules_accept_an_event_condition_and_count_journey_kpis(src: Path) -> None:
    from tabiji.source import rules
    before = {f.rule for _, f in rules.run(load_site(src))}
    assert {"challenge-condition"} <= before  # the mini fixture's unanswered survey has no condition
    _events_mini(src)  # ... now it is an absence: a condition the risk can be watched by
    found = [str(f) for _, f in rules.run(load_site(src)) if f.rule in ("challenge-condition", "kpi-used")]
    assert not [f for f in found if "challenge-condition" in f]
    edit(src / "catalog/catalog.yml", "kpis:\n", "kpis:\n  - {id: churn, name: Churn, definition: Lost customers}\n")
    assert any("'churn'" in str(x) for _, x in rules.run(load_site(src)) if x.rule == "kpi-used")
    edit(src / "maps/onboarding.yml", "goal: The customer finishes setup and uses the product weekly.\n",
         "goal: The customer finishes setup and uses the product weekly.\nkpis: [churn]\n")
    assert not any("'churn'" in str(x) for _, x in rules.run(load_site(src)) if x.rule == "kpi-used")


def test_cs_platform_csv_writes_changes_and_events(tmp_path: Path) -> None:
    """The CSV for CS platforms: a change gives its direction and amount, an event its words
    and whether it happened; neither is a health-score row (no metric to score)."""
    import csv
    import io
    out = tmp_path / "cs.csv"
    result = _tabiji(ROOT, "export", "roadmap", "hoshiyomi-success", "--format", "csv", "-o", str(out),
                     "--source", "journeys", "--lang", "ja")
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
            if r["record_type"] == "guided_action"}
    drop = rows["key-person-drop"]
    assert (drop["metric"], drop["comparison"], drop["value"], drop["unit"]) == ("key-user-activity", "decrease", "30", "%")
    nps = rows["nps-unanswered"]
    assert (nps["metric"], nps["metric_name"], nps["comparison"], nps["window"]) == (
        "", "NPS アンケートへの回答", "not_happened", "送付から14日")
    assert rows["champion-change"]["stage"] == "" and rows["champion-change"]["comparison"] == "happened"
