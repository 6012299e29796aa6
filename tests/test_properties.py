"""Property-based tests (Hypothesis): random valid documents always load, validate and
render; randomly broken documents always give located problems, never another exception.

Documents are generated as data, written as YAML text (PyYAML's safe_dump) into the mini
fixture's source folder, and go through the real entry points: ``load_site`` (which reads
the files), then the core renderers (swimlane HTML, standalone SVG, every page). A few
examples also go through a full ``mkdocs build --strict``.

Runs are reproducible: derandomized, no example database, bounded example counts.
"""

from __future__ import annotations

import html
import shutil
import string
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, run_build
from tabiji.index import build_index
from tabiji.site.pages import build_pages
from tabiji.core.paths import Paths
from tabiji.core.problems import InvalidSources
from tabiji.render.svg import render_svg
from tabiji.render.swimlane import render_swimlane
from tabiji.source.validate import load_site

BOUNDED = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# ------------------------------------------------------------------ valid documents

# Japanese, Latin, digits, punctuation, Markdown and HTML syntax, emoji, full-width and
# zero-width spaces, right-to-left letters: everything a writer may paste.
_CHARS = st.one_of(
    st.sampled_from(list("あいうえおカキクケコ漢字旅路顧客設定、。「」・ー")),
    st.sampled_from(list(string.ascii_letters + string.digits + " -_.,:;!?'\"()[]{}<>&#*`|~\\/%@$^=+")),
    st.sampled_from(["\u3000", "\u200b", "\u200d", "👍", "\U0001F1EF", "\U0001F1F5", "ש", "ع", "\u202e", "é", "\n"]),
)
TEXT = st.text(_CHARS, min_size=1, max_size=40)
SLUG = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?\Z")
CATALOG = {"departments": ["cs", "sales"], "touchpoints": ["welcome-mail"], "kpis": ["activation"],
           "segments": ["smb"]}
LANGS = ("ja", "en")


def bilingual(text: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(text, st.fixed_dictionaries({"ja": text}, optional={"en": text}))


@st.composite
def journeys(draw) -> dict[str, Any]:
    ids = draw(st.lists(SLUG, min_size=1, max_size=12, unique=True))
    n_phases = draw(st.integers(1, min(5, len(ids))))
    phase_ids, step_ids = ids[:n_phases], ids[n_phases:]
    phases = [{"id": p, "name": draw(bilingual(TEXT))} for p in phase_ids]
    for step in step_ids:  # each step goes to some phase
        phase = phases[draw(st.integers(0, n_phases - 1))]
        phase.setdefault("steps", []).append({"id": step, "name": draw(bilingual(TEXT))})
    for phase in phases:
        if draw(st.booleans()):
            phase["goal"] = draw(TEXT)
        if draw(st.booleans()):
            phase["owners"] = draw(st.lists(st.sampled_from(CATALOG["departments"]), min_size=1, unique=True))
    # cells go to a phase, or to its steps, never both
    columns = [s["id"] for p in phases for s in p.get("steps", [])] + [p["id"] for p in phases if not p.get("steps")]

    def cells(value: st.SearchStrategy) -> dict[str, Any]:
        chosen = draw(st.lists(st.sampled_from(columns), min_size=1, unique=True))
        return {c: draw(value) for c in chosen}

    lanes = [{"kind": "actions", "cells": cells(st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=3)))},
             {"kind": "emotions", "cells": cells(st.fixed_dictionaries(
                 {"score": st.integers(-2, 2).map(str)}, optional={"label": TEXT, "thought": TEXT}))}]
    for kind in draw(st.lists(st.sampled_from(["touchpoints", "departments", "kpis", "information",
                                               "pain_points", "gain_points", "text", "text"]), max_size=4,
                              unique_by=lambda k: k if k != "text" else object())):
        if kind in ("touchpoints", "departments", "kpis"):
            lane = {"kind": kind, "cells": cells(st.lists(st.sampled_from(CATALOG[kind]), min_size=1, unique=True))}
        else:
            lane = {"kind": kind, "cells": cells(TEXT)}
            if kind == "text" or draw(st.booleans()):
                lane["title"] = draw(TEXT)
        lanes.append(lane)
    doc = {"id": "j-" + draw(SLUG), "title": draw(bilingual(TEXT)), "personas": ["p-one"], "goal": draw(TEXT),
           "owner": draw(st.sampled_from(CATALOG["departments"])), "phases": phases,
           "lanes": draw(st.permutations(lanes))}
    if draw(st.booleans()):
        doc["description"] = draw(st.text(_CHARS, max_size=200))
    if draw(st.booleans()):
        doc["segments"] = ["smb"]
    return doc


@st.composite
def personas(draw) -> dict[str, Any]:
    doc = {"id": "p-one", "name": draw(bilingual(TEXT))}
    for key in ("role", "summary", "quote"):
        if draw(st.booleans()):
            doc[key] = draw(bilingual(TEXT))
    for key in ("goals", "challenges", "needs"):
        if draw(st.booleans()):
            doc[key] = draw(st.lists(TEXT, min_size=1, max_size=3))
    if draw(st.booleans()):
        doc["kpis"] = ["activation"]
    return doc


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10 ** 9)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture's sources; each example rewrites the persona and the journey."""
    root = tmp_path_factory.mktemp("props") / "journeys"
    shutil.copytree(FIXTURES / "mini" / "journeys", root)
    _keep_catalogs_only(root)
    return root


def _keep_catalogs_only(root: Path) -> None:
    """The mini fixture minus the documents that refer to its persona and journey."""
    (root / "maps/onboarding.yml").unlink()
    (root / "personas/admin.yml").unlink()
    shutil.rmtree(root / "roadmaps", ignore_errors=True)


