"""bench/run.py at a tiny size: the synthetic site is a git repository with history and
Markdown in its cells, it validates, the floor has the Tabiji build's pages and navigation
shape, and the report keeps CPU and wall time apart. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ENV, ROOT, git

sys.path.insert(0, str(ROOT / "bench"))
import sites  # noqa: E402

N = 3


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One real run of the benchmark at N=3 (one round), its folder kept."""
    keep = tmp_path_factory.mktemp("bench")
    out = keep / "results.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", str(N), "--repeat", "1",
                           "--out", str(out), "--keep", str(keep)],
                          capture_output=True, text=True, env=ENV, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {"dir": keep / f"n{N}", "json": json.loads(out.read_text(encoding="utf-8")), "stdout": done.stdout}


def test_site_is_a_git_repository_whose_last_commit_changes_one_journey(bench):
    site = bench["dir"] / "site"
    assert int(git(site, "rev-list", "--count", "HEAD")) > 1
    assert git(site, "diff", "--name-only", "HEAD~1", "HEAD").split() == ["journeys/maps/j00000.yml"]
    renames = git(site, "log", "--diff-filter=R", "--name-status", "--format=")
    assert renames.startswith("R100\tjourneys/maps/")
    assert git(site, "status", "--porcelain") == ""  # the timed builds ran on committed sources


def test_site_validates(bench):
    done = subprocess.run([sys.executable, "-m", "tabiji.cli", "validate", "journeys"], cwd=bench["dir"] / "site",
                          capture_output=True, text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{N} journeys" in done.stdout


def _cells(site: Path) -> list:
    out = []
    for path in sorted((site / "journeys" / "maps").glob("*.yml")):
        for lane in yaml.safe_load(path.read_text(encoding="utf-8"))["lanes"]:
            out.extend(lane["cells"].values())
    return out


def test_cells_hold_markdown_in_japanese_and_english(bench):
    texts = [c for c in _cells(bench["dir"] / "site") if isinstance(c, str)]
    assert any(t.startswith("**") for t in texts)
    assert any("](https://example.com/help/" in t for t in texts)
    assert any("`" in t for t in texts)
    assert any(t.startswith("- ") and "\n- " in t for t in texts)
    assert any(t.isascii() for t in texts) and any(not t.isascii() for t in texts)
    assert any(isinstance(c, dict) and set(c) == {"ja", "en"} for c in _cells(bench["dir"] / "site"))
    html = "".join(p.read_text(encoding="utf-8")
                   for p in (bench["dir"] / "out-tabiji" / "map" / "journeys").glob("j*/index.html"))
    assert "<strong>" in html and "<code>" in html and 'href="https://example.com/help/' in html


def _sitemap(site_dir: Path) -> set[str]:
    root = ET.parse(site_dir / "sitemap.xml").getroot()
    return {urlsplit(el.text).path for el in root.iter() if el.tag.endswith("loc")}


def test_floor_has_the_same_pages_and_navigation_shape(bench):
    folder = bench["dir"]
    tabiji_pages = sorted(p.relative_to(folder / "out-tabiji") for p in (folder / "out-tabiji").rglob("*.html"))
    floor_pages = sorted(p.relative_to(folder / "out-floor") for p in (folder / "out-floor").rglob("*.html"))
    assert len(tabiji_pages) > 3 * N and tabiji_pages == floor_pages
    assert _sitemap(folder / "out-tabiji") == _sitemap(folder / "out-floor")
    # the navigation MkDocs built for each site, written by the bench's hook
    tabiji_nav = sites.read_shape(folder / "nav-tabiji.json")["nav"]
    floor_nav = sites.read_shape(folder / "nav-floor.json")["nav"]
    assert sites.nav_depth(tabiji_nav) >= 3
    assert sites.nav_shape(floor_nav) == sites.nav_shape(tabiji_nav)
    # the floor's pages are small, ordinary Markdown: no raw HTML, no Tabiji
    floor_config = yaml.safe_load((folder / "floor" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert floor_config["plugins"] == ["search"]
    page = (folder / "floor" / "docs" / "map" / "journeys" / "j00000.md").read_text(encoding="utf-8")
    assert "<" not in page and len(page) < 1000
    result = bench["json"]["results"][0]
    assert result["pages"]["tabiji_html"] == result["pages"]["floor_html"] == len(tabiji_pages) - 1  # 404.html
    assert result["pages"]["same_nav_shape"] is True


def test_report_labels_cpu_and_wall_time_apart(bench):
    data = bench["json"]
    clocks = data["meta"]["clocks"]
    assert "CPU" in clocks["cpu_s"] and "wait4" in clocks["cpu_s"]
    assert "wall" in clocks["wall_s"] and "CPU seconds" not in clocks["wall_s"]
    result = data["results"][0]
    assert set(result["builds"]) == {"tabiji", "floor", "plugin_output"}
    for figures in [*result["builds"].values(), *result["commands"].values()]:
        for key in ("cpu_s", "wall_s", "peak_rss_mb"):
            assert set(figures[key]) >= {"median", "min", "max", "runs"}
        assert figures["cpu_s"]["runs"] != figures["wall_s"]["runs"]  # two clocks, not one copied
    for ratio in result["ratios"].values():
        assert set(ratio) == {"cpu", "wall"}
    assert "process_time" in result["plugin_in_process"]["clock"]
    header = next(line for line in bench["stdout"].splitlines() if line.startswith("mkdocs build (subprocess)"))
    assert "CPU s" in header and "wall s" in header
    assert "tabiji diff HEAD~1 HEAD" in result["commands"]
