"""Department routing and freshness: CODEOWNERS from the YAML, review cadences and overdue
reviews (validate --stale), last changes from git (also shallow), and the files that run
these checks (GitHub workflows, pre-commit)."""

from __future__ import annotations

import datetime
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import ENV, ROOT, commit_all, copy_site, git
from tabiji.review import gitsource
from tabiji.cli import main
from tabiji.review.freshness import due_date, reviews, today
from tabiji.source.validate import load_site

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def tabiji(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**ENV, **env}, timeout=120)


# ---------------------------------------------------------------- cadences and today


@pytest.mark.parametrize("last, cadence, due", [
    ("2026-01-31", "1m", "2026-02-28"), ("2028-01-31", "1m", "2028-02-29"), ("2026-03-01", "4w", "2026-03-29"),
    ("2026-03-01", "30d", "2026-03-31"), ("2026-11-15", "3m", "2027-02-15"), ("2026-02-28", "1y", "2027-02-28"),
])
def test_due_dates(last: str, cadence: str, due: str) -> None:
    assert due_date(datetime.date.fromisoformat(last), cadence) == datetime.date.fromisoformat(due)


def test_today_is_injectable() -> None:
    assert today({"TABIJI_TODAY": "2026-05-01"}) == datetime.date(2026, 5, 1)
    assert today({}) == datetime.date.today()
    with pytest.raises(ValueError, match="TABIJI_TODAY: expected a date as YYYY-MM-DD, found '5/1'"):
        today({"TABIJI_TODAY": "5/1"})


# ---------------------------------------------------------------- validate --stale


def review_site(tmp_path: Path) -> Path:
    site = copy_site("mini", tmp_path / "mini")
    journey = site / "journeys" / "maps" / "onboarding.yml"
    journey.write_text(journey.read_text(encoding="utf-8").replace(
        "owner: cs\n", "owner: cs\nreview_every: 4w\nlast_reviewed: 2026-03-01\n"), encoding="utf-8")
    return site


def test_validate_stale_reports_overdue_and_missing_review_facts(tmp_path: Path) -> None:
    site = review_site(tmp_path)
    run = tabiji(site, "validate", "--stale", TABIJI_TODAY="2026-04-10")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ok: ")
    assert ("warning: journeys/maps/onboarding.yml:7:16: last_reviewed: expected a review by 2026-03-29 "
            "(every 4w), found last reviewed 2026-03-01, 12 days overdue on 2026-04-10") in run.stderr
    # the mini persona has no review facts at all: reported, never an error of validate itself
    assert "warning: journeys/personas/admin.yml:1:1: last_reviewed: expected a last review date" in run.stderr
    assert "warning: journeys/personas/admin.yml:1:1: owner: expected an owning department id" in run.stderr
    assert "4 review problems on 2026-04-10" in run.stderr
    strict = tabiji(site, "validate", "--stale", "--stale-error", TABIJI_TODAY="2026-04-10")
    assert strict.returncode == 1 and "error: journeys/maps/onboarding.yml:7:16" in strict.stderr
    assert tabiji(site, "validate", TABIJI_TODAY="2026-04-10").stderr == ""  # only when asked
    bad = tabiji(site, "validate", "--stale", TABIJI_TODAY="April")
    assert bad.returncode == 2 and "TABIJI_TODAY: expected a date as YYYY-MM-DD" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_validate_stale_on_time(tmp_path: Path) -> None:
    site = review_site(tmp_path)
    persona = site / "journeys" / "personas" / "admin.yml"
    persona.write_text(persona.read_text(encoding="utf-8") + "owner: cs\nreview_every: 3m\nlast_reviewed: 2026-03-20\n",
                       encoding="utf-8")
    run = tabiji(site, "validate", "--stale", "--stale-error", TABIJI_TODAY="2026-03-29")
    assert run.returncode == 0 and "every review is up to date on 2026-03-29" in run.stdout


def test_the_example_reviews_are_complete() -> None:
    site = load_site(ROOT / "journeys")
    states = reviews(site, datetime.date(2026, 11, 23))
    assert states and all(not r.missing for r in states.values()), [r.id for r in states.values() if r.missing]
    assert all(d.reviewers for d in site.departments.values())


# ---------------------------------------------------------------- CODEOWNERS


def test_committed_codeowners_is_current() -> None:
    run = tabiji(ROOT, "codeowners", "--check")
    assert run.returncode == 0, "run `tabiji codeowners` and commit .github/CODEOWNERS\n" + run.stderr


