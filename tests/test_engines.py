"""One map, three engines (#15): MkDocs with the plugin, ProperDocs with the plugin, and
Zensical after ``tabiji generate`` (Zensical runs no third-party plugin). The same map
pages, each journey with its diagram, cross-links resolving, hand-written references
resolved, and a failed generate leaving the previous folder whole."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import ENV, broken_links, commit_all, copy_site, git, tree_digest
from test_browser import ARTIFACTS, _served, browser  # noqa: F401  (fixture)

ZENSICAL = shutil.which("zensical", path=str(Path(sys.executable).parent))
TODAY = {"TABIJI_TODAY": "2026-12-01"}


def tabiji(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**ENV, **TODAY}, timeout=300)


def map_pages(site_dir: Path) -> set[str]:
    return {p.relative_to(site_dir).as_posix() for p in (site_dir / "map").rglob("index.html")}


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    site = copy_site("example", tmp_path_factory.mktemp("engines") / "example")
    git(site, "init", "-q")
    commit_all(site, "the example", "2026-11-01")
    env = {**ENV, **TODAY}
    out = {}
    for tool in ("mkdocs", "properdocs"):
        result = subprocess.run([sys.executable, "-m", tool, "build", "--strict", "-d", f"site-{tool}"], cwd=site,
                                capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stderr, result.stderr
        out[tool] = site / f"site-{tool}"
    generated = tabiji(site, "generate", "--engine-config", "zensical.yml")
    assert generated.returncode == 0, generated.stderr
    if ZENSICAL is None:
        pytest.skip("zensical is not installed (it is in the test extras)")
    result = subprocess.run([ZENSICAL, "build", "-f", "zensical.yml"], cwd=site, capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.move(site / "site", site / "site-zensical")
    out["zensical"] = site / "site-zensical"
    out["root"] = site
    return out


def test_the_three_engines_publish_the_same_map_pages(three: dict[str, Path]) -> None:
    pages = {tool: map_pages(three[tool]) for tool in ("mkdocs", "properdocs", "zensical")}
    assert len(pages["mkdocs"]) > 50
    assert pages["properdocs"] == pages["mkdocs"]
    assert pages["zensical"] == pages["mkdocs"], pages["mkdocs"] ^ pages["zensical"]


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs", "zensical"])
def test_each_journey_has_its_diagram_and_links_resolve(three: dict[str, Path], tool: str) -> None:
    out = three[tool]
    journeys = sorted((three["root"] / "journeys" / "maps").glob("*.yml"))
    assert journeys
    for source in journeys:
        jid = source.stem
        html = (out / "map" / "journeys" / jid / "index.html").read_text(encoding="utf-8")
        assert 'class="tabiji-swimlane' in html, (tool, jid)
        assert (out / "map" / "journeys" / f"{jid}.svg").is_file()
    broken = [b for b in broken_links(out) if b.startswith("map/") or b.startswith("index.html")]
    assert broken == []


def test_hand_written_references_resolve_under_zensical(three: dict[str, Path]) -> None:
    home = (three["zensical"] / "index.html").read_text(encoding="utf-8")
    assert 'href="map/personas/hr-admin/"' in home
    assert "persona:" not in home.replace("persona:id", "")
    assert (three["zensical"] / "map" / "tabiji.css").is_file()
    journey = (three["zensical"] / "map" / "journeys" / "onboarding" / "index.html").read_text(encoding="utf-8")
    scripts = [urljoin("map/journeys/onboarding/", src) for src in re.findall(r'<script src="([^"]+)"', journey)]
    assert "map/tabiji.js" in scripts, scripts  # the map view buttons work on Zensical's pages too
    assert (three["zensical"] / "map" / "tabiji.js").is_file()
    mk = (three["mkdocs"] / "index.html").read_text(encoding="utf-8")
    assert 'href="map/personas/hr-admin/"' in mk  # the same link the plugin writes


def test_generate_is_deterministic_and_ignored_by_git(three: dict[str, Path], tmp_path: Path) -> None:
    root = three["root"]
    folder = root / "docs" / "map"
    first = tree_digest(folder)
    again = tabiji(root, "generate")
    assert again.returncode == 0, again.stderr
    assert tree_digest(folder) == first
    status = subprocess.run(["git", "status", "--porcelain", "--", "docs/map"], cwd=root, capture_output=True,
                            text=True).stdout
    assert status == ""


def test_generate_never_overwrites_a_folder_it_did_not_write(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    (site / "docs" / "map").mkdir()
    (site / "docs" / "map" / "mine.md").write_text("# Mine\n", encoding="utf-8")
    result = tabiji(site, "generate")
    assert result.returncode == 1
    assert "map:1:1: (output folder): expected a folder that 'tabiji generate' wrote" in result.stderr
    assert (site / "docs" / "map" / "mine.md").read_text(encoding="utf-8") == "# Mine\n"


def test_a_failed_generate_leaves_the_previous_map(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    assert tabiji(site, "generate").returncode == 0
    before = tree_digest(site / "docs" / "map")
    (site / "journeys" / "maps" / "onboarding.yml").write_text("id: [\n", encoding="utf-8")
    result = tabiji(site, "generate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "onboarding.yml:" in result.stderr
    assert tree_digest(site / "docs" / "map") == before


def test_generate_locates_unknown_references_in_hand_written_pages(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    (site / "docs" / "extra.md").write_text("# X\n\nSee [](persona:admn).\n", encoding="utf-8")
    result = tabiji(site, "generate")
    assert result.returncode == 1
    assert "extra.md:3:5: link to persona:admn: expected the id of a persona, found unknown persona 'admn'" \
        in result.stderr
    assert "admin" in result.stderr
    assert not (site / "docs" / "map").exists()


@pytest.mark.browser
def test_the_map_view_buttons_work_on_zensical_pages(three: dict[str, Path], browser) -> None:  # noqa: F811
    """A Zensical site has no plugin to add the script: generate's folder and engine config do,
    so fit-to-width works there as on the plugin's site."""
    with _served(three["zensical"]) as base:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(base + "map/journeys/onboarding/")
        fit = page.locator('[data-tabiji-tool="fit"]').first
        fit.wait_for(state="visible", timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "zensical-journey-1440.png"))
        fit.click()
        page.wait_for_function("""() => { const s = document.querySelector('.tabiji-scroll');
            return s.scrollWidth <= s.clientWidth + 1; }""", timeout=60_000)
        assert fit.get_attribute("aria-pressed") == "true"
        page.close()