def write(folder: Path, persona: str, journey: str) -> None:
    (folder / "personas/p.yml").write_text(persona, encoding="utf-8")
    (folder / "maps/j.yml").write_text(journey, encoding="utf-8")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        if tag == "th" and ("scope", "row") in attrs:
            self.rows += 1


@BOUNDED
@given(persona=personas(), journey=journeys(), lang=st.sampled_from(LANGS))
def test_valid_documents_load_validate_and_render(folder: Path, persona: dict, journey: dict, lang: str) -> None:
    write(folder, dump(persona), dump(journey))
    site = load_site(folder)
    parsed = site.journeys[journey["id"]]
    paths = Paths()
    here = paths.doc("journeys", parsed.id)
    fragment = render_swimlane(parsed, site, lang, paths, here, "x.svg")
    rows = _Parser()
    rows.feed(fragment)
    assert rows.rows == len(journey["lanes"])
    assert "\n\n" not in fragment  # a blank line would end Material's raw HTML block
    svg = ET.fromstring(render_svg(parsed, site, lang))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    generated = build_pages(site, build_index(site), lang, paths)
    docs = {p.doc for p in generated.pages}
    assert here in docs and paths.doc("personas", "p-one") in docs
    assert paths.asset(parsed.id) in generated.assets
    # the writer's text never becomes markup: no tag the generator does not write itself
    for page in generated.pages:
        assert "<script" not in page.markdown.lower() or "&lt;script" in html.escape(page.markdown)


@settings(max_examples=3, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(persona=personas(), journey=journeys())
def test_valid_documents_build_a_site(tmp_path: Path, persona: dict, journey: dict) -> None:
    site = tmp_path / "site-src"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(FIXTURES / "mini", site)
    _keep_catalogs_only(site / "journeys")
    (site / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    write(site / "journeys", dump(persona), dump(journey))
    result = run_build(site)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    assert (site / f"site/map/journeys/{journey['id']}/index.html").is_file()


# ------------------------------------------------------------------ broken documents

REQUIRED = ("id", "title", "personas", "goal", "owner", "phases", "lanes")
JUNK = ["]]] junk: [", "- - {", "key: 'unclosed", "\t- tab", "? [x]\n: y", "&a [*a]", "{{{"]


@st.composite
def mutations(draw) -> tuple[str, str, dict]:
    """(how it was broken, the journey's YAML text, the persona) — always invalid."""
    journey = draw(journeys())
    persona = draw(personas())
    how = draw(st.sampled_from(["delete", "retype", "unknown-id", "junk"]))
    if how == "delete":
        where = draw(st.sampled_from(["top", "phase", "lane", "emotion"]))
        if where == "top":
            del journey[draw(st.sampled_from(REQUIRED))]
        elif where == "phase":
            del draw(st.sampled_from(journey["phases"]))[draw(st.sampled_from(["id", "name"]))]
        elif where == "lane":
            del draw(st.sampled_from(journey["lanes"]))[draw(st.sampled_from(["kind", "cells"]))]
        else:
            emotions = next(lane for lane in journey["lanes"] if lane["kind"] == "emotions")
            cell = emotions["cells"][draw(st.sampled_from(sorted(emotions["cells"])))]
            del cell["score"]
            cell.pop("label", None)  # a feeling in words alone is valid: without score and label it is not
            how += "-score"
    elif how == "retype":
        key = draw(st.sampled_from(["title", "goal", "phases", "lanes", "personas", "owner", "id", "score"]))
        wrong = {"title": [["nested"]], "goal": {"Not A Language": "x"}, "phases": "a text", "lanes": {"a": "b"},
                 "personas": {"x": "y"}, "owner": ["cs", "sales"], "id": {"a": "b"}, "score": "high"}[key]
        if key == "score":
            emotions = next(lane for lane in journey["lanes"] if lane["kind"] == "emotions")
            emotions["cells"][draw(st.sampled_from(sorted(emotions["cells"])))]["score"] = wrong
        else:
            journey[key] = wrong
        how += "-" + key
    elif how == "unknown-id":
        target = draw(st.sampled_from(["persona", "owner", "cell", "phase-owner"]))
        if target == "persona":
            journey["personas"] = ["zz-nobody"]
        elif target == "owner":
            journey["owner"] = "zz-nobody"
        elif target == "cell":
            lane = draw(st.sampled_from(journey["lanes"]))
            first = sorted(lane["cells"])[0]
            lane["cells"]["zz-nowhere"] = lane["cells"].pop(first)
        else:
            draw(st.sampled_from(journey["phases"]))["owners"] = ["zz-nobody"]
        how += "-" + target
    text = dump(journey)
    if how == "junk":
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(JUNK)))
        text = "\n".join(lines) + "\n"
    return how, text, persona


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=mutations())
def test_broken_documents_give_located_problems(folder: Path, case: tuple[str, str, dict]) -> None:
    how, text, persona = case
    event(how)
    write(folder, dump(persona), text)
    with pytest.raises(InvalidSources) as caught:  # any other exception fails the test
        load_site(folder)
    problems = caught.value.problems
    assert problems, how
    lines = text.count("\n") + 1
    for problem in problems:
        assert problem.file.endswith(("maps/j.yml", "personas/p.yml")), (how, str(problem))
        assert 1 <= problem.position.line <= lines and problem.position.column >= 1, (how, str(problem))
        assert problem.expected and problem.found, (how, str(problem))
    assert any(p.file.endswith("maps/j.yml") for p in problems), (how, [str(p) for p in problems])