def test_codeowners_routes_each_file_to_its_departments(tmp_path: Path) -> None:
    site = copy_site("example", tmp_path / "site")
    git(site, "init", "-q")
    (site / "journeys" / "maps" / "acquisition.yml").rename(site / "journeys" / "maps" / "new acquisition.yml")
    out = tabiji(site, "codeowners")
    assert out.returncode == 0 and "wrote .github/CODEOWNERS" in out.stdout
    text = (site / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert text.startswith("# Generated by `tabiji codeowners` from the map's sources (journeys/)")
    lines = dict(re.match(r"^((?:\\ |\S)+) (.*)$", line).groups() for line in text.splitlines()
                 if line and not line.startswith("#"))
    # the acquisition journey is owned by Marketing, with Sales owning later phases
    assert lines["/journeys/maps/new\\ acquisition.yml"] == "@hoshiyomi/sales @hoshiyomi/marketing"
    assert lines["/journeys/personas/hr-admin.yml"] == "@hoshiyomi/marketing"
    assert "@hoshiyomi/support" in lines["/journeys/catalog/touchpoints.yml"]
    assert tabiji(site, "codeowners", "--check").returncode == 0
    departments = site / "journeys" / "catalog" / "departments.yml"
    departments.write_text(departments.read_text(encoding="utf-8").replace("@hoshiyomi/marketing", "@hoshiyomi/mkt"),
                           encoding="utf-8")
    stale = tabiji(site, "codeowners", "--check")
    assert stale.returncode == 1
    assert stale.stderr == ".github/CODEOWNERS is out of date; run 'tabiji codeowners' and commit it\n"


def test_codeowners_without_git_writes_beside_the_working_folder(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    catalog = site / "journeys" / "catalog" / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("owners: [CS team]",
                                                                   "owners: [CS team]\n    reviewers: '@cs-lead'"),
                       encoding="utf-8")
    assert tabiji(site, "codeowners", "--check").stderr.endswith("CODEOWNERS is missing; run 'tabiji codeowners' and commit it\n")
    assert tabiji(site, "codeowners").returncode == 0
    text = (site / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/journeys/maps/onboarding.yml @cs-lead\n" in text and "personas" not in text.split("\n\n", 1)[1]


# ---------------------------------------------------------------- last changes from git


def test_last_changes_one_git_log_and_shallow_clones(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    copy_site("mini", repo)
    git(repo, "init", "-q")
    commit_all(repo, "first", "2026-01-05", author="Ann")
    persona = repo / "journeys" / "personas" / "admin.yml"
    persona.write_text(persona.read_text(encoding="utf-8") + "summary: Busy.\n", encoding="utf-8")
    commit_all(repo, "second", "2026-02-02", author="Bob")
    found = gitsource.last_changes(repo, "journeys")
    assert found["journeys/personas/admin.yml"].date == datetime.date(2026, 2, 2)
    assert found["journeys/personas/admin.yml"].author == "Bob"
    assert found["journeys/maps/onboarding.yml"].author == "Ann"
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    shallow = gitsource.last_changes(clone, "journeys")
    assert "journeys/maps/onboarding.yml" not in shallow  # unknown: the cut shows every file as added
    assert gitsource.last_changes(tmp_path, "journeys") == {}  # not a repository: unknown, no error
    assert gitsource.toplevel(tmp_path) is None


# ---------------------------------------------------------------- workflows and pre-commit


def test_there_are_workflows_for_pull_requests_and_deploys() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"pull-request.yml", "deploy.yml"} <= names


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_files_are_valid(workflow: Path) -> None:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    run = subprocess.run([tool, "--builtin-schema", "vendor.github-workflows", str(workflow)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def _runs(workflow: Path) -> list[str]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [step["run"] for job in data["jobs"].values() for step in job.get("steps", []) if "run" in step]


def _commands(script: str) -> list[list[str]]:
    """The command lines of a run: script (ignoring shell plumbing and redirections)."""
    found = []
    for line in script.splitlines():
        line = line.split(">", 1)[0].strip()
        if not line or line.startswith(("set ", "echo ", "exit", "#")):
            continue
        found.append(shlex.split(line.replace("$BASE_REF", "main")))
    return found


def test_workflows_run_the_commands_readme_and_tests_use() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pr = ROOT / ".github" / "workflows" / "pull-request.yml"
    commands = [c for script in _runs(pr) for c in _commands(script)]
    assert ["bash", "scripts/test.sh"] in commands and "bash scripts/test.sh" in readme
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("exec bash scripts/test.sh")
    assert ["mkdocs", "build", "--strict"] in commands  # as conftest.run_build builds
    assert ["tabiji", "codeowners", "--check"] in commands
    assert ["tabiji", "diff", "origin/main", "HEAD", "--format", "md"] in commands
    text = pr.read_text(encoding="utf-8")
    assert "fetch-depth: 0" in text and "<!-- tabiji-diff -->" in text and "updateComment" in text
    for workflow in WORKFLOWS:
        for script in _runs(workflow):
            for command in _commands(script):
                if command[0] == "tabiji":
                    assert command[1] in main.commands, command  # a real subcommand
                    assert f"tabiji {command[1]}" in readme, f"README does not show 'tabiji {command[1]}'"
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    steps = [s.get("uses", "") for job in deploy["jobs"].values() for s in job["steps"]]
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps)
    assert any(s.startswith("actions/deploy-pages@") for s in steps)


def test_pre_commit_hooks_are_real_commands() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {h["id"] for h in hooks} == {"tabiji-validate", "tabiji-codeowners"}
    runner = CliRunner()
    for hook in hooks:
        program, *args = shlex.split(hook["entry"])
        assert program == "tabiji" and hook["language"] == "system" and hook["pass_filenames"] is False
        assert args[0] in main.commands
        result = runner.invoke(main, args, catch_exceptions=False) if Path.cwd() == ROOT else \
            subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=ROOT, capture_output=True, text=True,
                           env=ENV)
        assert (result.exit_code if hasattr(result, "exit_code") else result.returncode) == 0, hook["entry"]
