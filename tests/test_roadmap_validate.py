"""Roadmaps, customer roles and the glossary: the model, and one located message per bad input."""

from __future__ import annotations

from pathlib import Path

from test_validate import edit, problems, src  # noqa: F401  (src is a fixture)

from tabiji.source.validate import load_site

ROADMAP = "journeys/roadmaps/success.yml"
CATALOG = "journeys/catalog/catalog.yml"


def test_fixture_roadmap_is_valid(src: Path) -> None:
    site = load_site(src)
    roadmap = site.roadmaps["success"]
    assert [s.id for s in roadmap.stages] == ["start", "use"]
    use = roadmap.stages[1]
    assert use.checkpoints[0].metric == "dau" and use.checkpoints[0].comparison == ">="
    assert use.checkpoints[0].value == 50 and use.phases == ["onboarding/setup"]
    assert [t.id for t in roadmap.stages[0].tasks.joint] == ["kickoff"]
    assert [a.kind for a in roadmap.actions] == ["positive", "challenge", "challenge"]
    assert roadmap.actions[1].condition.window == "after 14 days"
    assert sorted(site.roles) == ["admin-role", "sponsor"]
    assert site.glossary["churn"].aliases == ["churned"]
    assert site.kpis["dau"].rung == "success" and site.kpis["dau"].seen_from == "customer"


def test_unknown_metric_in_a_trigger_suggests_the_closest(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "condition: {metric: dau, comparison: \">=\", value: 80}",
         "condition: {metric: dua, comparison: \">=\", value: 80}")
    assert problems(src) == [
        f"{ROADMAP}:46:25: actions[0].condition.metric: expected the id of a KPI, found unknown KPI 'dua'; "
        "did you mean 'dau'?"]


def test_unknown_metric_in_a_checkpoint(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "{metric: dau, comparison: \">=\", value: 50",
         "{metric: nsp, comparison: \">=\", value: 50")
    assert problems(src) == [
        f"{ROADMAP}:27:18: stages[1].checkpoints[0].metric: expected the id of a KPI, found unknown KPI 'nsp'; "
        "did you mean 'nps'?"]


def test_unknown_stage_of_an_action(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "stage: use\n    trigger: Few", "stage: usage\n    trigger: Few")
    assert problems(src) == [
        f"{ROADMAP}:53:12: actions[1].stage: expected the id of a stage of this roadmap, found unknown stage "
        "'usage'; did you mean 'use'?"]


def test_unknown_phase_of_a_journey_suggests_its_phases(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "phases: [onboarding/setup]", "phases: [onboarding/stup]")
    assert problems(src) == [
        f"{ROADMAP}:28:14: stages[1].phases[0]: expected a phase of journey 'onboarding', found unknown phase "
        "'stup'; did you mean 'setup' or 'signup'?"]


def test_unknown_phase_far_from_any_lists_the_journeys_phases(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "phases: [onboarding/setup]", "phases: [onboarding/nope]")
    assert problems(src) == [
        f"{ROADMAP}:28:14: stages[1].phases[0]: expected a phase of journey 'onboarding', found unknown phase "
        "'nope'; valid: 'setup', 'signup'"]


def test_unknown_journey_in_a_phase_ref(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "phases: [onboarding/signup]", "phases: [onbording/signup]")
    assert problems(src) == [
        f"{ROADMAP}:11:14: stages[0].phases[0]: expected a journey id or 'journey-id/phase-id', found unknown "
        "journey 'onbording'; did you mean 'onboarding'?"]


def test_malformed_phase_ref(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "phases: [onboarding/signup]", "phases: [onboarding/signup/x]")
    assert problems(src) == [
        f"{ROADMAP}:11:14: stages[0].phases[0]: expected a journey id or 'journey-id/phase-id', "
        "found 'onboarding/signup/x'"]


def test_duplicate_task_id(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "id: handover", "id: kickoff")
    assert problems(src) == [
        f"{ROADMAP}:20:15: stages[0].tasks.ours[0].id: expected task and action ids unique within the roadmap, "
        "found duplicate id 'kickoff'"]


def test_action_id_clashing_with_a_task_id(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "id: call-admin", "id: first-login")
    assert problems(src) == [
        f"{ROADMAP}:51:9: actions[1].id: expected task and action ids unique within the roadmap, "
        "found duplicate id 'first-login'"]


