"""Page templates a site overrides (issue 15, part 1): the override folder named by the theme's
custom_dir, its change on every page of that type and nowhere else, located template errors
without a traceback or a half-built site, and escaping on in an override."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT, copy_site, built, run_build, tree_digest

PACKAGE = ROOT / "plugins" / "tabiji" / "templates"
NOTE = '<p class="site-note">社内資料: {{ persona.id }} / {{ persona.role }}</p>'


def _with_override(site: Path, name: str, text: str) -> Path:
    """The site with theme.custom_dir 'overrides' and overrides/tabiji/<name> = text."""
    config = site / "mkdocs.yml"
    source = config.read_text(encoding="utf-8")
    assert "theme:\n  name: material\n" in source
    config.write_text(source.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"),
                      encoding="utf-8")
    folder = site / "overrides" / "tabiji"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def _persona_with_note() -> str:
    """The package's persona template with one line added after the card."""
    text = (PACKAGE / "persona.md.j2").read_text(encoding="utf-8")
    anchor = '{{ h.review("personas", persona.id) }}\n'
    assert anchor in text
    return text.replace(anchor, f"{NOTE}\n\n{anchor}")


def test_an_override_changes_every_page_of_its_type_and_nothing_else(tmp_path: Path, example_built: Path) -> None:
    site = copy_site("example", tmp_path / "site")
    _with_override(site, "persona.md.j2", _persona_with_note())
    out = built(site)
    personas = sorted(p.stem for p in (site / "journeys" / "personas").glob("*.yml"))
    assert len(personas) >= 2
    for pid in personas:
        html = (out / "map" / "personas" / pid / "index.html").read_text(encoding="utf-8")
        assert f'<p class="site-note">社内資料: {pid} / ' in html, pid
    pages = lambda folder: {k: v for k, v in tree_digest(folder, (".html",)).items()  # noqa: E731
                            if not k.startswith("map/personas/")}
    changed = sorted(k for k, v in pages(out).items() if pages(example_built).get(k) != v)
    assert changed == [] and pages(out).keys() == pages(example_built).keys()
    assert not any("<p class=\"site-note\">" in p.read_text(encoding="utf-8") for p in out.rglob("*.html")
                   if "map/personas/" not in p.relative_to(out).as_posix())


def test_tabiji_generate_reads_the_same_override(tmp_path: Path) -> None:
    site = copy_site("example", tmp_path / "site")
    _with_override(site, "persona.md.j2", _persona_with_note())
    done = subprocess.run([sys.executable, "-m", "tabiji.cli", "generate", "-f", "mkdocs.yml"], cwd=site,
                          capture_output=True, text=True, env=ENV, timeout=600)
    assert done.returncode == 0, done.stderr
    pages = [p for p in (site / "docs" / "map" / "personas").glob("*.md") if p.name != "index.md"]
    assert len(pages) >= 2 and all('<p class="site-note">社内資料: ' in p.read_text(encoding="utf-8") for p in pages)
    others = [p for p in (site / "docs" / "map").rglob("*.md") if p not in pages]
    assert others and not any("site-note" in p.read_text(encoding="utf-8") for p in others)


@pytest.mark.parametrize("line", [
    "<p>{{ persona.role ) }}</p>\n",    # a syntax error: found when the templates compile
    "{{ persona.no_such_field }}\n",    # a misspelt variable: found when the page renders
])
def test_a_broken_override_fails_located_and_keeps_the_previous_site(tmp_path: Path, line: str) -> None:
    site = copy_site("example", tmp_path / "site")
    out = built(site)
    before = tree_digest(out)
    text = (PACKAGE / "persona.md.j2").read_text(encoding="utf-8").splitlines(keepends=True)
    where = next(n for n, t in enumerate(text, 1) if t.startswith("{% import")) + 1  # after the header
    lines = text[:where - 1] + [line] + text[where - 1:]
    path = _with_override(site, "persona.md.j2", "".join(lines))
    result = run_build(site)
    assert result.returncode != 0
    assert f"{path}:{where}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert tree_digest(out) == before  # no half-built site: the previous one is kept whole


def test_writers_text_stays_escaped_in_an_override(tmp_path: Path) -> None:
    site = copy_site("example", tmp_path / "site")
    persona = site / "journeys" / "personas" / "executive.yml"
    source = persona.read_text(encoding="utf-8")
    hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"
    assert "\nrole: 取締役 管理本部長\n" in source
    persona.write_text(source.replace("\nrole: 取締役 管理本部長\n", f"\nrole: '{hostile}'\n"), encoding="utf-8")
    _with_override(site, "persona.md.j2", _persona_with_note())
    out = built(site)
    html = (out / "map" / "personas" / "executive" / "index.html").read_text(encoding="utf-8")
    assert ('<p class="site-note">社内資料: executive / &lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;'
            '&lt;img src=x onerror=alert(2)&gt;</p>') in html
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text and "<img src=x" not in text, page


LOGO = '<p class="site-logo">社内</p>'


