"""Every kind of bad input gives one located message; each test checks the whole message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tabiji.core.problems import InvalidSources
from tabiji.source.validate import load_site

MINI = Path(__file__).parent / "fixtures" / "mini" / "journeys"


@pytest.fixture
def src(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small valid fixture; messages are relative to tmp_path."""
    shutil.copytree(MINI, tmp_path / "journeys")
    monkeypatch.chdir(tmp_path)
    return Path("journeys")


def problems(src: Path) -> list[str]:
    with pytest.raises(InvalidSources) as caught:
        load_site(src)
    return [str(p) for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


JOURNEY = "journeys/maps/onboarding.yml"
PERSONA = "journeys/personas/admin.yml"


def test_fixture_is_valid(src: Path) -> None:
    site = load_site(src)
    assert list(site.journeys) == ["onboarding"]
    assert site.journeys["onboarding"].phases[1].steps[0].id == "invite"


def test_unknown_persona_suggests_the_closest(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "personas: [admin]", "personas: [admn]")
    assert problems(src) == [
        f"{JOURNEY}:3:12: personas[0]: expected the id of a persona, found unknown persona 'admn'; "
        "did you mean 'admin'?"]


def test_misspelled_field_is_one_message_with_suggestion(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "goal: The customer", "gaol: The customer")
    assert problems(src) == [
        f"{JOURNEY}:4:1: gaol: expected a known field, found unknown field 'gaol'; did you mean 'goal'?"]


def test_misspelled_nested_field(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "{score: 1, label: Hopeful}", "{score: 1, lable: Hopeful}")
    assert problems(src) == [
        f"{JOURNEY}:27:26: lanes[1].cells.signup.lable: expected a known field, found unknown field 'lable'; "
        "did you mean 'label'?"]


def test_missing_required_field(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "owner: cs\n", "")
    assert problems(src) == [f"{JOURNEY}:1:1: owner: expected the required field 'owner', found nothing"]


def test_emotion_score_off_the_scale(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "score: 2,", "score: 3,")
    assert problems(src) == [
        f"{JOURNEY}:29:26: lanes[1].cells.configure.score: expected an emotion score from -2 to +2, found '3'"]


def test_emotion_score_not_a_number(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "score: 2,", "score: high,")
    assert problems(src) == [
        f"{JOURNEY}:29:26: lanes[1].cells.configure.score: expected a whole number, found 'high'"]


def test_unknown_lane_kind(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "kind: kpis", "kind: kpi")
    assert problems(src) == [
        f"{JOURNEY}:33:11: lanes[3].kind: expected a lane kind: actions, emotions, touchpoints, departments, "
        "information, measures, kpis, pain_points, gain_points, text, found 'kpi'; did you mean 'kpis'?"]


def test_bad_slug(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "id: invite", "id: Invite Users")
    assert problems(src)[0] == (
        f"{JOURNEY}:15:13: phases[1].steps[0].id: expected an id of lowercase letters a-z, digits, '-' or '_', "
        "found 'Invite Users'")


def test_duplicate_id_across_files(src: Path) -> None:
    (src / "catalog/more.yml").write_text("departments:\n  - id: cs\n    name: Again\n", encoding="utf-8")
    assert problems(src) == [
        "journeys/catalog/more.yml:2:9: departments[0].id: expected a unique id among departments, "
        "found 'cs', already used at journeys/catalog/catalog.yml:2"]


def test_duplicate_journey_id(src: Path) -> None:
    shutil.copy(src / "maps/onboarding.yml", src / "maps/copy.yml")
    assert problems(src) == [
        "journeys/maps/onboarding.yml:1:5: id: expected a unique id among journeys, "
        "found 'onboarding', already used at journeys/maps/copy.yml:1"]


def test_duplicate_phase_or_step_id(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "id: configure", "id: invite")
    found = problems(src)
    assert found[0] == (f"{JOURNEY}:17:13: phases[1].steps[1].id: expected phase and step ids unique within "
                        "the journey, found duplicate id 'invite'")


def test_cell_for_unknown_phase(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "      configure: Sets up SSO", "      configur: Sets up SSO")
    assert problems(src) == [
        f"{JOURNEY}:24:7: lanes[0].cells.configur: expected a phase or step id of this journey, "
        "found unknown id 'configur'; did you mean 'configure'?"]


def test_phase_of_another_journey(src: Path) -> None:
    other = (src / "maps/onboarding.yml").read_text(encoding="utf-8")
    other = other.replace("id: onboarding", "id: renewal").replace("id: signup", "id: renew") \
        .replace("signup:", "renew:").replace("id: setup", "id: decide").replace("setup:", "decide:") \
        .replace("id: invite", "id: quote").replace("invite:", "quote:") \
        .replace("id: configure", "id: sign").replace("configure:", "sign:")
    (src / "maps/renewal.yml").write_text(other, encoding="utf-8")
    edit(src / "maps/onboarding.yml", "      invite: Invites the team", "      renew: Invites the team")
    found = problems(src)
    assert f"{JOURNEY}:23:7: lanes[0].cells.renew: expected a phase or step of this journey, " \
           "found 'renew', which belongs to journey 'renewal'; did you mean 'signup'?" not in found
    assert any(p.startswith(f"{JOURNEY}:23:7: lanes[0].cells.renew: expected a phase or step of this journey, "
                            "found 'renew', which belongs to journey 'renewal'") for p in found)


def test_empty_required_lane(src: Path) -> None:
    edit(src / "maps/onboarding.yml",
         "    cells:\n      signup: Signs the contract\n      invite: Invites the team\n"
         "      configure: Sets up SSO\n", "    cells: {}\n")
    assert problems(src) == [
        f"{JOURNEY}:21:12: lanes[0].cells: expected at least one cell in the required 'actions' lane, "
        "found an empty lane"]


def test_missing_required_lane(src: Path) -> None:
    text = (src / "maps/onboarding.yml").read_text(encoding="utf-8")
    start = text.index("  - kind: emotions")
    end = text.index("  - kind: touchpoints")
    (src / "maps/onboarding.yml").write_text(text[:start] + text[end:], encoding="utf-8")
    assert problems(src) == [
        f"{JOURNEY}:20:3: lanes: expected a lane of kind 'emotions' (every journey has one), found none"]


def test_phase_and_step_cells_in_one_lane(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "      invite: Invites the team", "      setup: Sets up\n"
         "      invite: Invites the team")
    assert problems(src) == [
        f"{JOURNEY}:23:7: lanes[0].cells.setup: expected cells for phase 'setup' or for its steps, not both, "
        "found cells for both: 'configure', 'invite'"]


def test_unknown_catalog_ref_in_lane(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "signup: [welcome-mail]", "signup: [welcome-email]")
    assert problems(src) == [
        f"{JOURNEY}:32:16: lanes[2].cells.signup[0]: expected the id of a touchpoint, "
        "found unknown touchpoint 'welcome-email'; did you mean 'welcome-mail'?"]


def test_unknown_field_in_catalog(src: Path) -> None:
    edit(src / "catalog/catalog.yml", "    unit: \"%\"", "    units: \"%\"")
    assert problems(src) == [
        "journeys/catalog/catalog.yml:20:5: kpis[0].units: expected a known field, found unknown field 'units'; "
        "did you mean 'unit'?"]


def test_bad_date(src: Path) -> None:
    edit(src / "catalog/catalog.yml", "deadline: 2027-03-31", "deadline: next spring")
    assert problems(src) == [
        "journeys/catalog/catalog.yml:22:15: kpis[0].deadline: expected a date as YYYY-MM-DD, "
        "found 'next spring'"]


def test_bilingual_text_with_bad_language_key(src: Path) -> None:
    edit(src / "personas/admin.yml", "role: IT administrator", "role: {Japanese: 管理者}")
    assert problems(src) == [
        f"{PERSONA}:3:8: role.Japanese: expected a language code such as 'ja' or 'en', found 'Japanese'"]


def test_text_where_list_of_ids_expected(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "personas: [admin]", "personas: {admin: yes}")
    assert problems(src) == [f"{JOURNEY}:3:11: personas: expected a list, found a mapping"]


def test_yaml_syntax_error(src: Path) -> None:
    edit(src / "personas/admin.yml", "segments: [smb]", "segments: [smb")
    found = problems(src)  # the located part is Tabiji's; the wording after it is PyYAML's
    assert len(found) == 1 and found[0].startswith(f"{PERSONA}:5:5: (document): expected valid YAML, found a "
                                                   "syntax error: ")


def test_file_in_unknown_folder(src: Path) -> None:
    (src / "persona").mkdir()
    (src / "persona/x.yml").write_text("id: x\nname: X\n", encoding="utf-8")
    assert problems(src) == ["journeys/persona/x.yml:1:1: (file location): expected a file under one of "
                             "catalog/, personas/, maps/, roadmaps/, labels/, found a file in 'persona/'; did you mean 'personas'?"]


def test_yaml_implicit_types_keep_the_typed_text(src: Path) -> None:
    """Norway problem: `no`, `on`, dates and numbers stay the text the writer typed."""
    (src / "personas/norway.yml").write_text(
        "id: norway\nname: no\nrole: on\nsummary: 2026-04-01\nquote: 1.50\nhobbies: [yes, 007]\n", encoding="utf-8")
    persona = load_site(src).personas["norway"]
    assert (persona.name, persona.role, persona.summary, persona.quote) == ("no", "on", "2026-04-01", "1.50")
    assert persona.hobbies == ["yes", "007"]


def test_all_problems_are_reported_together(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "owner: cs", "owner: cx")
    edit(src / "personas/admin.yml", "segments: [smb]", "segments: [smbb]")
    found = problems(src)
    assert len(found) == 2
    assert found[0].startswith(f"{JOURNEY}:5:8: owner: expected the id of a department, found unknown "
                               "department 'cx'")
    assert found[1].startswith(f"{PERSONA}:4:12: segments[0]: expected the id of a segment")


def test_misspelled_field_does_not_hide_a_wrong_id_in_the_same_file(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "personas: [admin]", "personas: [admn]")
    edit(src / "maps/onboarding.yml", "owner: cs", "ownr: cx")
    assert problems(src) == [
        f"{JOURNEY}:3:12: personas[0]: expected the id of a persona, found unknown persona 'admn'; "
        "did you mean 'admin'?",
        f"{JOURNEY}:5:1: ownr: expected a known field, found unknown field 'ownr'; did you mean 'owner'?",
        f"{JOURNEY}:5:7: owner: expected the id of a department, found unknown department 'cx'; "
        "did you mean 'cs'?"]


def test_wrong_type_does_not_hide_a_wrong_id_in_the_same_file(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "personas: [admin]", "personas: [admn]")
    edit(src / "maps/onboarding.yml", "title: Onboarding", "title: [Onboarding]")
    assert problems(src) == [
        f"{JOURNEY}:2:8: title: expected text or a mapping, found a list",
        f"{JOURNEY}:3:12: personas[0]: expected the id of a persona, found unknown persona 'admn'; "
        "did you mean 'admin'?"]


def test_wrong_lane_kind_and_wrong_touchpoint_are_both_reported(src: Path) -> None:
    """The issue's case: two independent mistakes in one journey, two problems."""
    edit(src / "maps/onboarding.yml", "  - kind: kpis", "  - kind: kpi")
    edit(src / "maps/onboarding.yml", "signup: [welcome-mail]", "signup: [welcom-mail]")
    assert problems(src) == [
        f"{JOURNEY}:32:16: lanes[2].cells.signup[0]: expected the id of a touchpoint, found unknown touchpoint "
        "'welcom-mail'; did you mean 'welcome-mail'?",
        f"{JOURNEY}:33:11: lanes[3].kind: expected a lane kind: " + ", ".join(
            ["actions", "emotions", "touchpoints", "departments", "information", "measures", "kpis", "pain_points",
             "gain_points", "text"]) + ", found 'kpi'; did you mean 'kpis'?"]


def test_the_cells_of_a_lane_of_unknown_kind_are_still_checked(src: Path) -> None:
    # 'emotion' for 'emotions': the cells' phase ids are still checked, the missing emotions
    # lane is not reported again (it is the same mistake) and neither are the emotion cells
    edit(src / "maps/onboarding.yml", "  - kind: emotions", "  - kind: emotion")
    edit(src / "maps/onboarding.yml", "      invite: {score: -1", "      invit: {score: -1")
    found = problems(src)
    assert len(found) == 2, found
    assert found[0].startswith(f"{JOURNEY}:25:11: lanes[1].kind: expected a lane kind")
    assert found[1] == (f"{JOURNEY}:28:7: lanes[1].cells.invit: expected a phase or step id of this journey, "
                        "found unknown id 'invit'; did you mean 'invite'?")


def test_several_mistakes_in_several_files_ja_and_en(src: Path) -> None:
    """Mistakes of every kind at once, in a journey, a persona, a roadmap and the catalog."""
    j = src / "maps/onboarding.yml"
    edit(j, "title: Onboarding", "title: {日本語: オンボーディング}")  # a bad language key
    edit(j, "owner: cs", "owner: cx")  # an unknown department
    edit(j, "      invite: {score: -1, label: Unsure}", "      invite: {score: -5, label: 不安}")
    edit(j, "      setup: [cs]", "      setup: [cs, 営業]")  # not an id
    edit(j, "      setup: [activation]", "      setup: [activaton]")
    persona = src / "personas/admin.yml"
    edit(persona, "role: IT administrator", "role: [情シス]")
    edit(persona, "segments: [smb]", "segments: [smbb]")
    roadmap = src / "roadmaps/success.yml"
    edit(roadmap, "    kind: positive", "    kind: postive")
    edit(roadmap, "      - {metric: dau, comparison: \">=\"", "      - {metric: daus, comparison: \"=>\"")
    edit(roadmap, "department: cs\n    touch_model: tech", "department: css\n    touch_model: tech")
    catalog = src / "catalog/catalog.yml"
    edit(catalog, "    touch_model: tech", "    touch_model: テック")
    edit(catalog, "    channel: email", "    channel: e-mail")
    found = problems(src)
    text = "\n".join(found)
    expected = [
        f"{JOURNEY}:2:9: title.日本語: expected a language code such as 'ja' or 'en'",
        f"{JOURNEY}:5:8: owner: expected the id of a department, found unknown department 'cx'",
        f"{JOURNEY}:28:23: lanes[1].cells.invite.score: expected an emotion score from -2 to +2, found '-5'",
        f"{JOURNEY}:35:15: lanes[3].cells.setup[0]: expected the id of a KPI, found unknown KPI 'activaton'",
        f"{JOURNEY}:38:19: lanes[4].cells.setup[1]: expected an id of lowercase letters a-z, digits, '-' or '_', "
        "found '営業'",
        f"{PERSONA}:3:7: role: expected text or a mapping, found a list",
        f"{PERSONA}:4:12: segments[0]: expected the id of a segment, found unknown segment 'smbb'",
        "journeys/roadmaps/success.yml:27:18: stages[1].checkpoints[0].metric: expected the id of a KPI, found "
        "unknown KPI 'daus'",
        "journeys/roadmaps/success.yml:27:36: stages[1].checkpoints[0].comparison: expected one of '>=', '<=', "
        "'>', '<', '='",
        "journeys/roadmaps/success.yml:43:11: actions[0].kind: expected one of 'positive', 'challenge', found "
        "'postive'; did you mean 'positive'?",
        "journeys/roadmaps/success.yml:66:17: actions[2].department: expected the id of a department, found unknown "
        "department 'css'",
        "journeys/catalog/catalog.yml:13:14: touchpoints[0].channel: expected the id of a channel, found unknown "
        "channel 'e-mail'",
        "journeys/catalog/catalog.yml:15:18: touchpoints[0].touch_model: expected one of 'high', 'low', 'tech', "
        "found 'テック'",
    ]
    for line in expected:
        assert any(f.startswith(line) for f in found), f"missing {line!r} in\n{text}"
    assert len(found) == len(expected), text
    assert "checked once this is fixed" not in text  # nothing here hides anything


def test_a_problem_that_hides_others_says_so(src: Path) -> None:
    (src / "personas/broken.yml").write_text("id: broken\nname: [不明\nsegments: [smbb]\n", encoding="utf-8")
    (src / "personas/list.yml").write_text("- id: alist\n- name: A list\n", encoding="utf-8")
    edit(src / "maps/onboarding.yml", "signup: [welcome-mail]", "signup: [welcom-mail]")
    found = problems(src)
    assert len(found) == 3, found
    assert found[0].startswith(f"{JOURNEY}:32:16: lanes[2].cells.signup[0]: expected the id of a touchpoint")
    assert "checked once this is fixed" not in found[0]
    assert found[1].startswith("journeys/personas/broken.yml:3:9: (document): expected valid YAML, found a syntax error")
    assert found[1].endswith("; the rest of this file is checked once this is fixed")
    assert found[2] == ("journeys/personas/list.yml:1:1: (document): expected a mapping of persona fields, found a "
                        "list; the rest of this file is checked once this is fixed")


def test_cli_counts_every_problem_of_a_file(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "  - kind: kpis", "  - kind: kpi")
    edit(src / "maps/onboarding.yml", "signup: [welcome-mail]", "signup: [welcom-mail]")
    edit(src / "maps/onboarding.yml", "personas: [admin]", "personas: [アドミン]")
    run = subprocess.run([sys.executable, "-m", "tabiji.cli", "validate", str(src)], capture_output=True,
                         text=True)
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert lines[-1] == "3 problems found", run.stderr
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        f"{JOURNEY}:3:12", f"{JOURNEY}:32:16", f"{JOURNEY}:33:11"]


