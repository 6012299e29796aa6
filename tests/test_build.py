"""Real MkDocs + Material builds of fixture sites, checked in the HTML that comes out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import broken_links, built, copy_site, parse_links, run_build, text_of, tree_digest


def page(site_dir: Path, url: str) -> str:
    return (site_dir / url / "index.html").read_text(encoding="utf-8")


def problem_lines(result) -> list[str]:
    """The located problem lines of a failed build (which must not show a traceback)."""
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    return re.findall(r"^\S+:\d+:\d+: .*$", result.stderr, re.M)


def hrefs(html: str) -> list[str]:
    return parse_links(html)[0]


def test_every_page_is_generated_and_linked(mini: Path) -> None:
    site = built(mini)
    for url in ("map", "map/journeys", "map/journeys/onboarding", "map/personas", "map/personas/admin",
                "map/departments", "map/departments/cs", "map/departments/sales", "map/kpis",
                "map/kpis/activation", "map/touchpoints", "map/touchpoints/welcome-mail", "map/segments"):
        assert (site / url / "index.html").is_file(), url
    assert broken_links(site) == []


def test_journey_page_links_everything_it_mentions(mini: Path) -> None:
    html = page(built(mini), "map/journeys/onboarding")
    links = hrefs(html)
    for target in ("../../personas/admin/", "../../departments/cs/", "../../departments/sales/",
                   "../../kpis/activation/", "../../touchpoints/welcome-mail/"):
        assert target in links, target
    assert 'class="tabiji-swimlane' in html
    assert "Signs the contract" in html and "Sets up SSO" in html
    assert "../onboarding.svg" in links
    assert "<title>Onboarding - Mini map</title>" in html
    assert '<meta name="description" content="The customer finishes setup and uses the product weekly.">' in html


def test_back_links(mini: Path) -> None:
    site = built(mini)
    persona = page(site, "map/personas/admin")
    assert "../../journeys/onboarding/" in hrefs(persona)
    assert "../../kpis/activation/" in hrefs(persona)
    dept = text_of(page(site, "map/departments/cs"))
    cs_links = hrefs(page(site, "map/departments/cs"))
    assert "../../journeys/onboarding/#phase-setup" in cs_links  # owns the Setup phase and its cells
    assert "../../touchpoints/welcome-mail/" in cs_links and "../../kpis/activation/" in cs_links
    assert "Journeys owned" in dept and "Phases owned" in dept
    sales = hrefs(page(site, "map/departments/sales"))
    assert "../../journeys/onboarding/#phase-signup" in sales
    assert "../../journeys/onboarding/#phase-setup" not in sales
    kpi = hrefs(page(site, "map/kpis/activation"))
    assert "../../journeys/onboarding/#phase-setup" in kpi and "../../personas/admin/" in kpi
    touchpoint = hrefs(page(site, "map/touchpoints/welcome-mail"))
    assert "../../journeys/onboarding/#phase-signup" in touchpoint
    assert "../#channel-email" in touchpoint


def test_hand_written_page_links_and_embeds_by_id(mini: Path) -> None:
    site = built(mini)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "map/journeys/onboarding/" in hrefs(home)
    assert "map/personas/admin/" in hrefs(home)
    assert ">Alex, the IT admin</a>" in home  # empty link text takes the persona's name
    assert 'class="tabiji-swimlane' in home  # ![](journey:onboarding) embeds the swimlane
    assert "journey:nothing-here" in home  # inside a code block: left alone
    journey = page(site, "map/journeys/onboarding")
    assert "../../../" in hrefs(journey)  # "mentioned in" links back to the hand-written page


def test_svg_is_standalone_and_well_formed(mini: Path) -> None:
    svg = (built(mini) / "map/journeys/onboarding.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}tspan")) + \
        " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Signs the contract" in text


def test_labels_follow_theme_language(mini: Path) -> None:
    english = text_of(page(built(mini), "map/journeys/onboarding"))
    assert "Customer actions" in english and "Thoughts and emotions" in english
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: ja"), encoding="utf-8")
    html = page(built(mini), "map/journeys/onboarding")
    japanese = text_of(html)
    assert '<html lang="ja"' in html
    assert "行動" in japanese and "思考・感情" in japanese and "フェーズ" in japanese
    assert "Customer actions" not in japanese
    # bilingual catalog names follow the language too
    assert "カスタマーサクセス" in japanese and "Customer Success" not in japanese


def test_two_builds_are_byte_identical(mini: Path) -> None:
    first = tree_digest(built(mini), (".html", ".svg", ".css"))
    (mini / "site").rename(mini / "site1")
    second = tree_digest(built(mini), (".html", ".svg", ".css"))
    assert first == second and len(first) > 10


def test_build_never_modifies_sources(mini: Path) -> None:
    before = tree_digest(mini / "journeys") | tree_digest(mini / "docs")
    built(mini)
    assert tree_digest(mini / "journeys") | tree_digest(mini / "docs") == before


def test_invalid_sources_fail_the_build_with_located_messages(mini: Path) -> None:
    site = built(mini)
    before = tree_digest(site)
    journey = mini / "journeys/maps/onboarding.yml"
    journey.write_text(journey.read_text(encoding="utf-8").replace("personas: [admin]", "personas: [admn]")
                       .replace("goal: The customer", "gaol: The customer"), encoding="utf-8")
    # Exactly the two mistakes, each once: nothing about the docs that link to this journey.
    assert problem_lines(run_build(mini)) == [
        "journeys/maps/onboarding.yml:3:12: personas[0]: expected the id of a persona, found unknown persona "
        "'admn'; did you mean 'admin'?",
        "journeys/maps/onboarding.yml:4:1: gaol: expected a known field, found unknown field 'gaol'; "
        "did you mean 'goal'?"]
    assert tree_digest(site) == before, "a failed build must leave the previous site untouched"


def test_broken_source_does_not_flood_the_docs_link_checks(mini: Path) -> None:
    journey = mini / "journeys/maps/onboarding.yml"
    journey.write_text(journey.read_text(encoding="utf-8").replace("title: Onboarding", "title: [x"),
                       encoding="utf-8")
    problems = problem_lines(run_build(mini))
    assert len(problems) == 1 and problems[0].startswith("journeys/maps/onboarding.yml:"), problems


def test_unknown_id_in_hand_written_page(mini: Path) -> None:
    index = mini / "docs/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("(persona:admin)", "(persona:amdin)"),
                     encoding="utf-8")
    assert problem_lines(run_build(mini)) == [
        "docs/index.md:3:61: link to persona:amdin: expected the id of a persona, found unknown persona "
        "'amdin'; did you mean 'admin'?"]


def test_navigation_groups_many_journeys(tmp_path: Path) -> None:
    """45 journeys in groups of at most 20: a page's sidebar lists its group, not all 45."""
    site = copy_site("mini", tmp_path / "many")
    source = (site / "journeys/maps/onboarding.yml").read_text(encoding="utf-8")
    for i in range(44):
        (site / f"journeys/maps/j{i:02d}.yml").write_text(
            source.replace("id: onboarding", f"id: j{i:02d}").replace("title: Onboarding", f"title: Journey {i:02d}"),
            encoding="utf-8")
    out = built(site)
    html = page(out, "map/journeys/j05")
    nav = html[html.index('md-nav--primary'):html.index("</nav>", html.index('md-nav--primary'))]
    listed = re.findall(r'href="\.\./j\d\d/"', nav)
    assert 0 < len(listed) <= 20, len(listed)
    # the customer's order: Onboarding, which the roadmap maps, first; the others by title
    assert "Onboarding – Journey 18" in text_of(nav)
    assert len(list((out / "map/journeys").glob("j*/index.html"))) == 44
    assert broken_links(out) == []


