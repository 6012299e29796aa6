"""Edit buttons of generated pages (#15): a page made from one YAML file opens that file; a
page with no single source (an index, a list) has none; a site without repo_url/edit_uri has
none. With the plugin (MkDocs sets the file's edit URI) and after ``tabiji generate`` (the
page's front matter carries ``edit_url``, a theme partial shows it), file names quoted."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, built

from tabiji.site.edit_links import EditConfig, edit_url

ZENSICAL = shutil.which("zensical", path=str(Path(sys.executable).parent))
EDIT = re.compile(r'<a href="([^"]*)" title="[^"]*" class="md-content__button md-icon" rel="edit"')
NAME = "導入 #1?.yml"  # a space, a hash, a question mark and Japanese: all must be quoted
QUOTED = "%E5%B0%8E%E5%85%A5%20%231%3F.yml"


def edit_links(out: Path, page: str) -> list[str]:
    return EDIT.findall((out / page / "index.html").read_text(encoding="utf-8"))


def _with_edit_buttons(site: Path, repo: str = "repo_url: https://github.com/x/y\nedit_uri: edit/main/docs/\n") -> None:
    (site / "journeys/maps/onboarding.yml").rename(site / "journeys/maps" / NAME)
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "    - navigation.prune\n" in text
    config.write_text(text.replace("    - navigation.prune\n", "    - navigation.prune\n    - content.action.edit\n")
                      + repo, encoding="utf-8")


def test_the_example_opens_each_pages_yaml_and_list_pages_have_no_button(example_built: Path) -> None:
    out = example_built
    assert edit_links(out, "map/journeys/onboarding") == [
        "https://github.com/example/tabiji/edit/main/journeys/maps/onboarding.yml"]
    assert edit_links(out, "map/roadmaps/hoshiyomi-success") == [
        "https://github.com/example/tabiji/edit/main/journeys/roadmaps/hoshiyomi-success.yml"]
    # the metrics page is the ladder's page: its button opens the catalog file that defines the rungs
    assert edit_links(out, "map/metrics") == ["https://github.com/example/tabiji/edit/main/journeys/catalog/ladder.yml"]
    for page in ("map", "map/journeys", "map/personas", "map/health", "map/start"):
        assert edit_links(out, page) == [], page
    assert edit_links(out, "guide/writing")  # a hand-written page keeps its own button


def test_no_button_when_the_site_has_no_repository(mini: Path) -> None:
    _with_edit_buttons(mini, repo="")
    out = built(mini)
    assert edit_links(out, "map/journeys/onboarding") == []
    assert 'rel="edit"' not in (out / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")


def _generate(site: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tabiji.cli", "generate", "--engine-config", "engine.yml"],
                          cwd=site, capture_output=True, text=True, env=ENV, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (site / ".tabiji-theme" / "partials" / "actions.html").is_file()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_generated_pages_open_their_yaml_without_the_plugin(mini: Path, engine: str) -> None:
    _with_edit_buttons(mini)
    _generate(mini)
    front = (mini / "docs/map/journeys/onboarding.md").read_text(encoding="utf-8").split("---\n")[1]
    assert f'edit_url: "https://github.com/x/y/edit/main/journeys/maps/{QUOTED}"' in front
    if engine == "zensical":
        if ZENSICAL is None:
            pytest.skip("zensical is not installed (it is in the test extras)")
        done = subprocess.run([ZENSICAL, "build", "-f", "engine.yml"], cwd=mini, capture_output=True, text=True,
                              env=ENV, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    else:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "engine.yml"], cwd=mini,
                              capture_output=True, text=True, env=ENV, timeout=600)  # without the plugin
        assert done.returncode == 0, done.stderr
    out = mini / "site"
    assert edit_links(out, "map/journeys/onboarding") == [f"https://github.com/x/y/edit/main/journeys/maps/{QUOTED}"]
    persona = sorted((mini / "journeys/personas").glob("*.yml"))[0]
    assert edit_links(out, f"map/personas/{persona.stem}") == [
        f"https://github.com/x/y/edit/main/journeys/personas/{persona.name}"]
    for page in ("map", "map/journeys"):  # generated, no single source: not its generated .md either
        assert edit_links(out, page) == [], page
    assert edit_links(out, "") == ["https://github.com/x/y/edit/main/docs/index.md"]  # hand-written: as before


def test_edit_urls_are_made_as_mkdocs_makes_them(tmp_path: Path) -> None:
    docs, source = tmp_path / "docs", tmp_path / "journeys" / 'a "b" <c>&.yml'
    url = lambda **kw: edit_url(EditConfig(**kw), source, docs, tmp_path)  # noqa: E731
    assert url(repo_url="https://github.com/x/y") == \
        "https://github.com/x/y/edit/master/journeys/a%20%22b%22%20%3Cc%3E%26.yml"  # the host's default
    assert url(repo_url="https://git.example.com/x/y/", edit_uri="src/main/docs") == \
        "https://git.example.com/x/y/src/main/journeys/a%20%22b%22%20%3Cc%3E%26.yml"
    assert url(edit_uri="https://example.com/edit/docs/") == "https://example.com/edit/journeys/a%20%22b%22%20%3Cc%3E%26.yml"
    assert url(repo_url="https://github.com/x/y", edit_uri_template="blob/main/docs/{path_noext}?plain=1") == \
        "https://github.com/x/y/blob/main/journeys/a%20%22b%22%20%3Cc%3E%26?plain=1"
    assert url(repo_url="https://github.com/x/y", edit_uri="") is None  # edit_uri: '' turns buttons off
    assert url(edit_uri="edit/main/docs/") is None  # no repository to open it in
    assert url(repo_url="https://example.com/x/y") is None  # an unknown host has no default