def test_duplicate_stage_id(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "id: use", "id: start")
    found = problems(src)
    assert found[0] == (f"{ROADMAP}:23:9: stages[1].id: expected stage ids unique within the roadmap, "
                        "found duplicate id 'start'")


def test_bad_comparison(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "comparison: \"<\"", "comparison: \"=<\"")
    assert problems(src) == [
        f"{ROADMAP}:55:42: actions[1].condition.comparison: expected one of '>=', '<=', '>', '<', '=', "
        "found '=<'; did you mean '=' or '<' or '>='?"]


def test_threshold_not_a_number(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "value: 80}", "value: many}")
    assert problems(src) == [
        f"{ROADMAP}:46:55: actions[0].condition.value: expected a number, or {{undecided: words}} while it is "
        "not set yet, found 'many'; if it is not decided yet, write value: {undecided: 'many'}"]


def test_javascript_link_is_rejected(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "url: \"https://example.com/help\"", "url: \"javascript:alert(1)\"")
    assert problems(src) == [
        f"{ROADMAP}:36:34: stages[1].tasks.customer[0].links[0].url: expected a web address (http://, https://, "
        "mailto:) or a path relative to docs/ (not starting with // or holding a backslash), "
        "found 'javascript:alert(1)'"]


def test_unknown_role_and_department(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "role: admin-role\n    department: cs",
         "role: admin\n    department: css")
    assert problems(src) == [
        f"{ROADMAP}:57:11: actions[1].role: expected the id of a customer role, found unknown customer role "
        "'admin'; did you mean 'admin-role'?",
        f"{ROADMAP}:58:17: actions[1].department: expected the id of a department, found unknown department "
        "'css'; did you mean 'cs' or 'sales'?"]


def test_unknown_role_of_a_task(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "role: sponsor\n          touch_model: high",
         "role: sponsr\n          touch_model: high")
    assert problems(src) == [
        f"{ROADMAP}:17:17: stages[0].tasks.joint[0].role: expected the id of a customer role, found unknown "
        "customer role 'sponsr'; did you mean 'sponsor'?"]


def test_bad_action_kind(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "kind: positive", "kind: opportunity")
    assert problems(src) == [
        f"{ROADMAP}:43:11: actions[0].kind: expected one of 'positive', 'challenge', found 'opportunity'; "
        "valid: 'challenge', 'positive'"]


def test_unknown_persona_owner_and_segment(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "personas: [admin]\nsegments: [smb]\nowner: cs",
         "personas: [admn]\nsegments: [sbm]\nowner: cx")
    assert problems(src) == [
        f"{ROADMAP}:4:12: personas[0]: expected the id of a persona, found unknown persona 'admn'; "
        "did you mean 'admin'?",
        f"{ROADMAP}:5:12: segments[0]: expected the id of a segment, found unknown segment 'sbm'; "
        "did you mean 'smb'?",
        f"{ROADMAP}:6:8: owner: expected the id of a department, found unknown department 'cx'; "
        "did you mean 'cs'?"]


def test_unknown_glossary_see(src: Path) -> None:
    edit(src / "catalog/catalog.yml", "see: [churn]", "see: [chrun]")
    assert problems(src) == [
        f"{CATALOG}:53:11: glossary[0].see[0]: expected the id of a glossary term, found unknown glossary term "
        "'chrun'; did you mean 'churn'?"]


def test_misspelled_roadmap_field(src: Path) -> None:
    edit(src / "roadmaps/success.yml", "    state: Most employees", "    stat: Most employees")
    assert problems(src) == [
        f"{ROADMAP}:25:5: stages[1].stat: expected a known field, found unknown field 'stat'; "
        "did you mean 'state'?"]


def test_bad_rung(src: Path) -> None:
    edit(src / "catalog/catalog.yml", "rung: loyalty", "rung: loyality")
    found = problems(src)
    assert found == [f"{CATALOG}:36:11: kpis[2].rung: expected a rung of the ladder: standard_tasks, "
                     "guided_actions, success, loyalty, health_score, ltv (or define the site's own rungs under "
                     "'ladder:' in a catalog file), found unknown rung 'loyality'; did you mean 'loyalty'?"]


def test_broken_journey_does_not_flood_the_roadmap(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "title: Onboarding", "title: [Onboarding]")
    found = problems(src)
    assert len(found) == 1 and found[0].startswith("journeys/maps/onboarding.yml:2:8: title:"), found