def test_generated_path_clash_is_an_error_that_keeps_the_previous_site(mini: Path) -> None:
    before = tree_digest(built(mini))
    (mini / "docs/map").mkdir()
    (mini / "docs/map/segments.md").write_text("# Mine\n", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "Tabiji generates 'map/segments.md', but docs/ already has a file there" in result.stderr
    assert tree_digest(mini / "site") == before, "a failed build must leave the previous site untouched"


def test_example_builds_byte_identical_and_leaves_its_sources_alone(example_built: Path, tmp_path: Path) -> None:
    """The whole output (pages, diagrams, search index, sitemap, assets) of a second build
    equals the first, and the build wrote nothing into journeys/ or docs/."""
    site = copy_site("example", tmp_path / "example")
    sources = tree_digest(site / "journeys") | tree_digest(site / "docs")
    again = built(site)
    assert tree_digest(again) == tree_digest(example_built)
    assert tree_digest(site / "journeys") | tree_digest(site / "docs") == sources


@pytest.mark.parametrize("tool", ["properdocs"])
def test_builds_with_properdocs(mini: Path, tool: str) -> None:
    result = run_build(mini, tool=tool)
    assert result.returncode == 0, result.stderr
    assert 'class="tabiji-swimlane' in page(mini / "site", "map/journeys/onboarding")


def test_example_site_builds_strict_with_mkdocs_and_properdocs(tmp_path: Path) -> None:
    site = copy_site("example", tmp_path / "example")
    out = built(site)
    assert broken_links(out) == []
    journeys = sorted(p.parent.name for p in (out / "map/journeys").glob("*/index.html"))
    assert len(journeys) >= 3
    # the edit button of a generated page opens its YAML source
    edit = 'href="https://github.com/example/tabiji/edit/main/journeys/maps/onboarding.yml"'
    assert edit in page(out, "map/journeys/onboarding")
    result = run_build(site, tool="properdocs", out="site-properdocs")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert tree_digest(out, (".svg",)) == tree_digest(site / "site-properdocs", (".svg",))



def test_section_title_and_place_come_from_the_site_nav(mini: Path) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - map/index.md", "  - Our customers: map/index.md\n  - About: about.md"), encoding="utf-8")
    (mini / "docs/about.md").write_text("# About\n", encoding="utf-8")
    html = page(built(mini), "map/journeys/onboarding")
    nav = text_of(html[html.index("md-nav--primary"):])
    assert nav.index("Home") < nav.index("Our customers") < nav.index("About")
    assert "Customer journeys" not in nav


def test_edit_link_to_a_source_file_with_spaces_and_hash_in_its_name(mini: Path) -> None:
    (mini / "journeys/maps/onboarding.yml").rename(mini / "journeys/maps/導入 #1.yml")
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    - navigation.prune\n",
                                                                 "    - navigation.prune\n    - content.action.edit\n")
                      + "repo_url: https://github.com/x/y\nedit_uri: edit/main/docs/\n", encoding="utf-8")
    html = page(built(mini), "map/journeys/onboarding")
    assert 'href="https://github.com/x/y/edit/main/journeys/maps/%E5%B0%8E%E5%85%A5%20%231.yml"' in html