def test_cli_prints_problems_and_fails_without_traceback(src: Path) -> None:
    edit(src / "maps/onboarding.yml", "personas: [admin]", "personas: [admn]")
    before = {p: p.read_bytes() for p in src.rglob("*.yml")}
    run = subprocess.run([sys.executable, "-m", "tabiji.cli", "validate", str(src)], capture_output=True,
                         text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr.splitlines() == [
        f"{JOURNEY}:3:12: personas[0]: expected the id of a persona, found unknown persona 'admn'; "
        "did you mean 'admin'?", "1 problem found"]
    assert before == {p: p.read_bytes() for p in src.rglob("*.yml")}, "validation modified a source file"


def test_cli_ok(src: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "tabiji.cli", "validate", str(src)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ok: 1 persona, 1 journey, 2 departments")


def test_cli_checks_id_links_in_the_docs_beside_the_sources(src: Path) -> None:
    docs = src.parent / "docs"
    docs.mkdir()
    (docs / "intro.md").write_text("# Intro\n\nSee [](persona:admn).\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "tabiji.cli", "validate", str(src)], capture_output=True,
                         text=True)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "docs/intro.md:3:5: link to persona:admn: expected the id of a persona, found unknown persona 'admn'; "
        "did you mean 'admin'?", "1 problem found"]


def test_cli_checks_the_docs_against_what_is_valid_when_a_source_is_broken(src: Path) -> None:
    docs = src.parent / "docs"
    docs.mkdir()
    (docs / "intro.md").write_text("# Intro\n\n[a](persona:admin) [b](journey:onboarding) [c](kpi:activaton)\n",
                                   encoding="utf-8")
    edit(src / "maps/onboarding.yml", "title: Onboarding", "title: [Onboarding]")
    run = subprocess.run([sys.executable, "-m", "tabiji.cli", "validate", str(src)], capture_output=True,
                         text=True)
    assert run.returncode == 1
    # The broken journey's own id is not reported again from the docs; a real typo still is.
    assert run.stderr.splitlines() == [
        "docs/intro.md:3:44: link to kpi:activaton: expected the id of a kpi, found unknown kpi 'activaton'; "
        "did you mean 'activation'?",
        f"{JOURNEY}:2:8: title: expected text or a mapping, found a list",
        "2 problems found"]


def test_a_wrong_phase_id_is_one_problem_not_one_per_cell(src: Path) -> None:
    # the cells keyed 'signup' refer to the phase whose id is wrong: the same mistake
    edit(src / "maps/onboarding.yml", "  - id: signup", "  - id: Sign Up")
    edit(src / "maps/onboarding.yml", "owner: cs", "owner: 営業")
    assert problems(src) == [
        f"{JOURNEY}:5:8: owner: expected an id of lowercase letters a-z, digits, '-' or '_', found '営業'",
        f"{JOURNEY}:7:9: phases[0].id: expected an id of lowercase letters a-z, digits, '-' or '_', found 'Sign Up'"]


def test_a_wrong_stage_id_hides_no_other_roadmap_problem(src: Path) -> None:
    roadmap = src / "roadmaps/success.yml"
    edit(roadmap, "  - id: use", "  - id: 日常利用")
    edit(roadmap, "department: cs\n    touch_model: tech", "department: cz\n    touch_model: tech")
    found = problems(src)
    assert [line.split(": ")[0] + ": " + line.split(": ")[1] for line in found] == [
        "journeys/roadmaps/success.yml:23:9: stages[1].id", "journeys/roadmaps/success.yml:66:17: actions[2].department"]
    assert "'x'" not in "\n".join(found), "a stand-in never shows in a message"


def test_when_no_stand_in_fits_the_problem_says_it_hides_the_rest(src: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tabiji.source import repair
    monkeypatch.setattr(repair, "ROUNDS", 0)  # as if no stand-in made the file valid
    edit(src / "maps/onboarding.yml", "personas: [admin]", "personas: [admn]")
    edit(src / "maps/onboarding.yml", "title: Onboarding", "title: [Onboarding]")
    assert problems(src) == [f"{JOURNEY}:2:8: title: expected text or a mapping, found a list; "
                             "the rest of this file is checked once this is fixed"]


def test_the_issues_case_in_the_japanese_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example (ja): a wrong touchpoint id and a wrong lane kind in one journey, a wrong
    emotion score in another: three problems, and the count says so."""
    from conftest import copy_site
    site = copy_site("example", tmp_path / "example")
    monkeypatch.chdir(site)
    maps = Path("journeys/maps")
    edit(maps / "onboarding.yml", "      kickoff: [kickoff-meeting]", "      kickoff: [kickoff-meting]")
    edit(maps / "onboarding.yml", "  - kind: pain_points", "  - kind: pain-points")
    adoption = (maps / "adoption.yml").read_text(encoding="utf-8")
    score = next(line for line in adoption.splitlines() if line.strip().startswith("score: -1"))
    edit(maps / "adoption.yml", score, score.replace("score: -1", "score: -3"))
    run = subprocess.run([sys.executable, "-m", "tabiji.cli", "validate"], capture_output=True, text=True)
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert lines[-1] == "3 problems found", run.stderr
    assert lines[0].startswith("journeys/maps/adoption.yml:") and "expected an emotion score from -2 to +2" in lines[0]
    assert lines[1].startswith("journeys/maps/onboarding.yml:167:17: lanes[2].cells.kickoff[0]: expected the id of "
                               "a touchpoint, found unknown touchpoint 'kickoff-meting'; did you mean 'kickoff-meeting'?")
    assert lines[2].startswith("journeys/maps/onboarding.yml:231:11: lanes[7].kind: expected a lane kind: ")
    assert lines[2].endswith("found 'pain-points'; did you mean 'pain_points' or 'gain_points' or 'touchpoints'?")
