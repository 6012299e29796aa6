"""A pull request is untrusted input (#11): hostile file names, git metadata, symlinks and
folders named like revisions cannot fake the review, break later builds, or publish what
lies outside the repository; a failed build leaves the previous site whole."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, commit_all, copy_site, git, run_build, tree_digest

ROADMAP = Path("journeys/roadmaps/success.yml")


def tabiji(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=ENV, timeout=300)


def repo(tmp_path: Path) -> Path:
    site = copy_site("mini", tmp_path / "repo")
    git(site, "init", "-q")
    commit_all(site, "first", "2026-01-05")
    git(site, "branch", "base")
    return site


def change_roadmap_owner(site: Path) -> None:
    path = site / ROADMAP
    text = path.read_text(encoding="utf-8")
    assert "\nowner: cs\n" in text
    path.write_text(text.replace("\nowner: cs\n", "\nowner: sales\n", 1), encoding="utf-8")


def traceback_free(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


# ---------------------------------------------------------------- the review cannot be faked


def test_a_folder_named_like_the_base_is_not_taken_for_it(tmp_path: Path) -> None:
    site = repo(tmp_path)
    (site / "base").mkdir()
    change_roadmap_owner(site)
    # the hostile copy: the base "is" the changed head, so a folder-guessing diff says "unchanged"
    import shutil
    shutil.copytree(site / "journeys", site / "base" / "journeys")
    commit_all(site, "owner change, plus a decoy folder")
    result = tabiji(site, "diff", "base", "HEAD", "--source", "journeys")
    traceback_free(result)
    assert result.returncode == 0, result.stderr
    assert "owner" in result.stdout and "Sales" in result.stdout, result.stdout
    # folders are named explicitly, and then compared as folders
    folders = tabiji(site, "diff", "--base-folder", "base/journeys", "--head-folder", "journeys")
    assert folders.returncode == 0 and "unchanged" in folders.stdout, folders.stdout


def test_a_newline_in_a_file_name_is_refused_everywhere(tmp_path: Path) -> None:
    site = repo(tmp_path)
    change_roadmap_owner(site)
    evil = site / "journeys" / "roadmaps" / "x.yml\nonboarding.yml @org-sales"
    evil.write_text((site / ROADMAP).read_text(encoding="utf-8").replace("id: success", "id: decoy"),
                    encoding="utf-8")
    commit_all(site, "hostile name")
    for result in (tabiji(site, "validate"), tabiji(site, "diff", "base", "HEAD", "--format", "md")):
        traceback_free(result)
        assert result.returncode == 1
        assert "x.yml\\x0aonboarding.yml" in result.stderr, result.stderr  # shown escaped, never raw
        assert "U+000A (line feed)" in result.stderr
        assert "x.yml\nonboarding" not in result.stderr + result.stdout
    build = run_build(site)
    traceback_free(build)
    assert build.returncode != 0 and "x.yml\\x0aonboarding.yml" in build.stderr


def test_diff_reads_every_blob_by_id_whatever_the_names(tmp_path: Path) -> None:
    """A name with a newline (deleted again) in the history does not shift later answers:
    the real owner change and its departments are named."""
    site = repo(tmp_path)
    evil = site / "journeys" / "maps" / "a\nb.yml"
    evil.write_text("id: x\n", encoding="utf-8")
    commit_all(site, "hostile")
    evil.unlink()
    change_roadmap_owner(site)
    commit_all(site, "owner")
    result = tabiji(site, "diff", "base", "HEAD", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"owner"' in result.stdout and '"sales"' in result.stdout, result.stdout


@pytest.mark.parametrize("where", ["author", "subject", "file"])
def test_record_separators_in_git_metadata_do_not_break_later_builds(tmp_path: Path, where: str) -> None:
    site = repo(tmp_path)
    persona = site / "journeys" / "personas" / "admin.yml"
    persona.write_text(persona.read_text(encoding="utf-8") + "summary: Busy.\n", encoding="utf-8")
    extra = site / "journeys" / "maps" / "odd\x1ename.yml"
    if where == "file":
        extra.write_text("id: odd\n", encoding="utf-8")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "summary \x1e\x1f" if where == "subject" else "summary",
        author="Ann\x1e\x1fBob" if where == "author" else "t", date="2026-02-02")
    if where == "file":
        extra.unlink()
        commit_all(site, "remove the odd file", "2026-02-03")
    result = run_build(site)
    traceback_free(result)
    assert result.returncode == 0, result.stderr
    history = next((site / "site").rglob("history/index.html")).read_text(encoding="utf-8")
    assert "Busy." in history
    assert "\x1e" not in history and "\x1f" not in history


# ---------------------------------------------------------------- nothing outside is read or published


def test_a_symlinked_source_is_refused_without_reading_it(tmp_path: Path) -> None:
    site = repo(tmp_path)
    secret = tmp_path / "outside.yml"
    secret.write_text("id: leaked\ntitle: TOP-SECRET-TEXT\n", encoding="utf-8")
    (site / "journeys" / "maps" / "link.yml").symlink_to(secret)
    (site / "journeys" / "personas" / "passwd.yml").symlink_to("/etc/passwd")
    result = tabiji(site, "validate")
    traceback_free(result)
    assert result.returncode == 1
    assert "link.yml:1:1: (file): expected a regular file or folder, found a symbolic link" in result.stderr
    assert "passwd.yml:1:1" in result.stderr
    assert "TOP-SECRET" not in result.stderr and "root:" not in result.stderr
    build = run_build(site)
    assert build.returncode != 0 and "link.yml" in build.stderr and "TOP-SECRET" not in build.stderr
    assert not (site / "site").exists()
    commit_all(site, "links")
    diff = tabiji(site, "diff", "base", "HEAD")
    assert diff.returncode == 1 and "link.yml:1:1: (file)" in diff.stderr and "TOP-SECRET" not in diff.stderr


def test_a_symlinked_folder_in_the_sources_is_refused(tmp_path: Path) -> None:
    site = repo(tmp_path)
    outside = tmp_path / "more"
    outside.mkdir()
    (outside / "leak.yml").write_text("id: leak\n", encoding="utf-8")
    (site / "journeys" / "maps" / "more").symlink_to(outside, target_is_directory=True)
    result = tabiji(site, "validate")
    assert result.returncode == 1 and "maps/more:1:1: (file)" in result.stderr, result.stderr
    assert "leak.yml" not in result.stderr


def test_a_symlink_in_docs_is_never_copied_into_the_site(tmp_path: Path) -> None:
    site = repo(tmp_path)
    (site / "docs" / "environ.txt").symlink_to("/proc/self/environ")
    (site / "docs" / "notes.md").symlink_to(tmp_path / "outside.md")
    (tmp_path / "outside.md").write_text("# Outside\n\n[x](persona:nobody)\n", encoding="utf-8")
    for result in (run_build(site), tabiji(site, "validate")):
        traceback_free(result)
        assert result.returncode != 0
        assert "environ.txt:1:1: (file): expected a regular file or folder, found a symbolic link" in result.stderr
        assert "notes.md:1:1" in result.stderr and "nobody" not in result.stderr
    assert not (site / "site").exists()


# ---------------------------------------------------------------- the comment itself


def test_file_names_in_the_comment_are_escaped(tmp_path: Path) -> None:
    site = repo(tmp_path)
    name = "`@org-admins **bold** [x](www.evil.example) #1`.yml"
    (site / ROADMAP).rename(site / "journeys" / "roadmaps" / name)
    change_roadmap_owner_at = site / "journeys" / "roadmaps" / name
    text = change_roadmap_owner_at.read_text(encoding="utf-8")
    change_roadmap_owner_at.write_text(text.replace("\nowner: cs\n", "\nowner: sales\n", 1), encoding="utf-8")
    commit_all(site, "rename")
    result = tabiji(site, "diff", "base", "HEAD", "--format", "md")
    assert result.returncode == 0, result.stderr
    line = next(li for li in result.stdout.splitlines() if "evil" in li)
    assert "<code>" in line and "`" not in line.replace("\\`", "")
    assert "@org" not in line and "@\u200borg" in line  # no mention
    assert "www.evil" not in line and "\\*\\*bold\\*\\*" in line and "\\#1" in line


def test_a_huge_rewrite_makes_a_comment_github_accepts(tmp_path: Path) -> None:
    site = repo(tmp_path)
    journey = site / "journeys" / "maps" / "onboarding.yml"
    phases = "".join(f"  - id: p{i}\n    name: Phase {i} with a fairly long name to fill the comment\n"
                     f"    owners: [cs, sales]\n" for i in range(900))
    text = journey.read_text(encoding="utf-8")
    head, _, rest = text.partition("phases:\n")
    journey.write_text(head + "phases:\n" + phases + rest[rest.index("lanes:"):].replace(
        "signup:", "p0:").replace("invite:", "p1:").replace("configure:", "p2:").replace("setup:", "p3:"),
        encoding="utf-8")
    (site / ROADMAP).unlink()
    commit_all(site, "rewrite")
    full = tabiji(site, "diff", "base", "HEAD", "--format", "md")
    assert full.returncode == 0, full.stderr
    assert len(full.stdout) > 65_536  # the case the cap is for
    capped = tabiji(site, "diff", "base", "HEAD", "--format", "md", "--max-chars", "60000",
                    "--full-diff-at", "https://github.com/o/r/actions/runs/1")
    assert capped.returncode == 0
    assert len(capped.stdout) <= 60_000
    assert capped.stdout.count("```") % 2 == 0
    last = capped.stdout.rstrip().splitlines()[-1]
    assert "more lines" in last and "actions/runs/1" in last


# ---------------------------------------------------------------- a failed build keeps the previous site


def _bad_template(site: Path) -> None:
    (site / "overrides").mkdir()
    (site / "overrides" / "main.html").write_text('{% extends "base.html" %}{% block content %}{{ nope(',
                                                  encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n",
                                                                "  name: material\n  custom_dir: overrides\n"),
                      encoding="utf-8")


def _strict_warning(site: Path) -> None:
    (site / "docs" / "extra.md").write_text("# Extra\n\n[broken](missing-page.md)\n", encoding="utf-8")


def _path_clash(site: Path) -> None:
    (site / "docs" / "map.md").write_text("# Also the map\n", encoding="utf-8")  # site/map/index.html twice


def _bad_source(site: Path) -> None:
    (site / "journeys" / "maps" / "onboarding.yml").write_text("id: [\n", encoding="utf-8")


@pytest.mark.parametrize("breakage", [_bad_template, _strict_warning, _path_clash, _bad_source],
                         ids=["theme-error", "strict-warning", "generated-path-clash", "invalid-source"])
def test_a_failed_build_leaves_the_previous_site_whole(tmp_path: Path, breakage) -> None:
    site = copy_site("mini", tmp_path / "mini")
    first = run_build(site)
    assert first.returncode == 0, first.stderr
    before = tree_digest(site / "site")
    assert any(p.endswith("index.html") for p in before)
    breakage(site)
    failed = run_build(site)
    traceback_free(failed) if breakage is not _bad_template else None
    assert failed.returncode != 0, failed.stderr
    assert tree_digest(site / "site") == before
    assert [p.name for p in site.iterdir() if "staging" in p.name] == []


def test_a_good_build_replaces_the_site_whole(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    (site / "site").mkdir()
    (site / "site" / "stale.html").write_text("old", encoding="utf-8")
    linked = tmp_path / "published"
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert not (site / "site" / "stale.html").exists() and (site / "site" / "index.html").is_file()
    # a site folder that is a symlink (e.g. to a web root) stays one, pointing at the new site
    linked.mkdir()
    (site / "site2").symlink_to(linked, target_is_directory=True)
    again = run_build(site, out="site2")
    assert again.returncode == 0, again.stderr
    assert (site / "site2").is_symlink() and (linked / "index.html").is_file()
    assert os.path.samefile(site / "site2", linked)


def test_codeowners_refuses_a_name_that_would_add_a_rule(tmp_path: Path) -> None:
    site = repo(tmp_path)
    assert tabiji(site, "codeowners").returncode == 0
    owners = site / ".github" / "CODEOWNERS"
    before = owners.read_text(encoding="utf-8")
    evil = site / "journeys" / "maps" / "x.yml\nonboarding.yml @org-sales"
    evil.write_text("id: x\n", encoding="utf-8")
    for args in (("codeowners", "--check"), ("codeowners",)):
        result = tabiji(site, *args)
        traceback_free(result)
        assert result.returncode == 1
        assert "x.yml\\x0aonboarding.yml @org-sales:1:1: (file name)" in result.stderr, result.stderr
    assert owners.read_text(encoding="utf-8") == before
    assert all(line.startswith(("#", "/")) or not line for line in before.splitlines())  # every rule anchored


# ---------------------------------------------------------------- glossary terms that fold differently


@pytest.mark.parametrize("term, text", [("KPI", "KPİ"), ("KPİ", "KPI"), ("st", "ſt"), ("σσ", "σς"),
                                        ("ſt", "ST")])
def test_glossary_terms_that_fold_differently_never_crash(term: str, text: str) -> None:
    from tabiji.core import model as m
    from tabiji.render.glossary import Glossary
    entry = m.GlossaryTerm(id="t", term=term, definition="A definition.")
    glossary = Glossary.of({"t": entry}, "en")
    out = glossary.annotate(f"<p>The {text} and {text}.</p>", set())
    assert out.count('<abbr class="tabiji-term"') <= 1
    assert out.replace('<abbr class="tabiji-term" title="A definition.">', "").replace("</abbr>", "") \
        == f"<p>The {text} and {text}.</p>"


def test_glossary_terms_with_ampersands_and_quotes_are_marked_in_a_build(tmp_path: Path) -> None:
    site = repo(tmp_path)
    catalog = site / "journeys" / "catalog" / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + (
        '  - id: rnd\n    term: R&D\n    definition: Research and development.\n'
        '  - id: qa\n    term: Q&A\n    definition: Questions and answers.\n'
        '  - id: kpi-dotted\n    term: KPİ\n    definition: Dotted.\n'
        '  - id: amp\n    term: amp\n    definition: Never inside an entity.\n'), encoding="utf-8")
    roadmap = site / ROADMAP
    text = roadmap.read_text(encoding="utf-8")
    assert "state: The contract is signed and the kickoff is done." in text
    roadmap.write_text(text.replace("state: The contract is signed and the kickoff is done.",
                                    'state: "R&D and Q&A on the KPI &amp; more are done."'), encoding="utf-8")
    result = run_build(site)
    traceback_free(result)
    assert result.returncode == 0, result.stderr
    html = (site / "site" / "map" / "roadmaps" / "success" / "index.html").read_text(encoding="utf-8")
    assert 'title="Research and development.">R&amp;D</abbr>' in html
    assert 'title="Questions and answers.">Q&amp;A</abbr>' in html
    assert "&<abbr" not in html and 'title="Never inside an entity.">amp' not in html


@pytest.mark.parametrize("url", ["//evil.example", "/\\\\evil.example", "\\\\\\\\evil.example", "/\\t/evil.example",
                                 " //evil.example"])
def test_a_link_that_leaves_the_site_is_not_a_docs_path(tmp_path: Path, url: str) -> None:
    site = copy_site("mini", tmp_path / "mini")
    roadmap = site / ROADMAP
    text = roadmap.read_text(encoding="utf-8")
    assert 'url: "https://example.com/help"' in text
    roadmap.write_text(text.replace('url: "https://example.com/help"', f'url: "{url}"'), encoding="utf-8")
    result = tabiji(site, "validate")
    traceback_free(result)
    assert result.returncode == 1
    assert "success.yml:36:" in result.stderr and "not starting with // or holding a backslash" in result.stderr


@pytest.mark.parametrize("value, expected", [
    ('"a\\x7fb"', "U+007F"), ('"a\\x9fb"', "U+009F"), ('"a\\uFFFEb"', "U+FFFE (noncharacter)"),
    ('"a\\x00b"', "U+0000 (nul)")])
def test_control_characters_in_text_are_refused_with_their_place(tmp_path: Path, value: str, expected: str) -> None:
    site = copy_site("mini", tmp_path / "mini")
    journey = site / "journeys" / "maps" / "onboarding.yml"
    journey.write_text(journey.read_text(encoding="utf-8").replace("title: Onboarding", f"title: {value}"),
                       encoding="utf-8")
    result = tabiji(site, "validate")
    traceback_free(result)
    assert result.returncode == 1
    assert f"onboarding.yml:2:8: title: expected text without control characters or noncharacters" in result.stderr, result.stderr
    assert expected in result.stderr


@pytest.mark.parametrize("new_id, expected", [("index", "an id other than 'index'"),
                                               ("a" * 300, "an id of at most 64 characters")])
def test_ids_that_cannot_be_published_are_refused_before_the_build(tmp_path: Path, new_id: str, expected: str) -> None:
    site = copy_site("mini", tmp_path / "mini")
    first = run_build(site)
    assert first.returncode == 0, first.stderr
    before = tree_digest(site / "site")
    persona = site / "journeys" / "personas" / "admin.yml"
    persona.write_text(persona.read_text(encoding="utf-8").replace("id: admin", f"id: {new_id}", 1), encoding="utf-8")
    result = tabiji(site, "validate")
    traceback_free(result)
    assert result.returncode == 1 and "admin.yml:1:5: id: expected " + expected in result.stderr, result.stderr
    build = run_build(site)
    assert build.returncode != 0 and expected in build.stderr
    assert tree_digest(site / "site") == before
