"""The GitHub workflows a security reviewer signs off: zizmor (offline) finds nothing, and our
own checks: no ${{ }} inside a run: script, every action pinned by commit SHA with its tag as
a comment, a timeout on every job, write access to pull requests only in a job that runs no
PR code, and no persisted checkout token."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^\s*-?\s*uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$")


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def problems(text: str) -> list[str]:
    """Everything our own rules find wrong in one workflow file's text."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"^\s*-?\s*uses:", line) and not PINNED.match(line):
            found.append(f"line {number}: action not pinned by 40-hex SHA with '# vX' comment")
    data = yaml.safe_load(text)
    for name, job in data["jobs"].items():
        steps = job.get("steps", [])
        if "timeout-minutes" not in job:
            found.append(f"job {name}: no timeout-minutes")
        for step in steps:
            if "${{" in str(step.get("run", "")):
                found.append(f"job {name}: ${{{{ }}}} inside a run: script")
            if str(step.get("uses", "")).startswith("actions/checkout@") and \
                    (step.get("with") or {}).get("persist-credentials") is not False:
                found.append(f"job {name}: checkout without persist-credentials: false")
        writes = (job.get("permissions") or {}).get("pull-requests") == "write"
        checks_out = any(str(s.get("uses", "")).startswith("actions/checkout@") for s in steps)
        runs_code = any("run" in s for s in steps)
        if writes and (checks_out or runs_code):
            found.append(f"job {name}: pull-requests: write next to checked-out PR code")
    top = data.get("permissions")
    if top not in ({}, {"contents": "read"}):
        found.append(f"top-level permissions {top!r}: grant per job")
    return found


@pytest.mark.parametrize("workflow", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_our_rules_hold(workflow: Path) -> None:
    assert problems(workflow.read_text(encoding="utf-8")) == []


GOOD_STEP = "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n" \
            "        with:\n          persist-credentials: false\n"


@pytest.mark.parametrize("body, expected", [
    ("    timeout-minutes: 5\n    steps:\n      - run: echo \"${{ github.base_ref }}\"\n", "inside a run"),
    ("    timeout-minutes: 5\n    steps:\n      - uses: actions/checkout@v4\n", "not pinned"),
    ("    steps:\n" + GOOD_STEP, "no timeout-minutes"),
    ("    timeout-minutes: 5\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"
     " # v4.2.2\n", "persist-credentials"),
    ("    timeout-minutes: 5\n    permissions:\n      pull-requests: write\n    steps:\n" + GOOD_STEP,
     "pull-requests: write"),
])
def test_our_rules_catch_a_bad_workflow(body: str, expected: str) -> None:
    text = "on: push\npermissions: {}\njobs:\n  bad:\n    runs-on: ubuntu-latest\n" + body
    assert any(expected in p for p in problems(text)), problems(text)


def test_pull_request_jobs_are_split() -> None:
    data = yaml.safe_load((WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8"))
    writers = [n for n, j in data["jobs"].items() if (j.get("permissions") or {}).get("pull-requests") == "write"]
    assert writers == ["post"]
    post = data["jobs"]["post"]
    assert "head.repo.full_name == github.repository" in post["if"]  # forks: summary only
    assert [s["uses"].split("@")[0] for s in post["steps"]] == ["actions/download-artifact", "actions/github-script"]
    describe = data["jobs"]["describe"]
    assert describe["permissions"] == {"contents": "read"}
    script = next(s["run"] for s in describe["steps"] if s.get("id") == "diff")
    assert 'tabiji diff "origin/$BASE_REF" HEAD --format md' in script and "GITHUB_STEP_SUMMARY" in script
    deploy = yaml.safe_load((WORKFLOWS / "deploy.yml").read_text(encoding="utf-8"))
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["jobs"]["build"]["permissions"] == {"contents": "read"}
    newest = yaml.safe_load((WORKFLOWS / "newest.yml").read_text(encoding="utf-8"))
    assert "TABIJI_NEWEST=1 bash scripts/test.sh" in newest["jobs"]["newest"]["steps"][-1]["run"]


def test_zizmor_finds_nothing() -> None:
    run = subprocess.run([_tool("zizmor"), "--offline", "--format", "json", str(WORKFLOWS)],
                         capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    findings = json.loads(run.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=1)[:20000]


def test_zizmor_reports_an_injection(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/checkout@v4\n      - run: echo \"${{ github.head_ref }}\"\n", encoding="utf-8")
    run = subprocess.run([_tool("zizmor"), "--offline", "--format", "json", str(bad)],
                         capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    assert {f["ident"] for f in json.loads(run.stdout)} >= {"template-injection", "unpinned-uses"}
