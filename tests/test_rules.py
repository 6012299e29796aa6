"""The map's logic rules (tabiji check and the build): each rule with a map that breaks it and
one that keeps it, located like validation problems, in ja and en."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT, copy_site, run_build
from tabiji.source import rules
from tabiji.source.validate import load_site

JOURNEY = "journeys/maps/onboarding.yml"
ROADMAP = "journeys/roadmaps/success.yml"
CATALOG = "journeys/catalog/catalog.yml"
# The mini fixture's own gaps (it shows a challenge with no condition on purpose).
MINI_FINDINGS = [
    f"{CATALOG}:32:9: kpis[2].id: KPI 'nps' is used by no journey, stage or action (put it in a journey's "
    "'kpis' lane, a stage's checkpoints or an action's condition, or remove it) [kpi-used]",
    f"{ROADMAP}:8:9: stages[0].id: stage 'start' has no checkpoint (how would you know it is reached?) "
    "[stage-checkpoint]",
    f"{ROADMAP}:64:14: actions[2].trigger: challenge action 'resend-survey' has no measurable condition (add "
    "'condition' with a metric, so the risk can be watched) [challenge-condition]",
]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the mini site, rules on; messages are relative to it."""
    root = copy_site("mini", tmp_path / "mini")
    edit(root / "mkdocs.yml", "checks: {default: off}", "checks: {}")
    monkeypatch.chdir(root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def findings(rule: str | None = None) -> list[str]:
    found = rules.run(load_site(Path("journeys")))
    return [str(f) for _, f in found if rule is None or f.rule == rule]


def test_mini_fixture_findings(site: Path) -> None:
    assert findings() == MINI_FINDINGS


def test_the_example_keeps_every_rule() -> None:
    assert rules.run(load_site(ROOT / "journeys")) == []


# ------------------------------------------------------------------ pain points and measures

PAINS = """\
  - kind: pain_points
    cells:
      invite: 招待メールが迷惑メールに入る
      configure: SSO settings are confusing
  - kind: measures
    cells:
"""


def test_pain_point_without_measure_in_its_column(site: Path) -> None:
    append(site / JOURNEY, PAINS + "      signup: ウェルカムメールに手順を書く\n")
    assert findings("pain-point-measure") == [
        f"{JOURNEY}:41:7: lanes[5].cells.invite: a pain point in 'invite' with no measure in the same column "
        "(add a 'measures' cell for it) [pain-point-measure]",
        f"{JOURNEY}:42:7: lanes[5].cells.configure: a pain point in 'configure' with no measure in the same "
        "column (add a 'measures' cell for it) [pain-point-measure]"]


def test_a_measure_for_the_phase_covers_the_pain_points_of_its_steps(site: Path) -> None:
    append(site / JOURNEY, PAINS + "      setup: Resend guide in the help centre\n")
    assert findings("pain-point-measure") == []
    assert findings("measure-owner") == []  # phase 'setup' is owned by cs


def test_pain_points_and_no_measures_lane(site: Path) -> None:
    append(site / JOURNEY, PAINS.split("  - kind: measures")[0])
    assert [f.split(": ")[0] for f in findings("pain-point-measure")] == [f"{JOURNEY}:41:7", f"{JOURNEY}:42:7"]


def test_measure_without_owner_department(site: Path) -> None:
    edit(site / JOURNEY, "    goal: Account created\n    owners: [sales]\n", "    goal: Account created\n")
    append(site / JOURNEY, "  - kind: measures\n    cells:\n      signup: 契約直後に歓迎の電話をする\n")
    assert findings("measure-owner") == [
        f"{JOURNEY}:40:7: lanes[5].cells.signup: a measure in 'signup' with no owner department (name one in the "
        "'departments' lane or in the phase's owners) [measure-owner]"]
    edit(site / JOURNEY, "      setup: [cs]", "      setup: [cs]\n      signup: [sales]")
    assert findings("measure-owner") == []


# ------------------------------------------------------------------ KPIs, stages, actions


def test_kpi_used_by_a_checkpoint_is_used(site: Path) -> None:
    edit(site / ROADMAP, "    phases: [onboarding/signup]",
         "    checkpoints:\n      - {metric: nps, comparison: \">=\", value: 30}\n    phases: [onboarding/signup]")
    assert findings("kpi-used") == [] and findings("stage-checkpoint") == []


def test_kpi_used_by_a_journey_lane_or_an_action_is_used(site: Path) -> None:
    edit(site / JOURNEY, "      setup: [activation]", "      setup: [activation, nps]")
    assert findings("kpi-used") == []
    edit(site / JOURNEY, "      setup: [activation, nps]", "      setup: [activation]")
    edit(site / ROADMAP, "    trigger: The NPS survey is not answered.",
         "    trigger: The NPS survey is not answered.\n    condition: {metric: nps, comparison: \"=\", value: 0}")
    assert findings("kpi-used") == [] and findings("challenge-condition") == []


def test_process_kpis_are_used_by_the_roadmaps_tasks_and_actions(site: Path) -> None:
    edit(site / CATALOG, "segments:\n", "".join(f"""\
  - id: {id_}
    name: {id_}
    definition: 実行した割合
    rung: {rung}
""" for id_, rung in [("task-rate", "standard_tasks"), ("action-rate", "guided_actions"), ("other", "success")])
         + "segments:\n")
    assert [f.split(": ")[1] for f in findings("kpi-used")] == ["kpis[2].id", "kpis[5].id"]  # nps and 'other'


# ------------------------------------------------------------------ personas and journeys


def test_persona_in_no_journey(site: Path) -> None:
    (site / "journeys/personas/sponsor.yml").write_text("id: sponsor\nname: 決裁者の佐藤さん\n", encoding="utf-8")
    assert findings("persona-in-journey") == [
        "journeys/personas/sponsor.yml:1:5: id: persona 'sponsor' appears in no journey (add it to a journey's "
        "'personas') [persona-in-journey]"]
    edit(site / JOURNEY, "personas: [admin]", "personas: [admin, sponsor]")
    assert findings("persona-in-journey") == []


def test_journey_in_no_roadmap_stage(site: Path) -> None:
    text = (site / JOURNEY).read_text(encoding="utf-8").replace("id: onboarding", "id: renewal", 1)
    (site / "journeys/maps/renewal.yml").write_text(text, encoding="utf-8")
    assert findings("journey-in-roadmap") == [
        "journeys/maps/renewal.yml:1:5: id: journey 'renewal' maps to no roadmap stage (add 'renewal' or "
        "'renewal/<phase>' to a stage's 'phases') [journey-in-roadmap]"]
    edit(site / ROADMAP, "    phases: [onboarding/setup]", "    phases: [onboarding/setup, renewal]")
    assert findings("journey-in-roadmap") == []


def test_without_a_roadmap_journeys_need_no_stage(site: Path) -> None:
    (site / ROADMAP).unlink()
    text = (site / JOURNEY).read_text(encoding="utf-8").replace("id: onboarding", "id: renewal", 1)
    (site / "journeys/maps/renewal.yml").write_text(text, encoding="utf-8")
    assert findings("journey-in-roadmap") == []


# ------------------------------------------------------------------ emotions


@pytest.mark.parametrize("label, score", [
    ("前向き", -1), ("期待", -2), ("Hopeful", -1), ("relieved and happy", -1),
    ("不安", 1), ("イライラする", 2), ("Frustrated", 1), ("worried", 2),
    ("期待外れ", 1), ("不満足", 2),  # negative words that hold a positive one
])
def test_emotion_label_against_its_score(site: Path, label: str, score: int) -> None:
    edit(site / JOURNEY, "invite: {score: -1, label: Unsure}", f"invite: {{score: {score}, label: {label}}}")
    column = 7 + len(f"invite: {{score: {score}, label: ")
    assert findings("emotion-label") == [
        f"{JOURNEY}:28:{column}: lanes[1].cells.invite.label: the label '{label}' reads "
        f"{'positive' if score < 0 else 'negative'} but the score is {score:+d} (fix the score or the label) "
        "[emotion-label]"]


@pytest.mark.parametrize("label, score", [
    ("不安", -1), ("期待", 2), ("Unsure", -1), ("Hopeful", 1),
    ("期待と不安", -1), ("hopeful but worried", 1),  # both kinds: unclear, never flagged
    ("不安が解消", 1), ("不安はない", 2), ("心配なし", 1), ("ストレスフリー", 2),  # negations
    ("no longer worried", 1), ("not happy", -1),
    ("期待外れ", -1), ("不満足", -2),
    ("前向き", 0), ("驚き", -2), ("Surprised", 2),  # zero, or words of no clear sign
])
def test_emotion_labels_that_agree_or_are_unclear(site: Path, label: str, score: int) -> None:
    edit(site / JOURNEY, "invite: {score: -1, label: Unsure}", f"invite: {{score: {score}, label: {label}}}")
    assert findings("emotion-label") == []


def test_emotion_label_in_each_language(site: Path) -> None:
    edit(site / JOURNEY, "signup: {score: 1, label: Hopeful}", "signup: {score: 1, label: {ja: 安心, en: Worried}}")
    assert findings("emotion-label") == [
        f"{JOURNEY}:27:33: lanes[1].cells.signup.label: the label 'Worried' reads negative but the score is +1 "
        "(fix the score or the label) [emotion-label]"]


# ------------------------------------------------------------------ catalog entries nobody uses


def test_touchpoint_in_no_journey(site: Path) -> None:
    edit(site / CATALOG, "touchpoints:\n", "touchpoints:\n  - id: webinar\n    name: ウェビナー\n")
    assert findings("touchpoint-used") == [
        f"{CATALOG}:11:9: touchpoints[0].id: touchpoint 'webinar' appears in no journey (add it to a journey's "
        "'touchpoints' lane, or remove it) [touchpoint-used]"]
    edit(site / JOURNEY, "signup: [welcome-mail]", "signup: [welcome-mail, webinar]")
    assert findings("touchpoint-used") == []


def test_department_that_owns_nothing(site: Path) -> None:
    edit(site / CATALOG, "channels:\n", "  - id: legal\n    name: {ja: 法務, en: Legal}\nchannels:\n")
    assert findings("department-owns") == [
        f"{CATALOG}:7:9: departments[2].id: department 'legal' owns nothing: no journey, phase, lane cell, "
        "touchpoint, KPI, persona, task or action names it [department-owns]"]
    edit(site / ROADMAP, "          department: sales\n  - id: use", "          department: legal\n  - id: use")
    assert findings("department-owns") == []


# ------------------------------------------------------------------ settings


def test_settings_default_severity_and_typos() -> None:
    chosen, errors = rules.settings({"default": "off", "kpi-used": "error", "stage-checkpoint": False})
    assert errors == [] and chosen["kpi-used"] == "error" and chosen["stage-checkpoint"] == "off"
    assert {chosen[r] for r in rules.RULES if r != "kpi-used"} == {"off"}
    assert rules.settings({"kpi-usd": "warn", "emotion-label": "loud"})[1] == [
        "checks: unknown rule 'kpi-usd'; did you mean 'kpi-used' or 'touchpoint-used'?",
        "checks.emotion-label: expected one of warn, error, off, found 'loud'"]
    assert rules.settings("all")[1] == ["checks: expected a mapping of rule ids (or 'default') to warn, error or off"]


# ------------------------------------------------------------------ tabiji check


def check(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", "check", *args], cwd=site, capture_output=True,
                          text=True, env=ENV, timeout=300)


def test_cli_lists_every_finding_and_fails(site: Path) -> None:
    run = check(site)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [f"warning: {f}" for f in MINI_FINDINGS] + ["3 findings from 3 rules"]


def test_cli_plurals_errors_and_off(site: Path) -> None:
    edit(site / "mkdocs.yml", "checks: {}", "checks: {kpi-used: off, stage-checkpoint: off, challenge-condition: error}")
    run = check(site)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"error: {MINI_FINDINGS[2]}", "1 finding from 1 rule, 1 of them error"]


