"""tabiji new journey|persona|roadmap ID: a commented skeleton that validates at once, in the
example, in an English site and in an almost empty one; refusals leave every file as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, copy_site, run_build, tree_digest
from tabiji.source.validate import load_site

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/{}.schema.json\n"


def tabiji(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=site, capture_output=True, text=True,
                          env=ENV, timeout=300)


def validates(site: Path) -> None:
    run = tabiji(site, "validate")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ok:")


@pytest.mark.parametrize("kind, folder", [("journey", "maps"), ("persona", "personas"), ("roadmap", "roadmaps")])
def test_new_in_the_example_validates_at_once(tmp_path: Path, kind: str, folder: str) -> None:
    site = copy_site("example", tmp_path / "example")
    run = tabiji(site, "new", kind, "first-try")
    assert run.returncode == 0, run.stderr
    path = site / "journeys" / folder / "first-try.yml"
    assert run.stdout == f"wrote journeys/{folder}/first-try.yml: replace the texts in brackets, then run " \
                         "'tabiji validate' and 'tabiji check'\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE.format(kind))
    assert (site / "schema" / f"{kind}.schema.json").is_file()  # the $schema line points at a real file
    # the site's departments are named as examples, with their names
    assert "cs (カスタマーサクセス)" in text and "support (カスタマーサポート)" in text
    assert "# このサイトの部署: cs (カスタマーサクセス)" in text  # comments in the site's language too
    if kind != "persona":
        assert "hr-admin (中村 由紀（人事労務の管理者）)" in text
    validates(site)
    made = getattr(load_site(site / "journeys"), {"journey": "journeys", "persona": "personas",
                                                  "roadmap": "roadmaps"}[kind])["first-try"]
    assert "（" in str(made.model_dump()), "example texts are marked as placeholders in the site's language"


def test_every_kind_in_a_row_and_the_roadmap_maps_the_journeys(tmp_path: Path) -> None:
    site = copy_site("example", tmp_path / "example")
    for kind in ("persona", "journey", "roadmap"):
        assert tabiji(site, "new", kind, f"new-{kind}").returncode == 0
    validates(site)
    loaded = load_site(site / "journeys")
    stages = loaded.roadmaps["new-roadmap"].stages
    assert [s.phases for s in stages] == [["acquisition/awareness"], ["acquisition/consideration"]]
    assert stages[0].checkpoints[0].metric in loaded.kpis


def test_new_journey_in_an_english_site_builds(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    assert tabiji(site, "new", "journey", "first-week").returncode == 0
    text = (site / "journeys/maps/first-week.yml").read_text(encoding="utf-8")
    assert "title: (Name of the journey)" in text and "personas: [admin]" in text and "owner: cs" in text
    assert "# the site's departments: cs (Customer Success), sales (Sales)" in text
    validates(site)
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    page = (site / "site/map/journeys/first-week/index.html").read_text(encoding="utf-8")
    assert "(Name of the journey)" in page and "(Pain point)" in page


def _almost_empty(tmp_path: Path, departments: bool) -> Path:
    site = tmp_path / "empty"
    (site / "journeys/catalog").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n  language: ja\nplugins:\n"
                                     "  - tabiji\n", encoding="utf-8")
    if departments:
        (site / "journeys/catalog/departments.yml").write_text(
            "departments:\n  - id: cs\n    name: カスタマーサクセス\n", encoding="utf-8")
    return site


def test_new_in_an_almost_empty_site(tmp_path: Path) -> None:
    site = _almost_empty(tmp_path, departments=True)
    refused = tabiji(site, "new", "journey", "first")
    assert refused.returncode == 1
    assert refused.stderr == ("error: a journey is drawn for personas, and the site has none yet: start with "
                              "'tabiji new persona ID'\n")
    assert not (site / "journeys/maps").exists()
    for kind in ("persona", "journey", "roadmap"):
        run = tabiji(site, "new", kind, "first")
        assert run.returncode == 0, run.stderr
        validates(site)
    loaded = load_site(site / "journeys")
    assert loaded.journeys["first"].personas == ["first"] and loaded.roadmaps["first"].owner == "cs"
    # no KPI in the site: no checkpoint, and the kpis lane is left out
    assert loaded.roadmaps["first"].stages[0].checkpoints == []
    assert "kpis" not in [lane.kind for lane in loaded.journeys["first"].lanes]


def test_without_departments_a_persona_is_still_possible(tmp_path: Path) -> None:
    site = _almost_empty(tmp_path, departments=False)
    run = tabiji(site, "new", "persona", "first")
    assert run.returncode == 0, run.stderr
    assert "owner:" not in (site / "journeys/personas/first.yml").read_text(encoding="utf-8")
    validates(site)
    refused = tabiji(site, "new", "roadmap", "plan")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: a roadmap names its owner department, and the site has none yet")


@pytest.mark.parametrize("id_, message", [
    ("Bad Id", "error: 'Bad Id' is not an id: use lowercase letters a-z, digits, '-' or '_' (e.g. 'first-week'); "
               "ids name files and pages"),
    ("../evil", "error: '../evil' is not an id: use lowercase letters"),
    ("初回", "error: '初回' is not an id: use lowercase letters"),
    ("x\u202ey", "error: 'x\\u202ey' is not an id: use lowercase letters"),
    ("a" * 65, "error: the id is 65 characters long; at most 64 (ids name files)"),
    ("index", "error: 'index' cannot be the id of a journey: the list of journeys is published there"),
    ("onboarding", "error: journeys/maps/onboarding.yml exists; choose another id or edit that file"),
    ("renewal", "error: a journey 'renewal' is already defined in journeys/maps/other-name.yml; choose another id"),
    ("draft", "error: journeys/maps/draft.yaml exists; choose another id or edit that file"),
])
def test_refusals_write_nothing(tmp_path: Path, id_: str, message: str) -> None:
    site = copy_site("mini", tmp_path / "mini")
    text = (site / "journeys/maps/onboarding.yml").read_text(encoding="utf-8")
    (site / "journeys/maps/other-name.yml").write_text(text.replace("id: onboarding", "id: renewal", 1),
                                                       encoding="utf-8")
    (site / "journeys/maps/draft.yaml").write_text(text.replace("id: onboarding", "id: draft", 1), encoding="utf-8")
    before = tree_digest(site)
    run = tabiji(site, "new", "journey", id_)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(message), run.stderr
    assert tree_digest(site) == before


def test_hostile_names_stay_inside_their_comment(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    catalog = site / "journeys/catalog/catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(
        "    name: Sales\n", '    name: "Sales\\nowner: injected\\u2028owner: again # x"\n', 1), encoding="utf-8")
    validates(site)
    assert tabiji(site, "new", "roadmap", "plan").returncode == 0
    text = (site / "journeys/roadmaps/plan.yml").read_text(encoding="utf-8")
    assert "sales (Sales owner: injected owner: …)" in text  # one line, cut at 30 characters
    assert not any(line.startswith("owner: injected") for line in text.splitlines())
    assert "\u2028" not in text  # YAML reads U+2028 as a line break
    validates(site)


def test_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    run = tabiji(site, "new", "jouney", "x")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert not (site / "journeys/maps/x.yml").exists()