@pytest.mark.parametrize("name, folder, other", [
    ("swimlane.html.j2", "journeys", "roadmaps"),
    ("roadmap_swimlane.html.j2", "roadmaps", "journeys"),
])
def test_a_diagram_template_override_changes_that_diagram_on_every_page(tmp_path: Path, name: str, folder: str,
                                                                      other: str) -> None:
    """The swimlanes are templates too: a line after the map's buttons shows in every diagram of
    that kind (inside its wrapper), and in no other."""
    site = copy_site("example", tmp_path / "site")
    text = (PACKAGE / name).read_text(encoding="utf-8")
    anchor = "{{ d.map_tools(t) }}\n"
    assert text.count(anchor) == 1
    _with_override(site, name, text.replace(anchor, anchor + LOGO + "\n"))
    out = built(site)
    pages = sorted((out / "map" / folder).glob("*/index.html"))
    assert len(pages) >= 1
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count(LOGO) == 1, page
        assert html.index('class="tabiji-swimlane-wrap') < html.index(LOGO) < html.index('<table class="tabiji-swimlane'), page
    assert not any(LOGO in p.read_text(encoding="utf-8") for p in (out / "map" / other).rglob("*.html"))


def test_serve_redraws_a_kept_swimlane_when_its_template_changes(tmp_path: Path) -> None:
    """mkdocs serve keeps drawings across rebuilds (RenderCache): an edited diagram template
    must redraw them, and the journey page must show the edit."""
    from tabiji.core.paths import Paths
    from tabiji.index import build_index
    from tabiji.render.render_cache import RenderCache
    from tabiji.site.pages import build_pages
    from tabiji.source.validate import load_site

    site = load_site(ROOT / "tests" / "fixtures" / "mini" / "journeys")
    folder = tmp_path / "tabiji"
    folder.mkdir()
    cache = RenderCache()

    def journey_page() -> str:
        out = build_pages(site, build_index(site), "en", Paths("map"), cache=cache, templates=folder)
        return next(p.markdown for p in out.pages if p.doc == "map/journeys/onboarding.md")

    assert LOGO not in journey_page() and LOGO not in journey_page()  # the second one from the cache
    text = (PACKAGE / "swimlane.html.j2").read_text(encoding="utf-8")
    (folder / "swimlane.html.j2").write_text(text.replace("{{ d.map_tools(t) }}\n", "{{ d.map_tools(t) }}\n" + LOGO + "\n"),
                                             encoding="utf-8")
    assert LOGO in journey_page()


SVG_INK = "#000080"
SVG_MARK = '<text class="site-mark" x="0" y="10">社内</text>'


def test_the_standalone_svgs_take_the_sites_theme_and_template(tmp_path: Path) -> None:
    """The downloadable SVGs are templates too: a site's svg_theme.j2 recolours both kinds of
    drawing, its journey.svg.j2 adds a line to the journeys' and not the roadmaps', and the
    SVGs stay well-formed XML."""
    import xml.etree.ElementTree as ET

    site = copy_site("example", tmp_path / "site")
    theme = (PACKAGE / "svg_theme.j2").read_text(encoding="utf-8")
    old_ink = '"#1f2933"'
    assert theme.count(old_ink) == 1
    _with_override(site, "svg_theme.j2", theme.replace(old_ink, f'"{SVG_INK}"'))
    journey = (PACKAGE / "journey.svg.j2").read_text(encoding="utf-8")
    anchor = "<desc>{{ desc }}</desc>\n"
    assert journey.count(anchor) == 1
    _with_override(site, "journey.svg.j2", journey.replace(anchor, anchor + SVG_MARK + "\n"))
    out = built(site)
    journeys = sorted((out / "map" / "journeys").glob("*.svg"))
    roadmaps = sorted((out / "map" / "roadmaps").glob("*.svg"))
    assert journeys and roadmaps
    for svg in journeys + roadmaps:
        text = svg.read_text(encoding="utf-8")
        ET.fromstring(text.encode())
        assert f'fill="{SVG_INK}"' in text and "#1f2933" not in text, svg
        assert (SVG_MARK in text) == (svg in journeys), svg


CELLS_NOTE = '<p class="site-cells">社内: {{ journeys|length }}</p>'


def test_a_piece_template_override_changes_that_piece_on_every_page_of_its_type(tmp_path: Path,
                                                                              example_built: Path) -> None:
    """The pieces pages place are templates too (issue 15): a site's lists.j2 whose department
    cells macro starts with a line shows it on every department page, and changes no other page."""
    site = copy_site("example", tmp_path / "site")
    text = (PACKAGE / "lists.j2").read_text(encoding="utf-8")
    anchor = "{% macro department_cells(head, journeys, empty) %}\n"
    assert text.count(anchor) == 1
    _with_override(site, "lists.j2", text.replace(anchor, anchor + CELLS_NOTE))
    out = built(site)
    pages = sorted(p for p in (out / "map" / "departments").glob("*/index.html"))
    assert len(pages) >= 2
    for page in pages:
        assert re.search(r'<p class="site-cells">社内: \d+</p>', page.read_text(encoding="utf-8")), page
    html_pages = lambda folder: tree_digest(folder, (".html",))  # noqa: E731
    changed = sorted(k for k, v in html_pages(out).items() if html_pages(example_built).get(k) != v)
    assert changed == sorted(p.relative_to(out).as_posix() for p in pages)
