"""The semantic diff: every kind of change, told in words (en and ja), with the departments it
touches; folders and git revisions; text, Markdown and JSON; unchanged maps and invalid heads."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from conftest import ENV, commit_all, git
from tabiji.review.diff import MARKER, diff_sites, render
from tabiji.source.validate import load_site

CATALOG = {
    "departments": [
        {"id": "cs", "name": {"en": "Customer Success", "ja": "カスタマーサクセス"}, "reviewers": ["@acme/cs"]},
        {"id": "sales", "name": {"en": "Sales", "ja": "営業"}, "reviewers": ["@acme/sales", "@lee"]},
        {"id": "marketing", "name": {"en": "Marketing", "ja": "マーケティング"}, "reviewers": ["@acme/marketing"]},
        {"id": "support", "name": {"en": "Support", "ja": "サポート"}},
    ],
    "channels": [{"id": "email", "name": "Email"}],
    "touchpoints": [
        {"id": "welcome-mail", "name": "Welcome mail", "channel": "email", "owner": "marketing"},
        {"id": "help", "name": "Help center", "owner": "support"},
    ],
    "kpis": [{"id": "activation", "name": "Activation rate", "definition": "Share set up in 14 days.",
              "unit": "%", "target": "80", "owner": "cs"}],
    "segments": [{"id": "smb", "name": "SMB"}],
    "roles": [{"id": "office", "name": "Project office"}],
}
PERSONA = {"id": "admin", "name": {"en": "Alex, the IT admin", "ja": "情シスのアレックス"}, "role": "IT admin",
           "owner": "marketing", "segments": ["smb"], "goals": ["Roll out without tickets"]}
JOURNEY = {
    "id": "onboarding", "title": {"en": "Onboarding", "ja": "オンボーディング"}, "personas": ["admin"],
    "goal": "Set up and used weekly.", "owner": "cs",
    "phases": [
        {"id": "signup", "name": {"en": "Sign-up", "ja": "申込"}, "owners": ["sales"]},
        {"id": "setup", "name": {"en": "Setup", "ja": "初期設定"}, "owners": ["cs"],
         "steps": [{"id": "invite", "name": {"en": "Invite users", "ja": "招待"}},
                   {"id": "configure", "name": {"en": "Configure", "ja": "設定"}}]},
        {"id": "use", "name": {"en": "Daily use", "ja": "日常利用"}},
    ],
    "lanes": [
        {"kind": "actions", "cells": {"signup": "Signs the contract", "invite": ["Invites the team", "Sends a memo"],
                                      "configure": "Sets up SSO"}},
        {"kind": "emotions", "cells": {"signup": {"score": "1", "label": "Hopeful"},
                                       "invite": {"score": "-1", "label": "Unsure"}}},
        {"kind": "touchpoints", "cells": {"signup": ["welcome-mail"], "configure": ["help"]}},
        {"kind": "departments", "cells": {"use": ["marketing"]}},
        {"kind": "measures", "cells": {"use": "Monthly newsletter"}},
    ],
}
ROADMAP = {
    "id": "success", "title": {"en": "Success roadmap", "ja": "サクセスロードマップ"}, "product": "Tool",
    "personas": ["admin"], "owner": "cs",
    "stages": [
        {"id": "trial", "name": "Trial", "state": "Decided to use",
         "tasks": {"joint": [{"id": "kickoff", "name": "Kickoff", "department": "sales"}],
                   "customer": [{"id": "sheet", "name": "Fill in the hearing sheet", "role": "office"}],
                   "ours": [{"id": "env", "name": "Prepare the environment", "department": "cs"}]}},
        {"id": "onboard", "name": "Onboarding", "state": "Set up",
         "tasks": {"ours": [{"id": "training", "name": "Training", "department": "support"}]}},
        {"id": "value", "name": "Value", "state": "ROI reached"},
    ],
    "actions": [
        {"id": "usage-drop", "kind": "challenge", "stage": "onboard", "trigger": "Key user's usage drops",
         "action": "Propose a meeting", "department": "cs", "role": "office"},
        {"id": "case-study", "kind": "positive", "stage": "value", "trigger": "ROI goal reached",
         "action": "Ask for a case study", "department": "marketing"},
    ],
}


def sources() -> dict[str, Any]:
    return {"catalog/catalog.yml": copy.deepcopy(CATALOG), "personas/admin.yml": copy.deepcopy(PERSONA),
            "maps/onboarding.yml": copy.deepcopy(JOURNEY), "roadmaps/success.yml": copy.deepcopy(ROADMAP)}


def write(folder: Path, files: dict[str, Any]) -> Path:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def changed(tmp_path: Path, edit: Callable[[dict[str, Any]], None], lang: str = "en", fmt: str = "text") -> str:
    """The diff, rendered, from the base sources to the sources after ``edit``."""
    head = sources()
    edit(head)
    base_site = load_site(write(tmp_path / "base", sources()))
    head_site = load_site(write(tmp_path / "head", head))
    return render(diff_sites(base_site, head_site), base_site, head_site, lang, fmt)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("- ")]


def journey(files: dict[str, Any]) -> dict[str, Any]:
    return files["maps/onboarding.yml"]


def lane(files: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(x for x in journey(files)["lanes"] if x["kind"] == kind)


# ---------------------------------------------------------------- journeys


def test_unchanged_map_says_so(tmp_path: Path) -> None:
    assert changed(tmp_path, lambda f: None) == "The map is unchanged.\n"
    assert changed(tmp_path, lambda f: None, "ja") == "マップに変更はありません。\n"
    md = changed(tmp_path, lambda f: None, "en", "md")
    assert md.startswith(MARKER) and "The map is unchanged." in md
    assert json.loads(changed(tmp_path, lambda f: None, "en", "json"))["unchanged"] is True


def test_phase_renamed_added_removed_and_goal(tmp_path: Path) -> None:
    def edit(f):
        phases = journey(f)["phases"]
        phases[0]["name"] = {"en": "Contract", "ja": "契約"}
        phases[0]["goal"] = "Contract signed"
        phases.insert(2, {"id": "go-live", "name": "Go-live"})
        del phases[3]  # 'use' (and its cells)
        for x in journey(f)["lanes"]:
            x["cells"].pop("use", None)
        journey(f)["lanes"] = [x for x in journey(f)["lanes"] if x["cells"]]
    out = lines(changed(tmp_path, edit))
    assert "- phase “Sign-up” renamed: “Sign-up” → “Contract”  [Customer Success, Sales]" in out
    assert "- phase “Contract”: goal set to “Contract signed”  [Customer Success, Sales]" in out
    assert "- phase “Go-live” added  [Customer Success]" in out
    assert "- phase “Daily use” removed  [Customer Success]" in out
    assert "- lane “Departments” removed  [Customer Success, Marketing]" in out
    ja = lines(changed(tmp_path, edit, "ja"))
    assert "- フェーズ「申込」の名前を変更：「申込」 → 「契約」  [カスタマーサクセス、営業]" in ja
    assert "- フェーズ「日常利用」を削除  [カスタマーサクセス]" in ja


def test_moved_phase_and_steps(tmp_path: Path) -> None:
    def edit(f):
        phases = journey(f)["phases"]
        phases[0], phases[1] = phases[1], phases[0]  # setup first now
        steps = phases[0]["steps"]
        steps.append({"id": "check", "name": "Check"})
        steps.reverse()  # check, configure, invite
        phases[2]["steps"] = [steps.pop()]  # invite moves to the daily-use phase
        for x in journey(f)["lanes"]:
            x["cells"].pop("use", None)
    out = lines(changed(tmp_path, edit))
    assert "- phase “Sign-up” moved: position 1 → 2  [Customer Success, Sales]" in out or \
           "- phase “Setup” moved: position 2 → 1  [Customer Success]" in out
    assert "- step “Invite users” in phase “Daily use” moved: “Setup” → “Daily use”  [Customer Success]" in out
    assert "- step “Configure” in phase “Setup” moved: position 2 → 1  [Customer Success]" in out \
        or "- step “Check” in phase “Setup” added  [Customer Success]" in out
    ja = lines(changed(tmp_path, edit, "ja"))
    assert any(x.startswith("- フェーズ「") and "の順番を変更：" in x for x in ja)
    assert any("ステップ「招待」を移動：「初期設定」 → 「日常利用」" in x for x in ja)


def test_step_added_removed_renamed(tmp_path: Path) -> None:
    def edit(f):
        steps = journey(f)["phases"][1]["steps"]
        steps[0]["name"] = "Invite everyone"
        steps[1] = {"id": "sso", "name": "Single sign-on"}
        for x in journey(f)["lanes"]:
            if "configure" in x["cells"]:
                x["cells"]["sso"] = x["cells"].pop("configure")
    out = lines(changed(tmp_path, edit))
    assert "- step “Invite users” in phase “Setup” renamed: “Invite users” → “Invite everyone”  [Customer Success]" in out
    assert "- step “Single sign-on” in phase “Setup” added  [Customer Success]" in out
    assert "- step “Configure” in phase “Setup” removed  [Customer Success]" in out


def test_emotion_score_from_to(tmp_path: Path) -> None:
    def edit(f):
        lane(f, "emotions")["cells"]["signup"] = {"score": "-2", "label": "Worried"}
        lane(f, "emotions")["cells"]["configure"] = {"score": "2"}
    out = lines(changed(tmp_path, edit))
    assert "- cell “Sign-up” in lane “Thoughts and emotions”: emotion score changed: +1 → -2  [Customer Success, Sales]" in out
    assert "- cell “Sign-up” in lane “Thoughts and emotions”: feeling changed: “Hopeful” → “Worried”  [Customer Success, Sales]" in out
    assert "- cell “Setup › Configure” in lane “Thoughts and emotions” added: +2  [Customer Success]" in out
    ja = lines(changed(tmp_path, edit, "ja"))
    assert "- 「思考・感情」レーンの「申込」のセルの感情スコアを変更：+1 → -2  [カスタマーサクセス、営業]" in ja


def test_reference_cells_route_to_the_entries_owners(tmp_path: Path) -> None:
    def edit(f):
        lane(f, "touchpoints")["cells"]["signup"] = []  # the welcome mail (Marketing's) is gone
        lane(f, "touchpoints")["cells"]["configure"] = ["help", "welcome-mail"]
        lane(f, "departments")["cells"]["use"] = ["support"]
    out = lines(changed(tmp_path, edit))
    assert "- cell “Sign-up” in lane “Touchpoints”: entries: removed “Welcome mail”  [Customer Success, Sales, Marketing]" in out
    assert "- cell “Setup › Configure” in lane “Touchpoints”: entries: added “Welcome mail”  [Customer Success, Marketing]" in out
    assert ("- cell “Daily use” in lane “Departments”: entries: added “Support”; removed “Marketing”  "
            "[Customer Success, Marketing, Support]") in out


def test_marketing_owned_cell_is_routed_to_marketing(tmp_path: Path) -> None:
    """A cell in a column whose departments lane names Marketing asks Marketing to review."""
    out = changed(tmp_path, lambda f: lane(f, "measures")["cells"].update(use="Weekly newsletter"))
    assert "- cell “Daily use” in lane “Our measures”: text changed: “Monthly newsletter” → “Weekly newsletter”  [Customer Success, Marketing]" in lines(out)
    assert "Departments to review: Customer Success (@acme/cs), Marketing (@acme/marketing)" in out


def test_text_cells_and_lists(tmp_path: Path) -> None:
    def edit(f):
        lane(f, "actions")["cells"]["invite"] = ["Invites the team", "Books a training"]
        lane(f, "actions")["cells"].pop("configure")
        journey(f)["lanes"].append({"kind": "pain_points", "cells": {"invite": "Too many e-mails"}})
    out = lines(changed(tmp_path, edit))
    assert "- cell “Setup › Invite users” in lane “Customer actions”: text: added “Books a training”; removed “Sends a memo”  [Customer Success]" in out
    assert "- cell “Setup › Configure” in lane “Customer actions” removed: “Sets up SSO”  [Customer Success]" in out
    assert "- lane “Pain points” added  [Customer Success]" in out


def test_journey_fields_and_references(tmp_path: Path) -> None:
    def edit(f):
        journey(f)["title"] = "First weeks"
        journey(f)["owner"] = "sales"
        journey(f)["segments"] = ["smb"]
        journey(f)["phases"][1]["owners"] = ["cs", "marketing"]
    out = lines(changed(tmp_path, edit))
    assert "- Journey renamed: “Onboarding” → “First weeks”  [Customer Success, Sales]" in out
    assert "- Journey: owner changed: “Customer Success” → “Sales”  [Customer Success, Sales]" in out
    assert "- Journey: segments: added “SMB”  [Customer Success, Sales]" in out
    assert "- phase “Setup”: owners: added “Marketing”  [Customer Success, Sales, Marketing]" in out


# ---------------------------------------------------------------- personas and catalogs


def test_persona_and_catalog_changes(tmp_path: Path) -> None:
    def edit(f):
        f["personas/admin.yml"]["goals"] = ["Roll out without tickets", "Pass the audit"]
        f["personas/admin.yml"]["role"] = "IT manager"
        cat = f["catalog/catalog.yml"]
        cat["touchpoints"][1]["name"] = "Help site"
        cat["touchpoints"][1]["owner"] = "cs"
        cat["kpis"][0]["target"] = "90"
        cat["departments"][3]["reviewers"] = ["@acme/support"]
        cat["segments"].append({"id": "enterprise", "name": "Enterprise"})
        cat["channels"] = []
        cat["touchpoints"][0].pop("channel")
    out = changed(tmp_path, edit)
    got = lines(out)
    assert "- Persona: goals and expected outcomes: added “Pass the audit”  [Marketing]" in got
    assert "- Persona: role changed: “IT admin” → “IT manager”  [Marketing]" in got
    assert "- Touchpoint renamed: “Help center” → “Help site”  [Customer Success, Support]" in got
    assert "- Touchpoint: owner changed: “Support” → “Customer Success”  [Customer Success, Support]" in got
    assert "- KPI: target changed: 80 → 90  [Customer Success]" in got
    assert "- Department: reviewers: added “@acme/support”  [Support]" in got
    assert "- Segment added" in got and "- Channel removed" in got
    assert out.index("Touchpoint “Help site”") < out.index("Segment “Enterprise”")  # catalogs in a fixed order


def test_id_change_with_same_content_is_a_rename(tmp_path: Path) -> None:
    def edit(f):
        f["catalog/catalog.yml"]["segments"][0]["id"] = "small"
        f["personas/admin.yml"]["segments"] = ["small"]
    out = lines(changed(tmp_path, edit))
    assert "- Segment: id changed: smb → small" in out
    assert "- Persona: segments: added small; removed smb  [Marketing]" in out


def test_documents_added_and_removed_name_every_department_they_concern(tmp_path: Path) -> None:
    def edit(f):
        del f["maps/onboarding.yml"]
    base_site = load_site(write(tmp_path / "base", sources()))
    head_files = sources()
    edit(head_files)
    head_site = load_site(write(tmp_path / "head", head_files))
    out = render(diff_sites(base_site, head_site), base_site, head_site, "en", "text")
    assert "- Journey removed  [Customer Success, Sales, Marketing]" in lines(out)
    back = render(diff_sites(head_site, base_site), head_site, base_site, "ja", "text")
    assert "- ジャーニーを追加  [カスタマーサクセス、営業、マーケティング]" in lines(back)


# ---------------------------------------------------------------- roadmaps


def roadmap(files: dict[str, Any]) -> dict[str, Any]:
    return files["roadmaps/success.yml"]


def test_roadmap_stages(tmp_path: Path) -> None:
    def edit(f):
        stages = roadmap(f)["stages"]
        stages[0]["name"] = "Free trial"
        stages[0]["state"] = "Decided to buy"
        stages[1], stages[2] = stages[2], stages[1]
        stages.append({"id": "expand", "name": "Expansion", "state": "More seats"})
        roadmap(f)["actions"][1]["stage"] = "value"
    out = lines(changed(tmp_path, edit))
    assert "- stage “Trial” renamed: “Trial” → “Free trial”  [Customer Success, Sales]" in out
    assert "- stage “Free trial”: achievement state changed: “Decided to use” → “Decided to buy”  [Customer Success, Sales]" in out
    assert any(x.startswith("- stage “Value” moved: position 3 → 2") or x.startswith("- stage “Onboarding” moved: position 2 → 3")
               for x in out)
    assert "- stage “Expansion” added  [Customer Success]" in out


def test_roadmap_tasks(tmp_path: Path) -> None:
    def edit(f):
        trial, onboard, _ = roadmap(f)["stages"]
        trial["tasks"]["joint"][0]["name"] = "Kickoff meeting"
        trial["tasks"]["customer"] = []  # the hearing sheet is gone
        onboard["tasks"]["joint"] = [trial["tasks"]["ours"].pop()]  # env moves stage and lane
        onboard["tasks"]["ours"].append({"id": "report", "name": "Monthly report", "department": "marketing"})
        onboard["tasks"]["ours"][0]["department"] = "cs"
    out = lines(changed(tmp_path, edit))
    assert "- task “Kickoff” in stage “Trial” renamed: “Kickoff” → “Kickoff meeting”  [Customer Success, Sales]" in out
    assert "- task “Fill in the hearing sheet” in stage “Trial” removed  [Customer Success]" in out
    assert "- task “Prepare the environment” in stage “Onboarding” moved: “Trial › Our tasks” → “Onboarding › Joint tasks”  [Customer Success]" in out
    assert "- task “Monthly report” in stage “Onboarding” added  [Customer Success, Marketing]" in out
    assert "- task “Training” in stage “Onboarding”: department changed: “Support” → “Customer Success”  [Customer Success, Support]" in out
    ja = lines(changed(tmp_path, edit, "ja"))
    assert "- ステージ「Trial」のタスク「Fill in the hearing sheet」を削除  [カスタマーサクセス]" in ja


def test_roadmap_guided_actions(tmp_path: Path) -> None:
    def edit(f):
        actions = roadmap(f)["actions"]
        actions[0]["action"] = "Propose a meeting within a week"
        actions[0]["department"] = "support"
        del actions[1]
        actions.append({"id": "low-login", "kind": "challenge", "stage": "trial", "trigger": "First-login rate low",
                        "action": "Contact the administrator", "department": "sales"})
    out = lines(changed(tmp_path, edit))
    assert ("- guided action “Key user's usage drops”: action changed: “Propose a meeting” → "
            "“Propose a meeting within a week”  [Customer Success, Support]") in out
    assert "- guided action “Key user's usage drops”: department changed: “Customer Success” → “Support”  [Customer Success, Support]" in out
    assert "- guided action “ROI goal reached” removed  [Customer Success, Marketing]" in out
    assert "- guided action “First-login rate low” added  [Customer Success, Sales]" in out


# ---------------------------------------------------------------- outputs


def test_markdown_names_departments_with_reviewers_and_escapes_text(tmp_path: Path) -> None:
    def edit(f):
        lane(f, "measures")["cells"]["use"] = "<script>x</script> ping @everyone *now*"
    md = changed(tmp_path, edit, "en", "md")
    assert md.startswith(MARKER + "\n## Changes to the map\n")
    assert "| Marketing | @acme/marketing | 1 |" in md and "| Customer Success | @acme/cs | 1 |" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "@everyone" not in md and "\\*now\\*" in md
    assert "#### Journey “Onboarding” — <code>" in md


def test_json_schema_is_stable(tmp_path: Path) -> None:
    data = json.loads(changed(tmp_path, lambda f: lane(f, "emotions")["cells"]["invite"].update(score="0"),
                              "en", "json"))
    assert set(data) == {"schema", "base", "head", "lang", "unchanged", "departments", "changes"}
    assert data["schema"] == "tabiji-diff/1" and data["unchanged"] is False
    assert data["departments"] == [{"id": "cs", "name": "Customer Success", "reviewers": ["@acme/cs"], "changes": 1}]
    (change,) = data["changes"]
    assert change == {
        "document": {"kind": "journeys", "id": "onboarding", "name": "Onboarding",
                     "file": change["document"]["file"]},
        "where": [{"kind": "lane", "id": "emotions", "name": "Thoughts and emotions"},
                  {"kind": "cell", "id": "invite", "name": "Setup › Invite users"}],
        "change": "changed", "field": "score", "from": "-1", "to": "0", "added": [], "removed": [], "refs": "",
        "departments": ["cs"],
        "text": "Journey “Onboarding”: cell “Setup › Invite users” in lane “Thoughts and emotions”: "
                "emotion score changed: -1 → 0",
    }
    assert change["document"]["file"].endswith("maps/onboarding.yml")


def test_output_is_deterministic(tmp_path: Path) -> None:
    def edit(f):
        journey(f)["phases"].reverse()
        roadmap(f)["actions"].reverse()
        lane(f, "emotions")["cells"]["signup"]["score"] = "2"
    first = changed(tmp_path / "a", edit, "en", "json")
    assert first == changed(tmp_path / "b", edit, "en", "json").replace("/b/", "/a/")


# ---------------------------------------------------------------- the command: folders, git, invalid heads


def tabiji(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=ENV, timeout=120)


def test_command_on_two_folders(tmp_path: Path) -> None:
    write(tmp_path / "base", sources())
    head = sources()
    journey(head)["goal"] = "Used daily."
    write(tmp_path / "head", head)
    run = tabiji(tmp_path, "diff", "--base-folder", "base", "--head-folder", "head", "--lang", "en")
    assert run.returncode == 0, run.stderr
    assert "- Journey: goal changed: “Set up and used weekly.” → “Used daily.”  [Customer Success]" in lines(run.stdout)


def test_invalid_head_prints_located_problems(tmp_path: Path) -> None:
    write(tmp_path / "base", sources())
    head = sources()
    lane(head, "emotions")["cells"]["signup"]["score"] = "5"
    head["personas/admin.yml"]["owner"] = "sails"
    write(tmp_path / "head", head)
    for fmt in ("text", "md", "json"):
        run = tabiji(tmp_path, "diff", "--base-folder", "base", "--head-folder", "head", "--format", fmt, "--lang", "en")
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert "head/maps/onboarding.yml:" in run.stderr and "head/personas/admin.yml:" in run.stderr
        assert "expected an emotion score from -2 to +2, found '5'" in run.stderr
        assert "unknown department 'sails'; did you mean 'sales'?" in run.stderr
    md = tabiji(tmp_path, "diff", "--base-folder", "base", "--head-folder", "head", "--format", "md", "--lang", "ja").stdout
    assert md.startswith(MARKER) and "変更後のマップに問題があります" in md and "sails" in md


def test_bad_cadence_and_reviewer_handle_are_located_errors(tmp_path: Path) -> None:
    files = sources()
    files["personas/admin.yml"]["review_every"] = "4 weeks"
    files["catalog/catalog.yml"]["departments"][0]["reviewers"] = ["acme/cs"]
    write(tmp_path / "src", files)
    run = tabiji(tmp_path, "validate", "src")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert ("src/personas/admin.yml:11:15: review_every: expected a review cadence: a number and d, w, m or y "
            "(e.g. '4w', '30d', '3m'), found '4 weeks'") in run.stderr
    assert "departments[0].reviewers[0]: expected a GitHub user '@name' or team '@org/team', found 'acme/cs'" in run.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose map changed in three commits."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    files = sources()
    write(repo / "journeys", files)
    (repo / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n  language: ja\n"
                                     "plugins:\n  - tabiji:\n      source: journeys\n", encoding="utf-8")
    commit_all(repo, "first map", "2026-01-05")
    lane(files, "emotions")["cells"]["signup"]["score"] = "-1"
    write(repo / "journeys", files)
    commit_all(repo, "signing is stressful", "2026-02-02")
    roadmap(files)["stages"][0]["tasks"]["joint"].append({"id": "plan", "name": "Plan", "department": "marketing"})
    write(repo / "journeys", files)
    commit_all(repo, "a planning task", "2026-03-02")
    return repo


def test_command_on_git_revisions(repo: Path) -> None:
    run = tabiji(repo, "diff", "HEAD~2", "HEAD")  # language and source from mkdocs.yml
    assert run.returncode == 0, run.stderr
    got = lines(run.stdout)
    assert "- 「思考・感情」レーンの「申込」のセルの感情スコアを変更：+1 → -1  [カスタマーサクセス、営業]" in got
    assert "- ステージ「Trial」のタスク「Plan」を追加  [カスタマーサクセス、マーケティング]" in got
    assert "journeys/maps/onboarding.yml" in run.stdout
    en = tabiji(repo / "journeys", "diff", "HEAD~1", "HEAD", "--source", ".", "--lang", "en", "--format", "json")
    data = json.loads(en.stdout)
    assert [c["text"] for c in data["changes"]] == ["Success roadmap “Success roadmap”: task “Plan” in stage “Trial” added"]
    assert data["departments"][1] == {"id": "marketing", "name": "Marketing", "reviewers": ["@acme/marketing"],
                                      "changes": 1}
    assert tabiji(repo, "diff", "HEAD", "HEAD").stdout == "マップに変更はありません。\n"


def test_working_tree_against_a_revision_and_bad_revisions(repo: Path) -> None:
    path = repo / "journeys" / "personas" / "admin.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("IT admin", "IT lead"), encoding="utf-8")
    run = tabiji(repo, "diff", "HEAD", "--lang", "en")
    assert "- Persona: role changed: “IT admin” → “IT lead”  [Marketing]" in lines(run.stdout)
    bad = tabiji(repo, "diff", "no-such-branch", "HEAD")
    assert bad.returncode == 2 and "'no-such-branch' is not a commit" in bad.stderr and "Traceback" not in bad.stderr


def test_invalid_head_revision(repo: Path) -> None:
    path = repo / "journeys" / "maps" / "onboarding.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("owner: cs", "owner: cx"), encoding="utf-8")
    commit_all(repo, "typo")
    run = tabiji(repo, "diff", "HEAD~1", "HEAD", "--lang", "en")
    assert run.returncode == 1
    assert "journeys/maps/onboarding.yml:" in run.stderr and "unknown department 'cx'" in run.stderr