def test_cli_ok_when_no_findings(site: Path) -> None:
    edit(site / "mkdocs.yml", "checks: {}", "checks: {kpi-used: off, stage-checkpoint: off, challenge-condition: off}")
    run = check(site)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "ok: 7 rules, no findings\n"


def test_cli_on_the_example() -> None:
    run = check(ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"ok: {len(rules.RULES)} rules, no findings\n"


def test_cli_asks_for_valid_sources_first(site: Path) -> None:
    edit(site / JOURNEY, "personas: [admin]", "personas: [admn]")
    run = check(site)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"{JOURNEY}:3:12: personas[0]: expected the id of a persona, found unknown persona 'admn'; "
        "did you mean 'admin'?", "1 problem found", "the map's logic is checked once these problems are fixed"]


def test_cli_refuses_an_unknown_rule(site: Path) -> None:
    edit(site / "mkdocs.yml", "checks: {}", "checks: {stage-chekpoint: warn}")
    run = check(site)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "mkdocs.yml: checks: unknown rule 'stage-chekpoint'; did you mean 'stage-checkpoint'" in run.stderr


# ------------------------------------------------------------------ the build


def test_build_warns_and_strict_fails(site: Path) -> None:
    result = run_build(site)
    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings[:3] == [f"WARNING -  tabiji: {f}" for f in MINI_FINDINGS]
    assert not (site / "site").exists(), "a failed build keeps the previous site"


def test_build_without_strict_passes_with_warnings(site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site"], cwd=site,
                            capture_output=True, text=True, env=ENV, timeout=600)
    assert result.returncode == 0, result.stderr
    assert sum(f in result.stderr for f in MINI_FINDINGS) == 3
    assert (site / "site/map/index.html").is_file()


def test_build_error_severity_fails_without_strict(site: Path) -> None:
    edit(site / "mkdocs.yml", "checks: {}", "checks: {default: off, stage-checkpoint: error}")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site"], cwd=site,
                            capture_output=True, text=True, env=ENV, timeout=600)
    assert result.returncode == 1
    assert MINI_FINDINGS[1] in result.stderr and MINI_FINDINGS[0] not in result.stderr
    assert "Tabiji's checks found 1 error in the map's logic" in result.stderr


def test_build_with_the_rules_off_is_clean(site: Path) -> None:
    edit(site / "mkdocs.yml", "checks: {}", "checks: {default: off}")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
