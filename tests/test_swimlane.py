"""The swimlane HTML fragment and the standalone SVG, checked on a small journey."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tabiji.core.model import Department, Journey, Kpi, Touchpoint
from tabiji.core.paths import Paths
from tabiji.render.svg import LINE, PAD, render_svg, wrap
from tabiji.render.swimlane import render_swimlane
from tabiji.render.phrase import LONG
from tabiji.render.text import display_width, phrases
from tabiji.source.validate import Site

FROM_DOC = "map/journeys/onboarding.md"
SVG_NS = "{http://www.w3.org/2000/svg}"
CODE = "```\nline one\n\nline three\n```"


def make_journey(**overrides) -> Journey:
    data = {
        "id": "onboarding",
        "title": {"ja": "オンボーディング", "en": "Onboarding"},
        "personas": ["admin"],
        "goal": "定着",
        "owner": "cs",
        "phases": [
            {"id": "kickoff", "name": "キックオフ", "goal": "目標を合意する", "owners": ["cs", "sales"],
             "steps": [{"id": "meet", "name": "会議"}, {"id": "sheet", "name": "ヒアリングシート"}]},
            {"id": "setup", "name": "初期設定"},
            {"id": "use", "name": {"ja": "活用", "en": "Adoption"},
             "steps": [{"id": "s1", "name": "A"}, {"id": "s2", "name": "B"}, {"id": "s3", "name": "C"}]},
        ],
        "lanes": [
            {"kind": "actions", "cells": {
                "meet": "キックオフ会議に参加して目標を確認する",
                "sheet": ["<script>alert(1)</script>", "**太字**で書く"],
                "setup": "Set up single sign-on and invite the first users",
                "use": CODE,
            }},
            {"kind": "emotions", "cells": {
                "meet": {"score": 1, "label": "期待"},
                "setup": {"score": -2, "label": "不安", "thought": "設定が難しい"},
                "s3": {"score": 2, "label": "満足"},
            }},
            {"kind": "touchpoints", "title": "接点", "cells": {"kickoff": ["web-meeting", "email"], "s1": "email"}},
            {"kind": "kpis", "cells": {"use": ["dau"]}},
        ],
    }
    data.update(overrides)
    return Journey.model_validate(data)


@pytest.fixture()
def site() -> Site:
    return Site(
        departments={"cs": Department(id="cs", name="CS"),
                     "sales": Department(id="sales", name={"ja": "営業", "en": "Sales"})},
        touchpoints={"web-meeting": Touchpoint(id="web-meeting", name="Web会議"),
                     "email": Touchpoint(id="email", name="メール <img src=x onerror=alert(1)>")},
        kpis={"dau": Kpi(id="dau", name="DAU", definition="daily active users")},
    )


@pytest.fixture()
def journey() -> Journey:
    return make_journey()


@pytest.fixture()
def fragment(journey: Journey, site: Site) -> str:
    return render_swimlane(journey, site, "ja", Paths(), FROM_DOC, svg_href="onboarding.svg")


# ------------------------------------------------------------------ a tiny table reader


class Table(HTMLParser):
    """Rows of cells: (tag, attrs, inner text) plus the hrefs, polylines and dots in each."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.section = ""
        self.cell: dict | None = None
        self.tags: list[tuple[str, dict]] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.rows.append({"section": self.section, "class": a.get("class", ""), "cells": []})
        elif tag in ("th", "td"):
            self.cell = {"tag": tag, "attrs": a, "text": "", "hrefs": [], "lines": [], "dots": []}
            self.rows[-1]["cells"].append(self.cell)
        elif self.cell is not None:
            if tag == "a":
                self.cell["hrefs"].append(a["href"])
            elif tag == "polyline":
                pts = [tuple(map(float, p.split(","))) for p in a["points"].split()]
                self.cell["lines"].append(pts)
            elif tag == "span" and "tabiji-dot" in a.get("class", ""):
                self.cell["dots"].append(float(a["style"].removeprefix("top:").removesuffix("%")))

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data

    def body(self) -> list[dict]:
        return [r for r in self.rows if r["section"] == "tbody"]


def span(cell: dict) -> int:
    return int(cell["attrs"].get("colspan", 1))


# ------------------------------------------------------------------ HTML


def test_phase_headers_span_their_steps(fragment: str, journey: Journey) -> None:
    table = Table(fragment)
    phases_row, steps_row = table.rows[0], table.rows[1]
    phase_cells = [c for c in phases_row["cells"] if c["attrs"].get("scope") == "colgroup"]
    assert [span(c) for c in phase_cells] == [len(p.steps) or 1 for p in journey.phases] == [2, 1, 3]
    # A phase without steps covers both header rows; the step row has one cell per step.
    assert [c["attrs"].get("rowspan") for c in phase_cells] == [None, "2", None]
    assert [c["text"] for c in steps_row["cells"]] == ["会議", "ヒアリングシート", "A", "B", "C"]
    assert all(c["attrs"]["scope"] == "col" for c in steps_row["cells"])
    assert 'style="--tabiji-cols: 6;' in fragment


def test_one_row_per_lane_in_order(fragment: str, journey: Journey) -> None:
    rows = Table(fragment).body()
    assert [r["class"].split()[-1] for r in rows] == [f"tabiji-lane--{lane.kind}" for lane in journey.lanes]
    titles = [r["cells"][0] for r in rows]
    assert all(t["tag"] == "th" and t["attrs"]["scope"] == "row" for t in titles)
    # the emotion lane's title carries the score scale (+2 … −2), hidden from screen readers
    assert [t["text"] for t in titles] == ["行動", "思考・感情+2+10−1−2", "接点", "KPI"]
    assert '<span class="tabiji-scale" aria-hidden="true">' in fragment
    # Every row covers exactly the step columns; a phase-level cell spans its phase.
    assert all(sum(span(c) for c in r["cells"][1:]) == 6 for r in rows)
    kpi_cells = rows[3]["cells"][1:]
    assert [span(c) for c in kpi_cells] == [1, 1, 1, 3]


def test_ref_links_come_from_paths(journey: Journey, site: Site) -> None:
    for paths in (Paths(), Paths(prefix="cjm", use_directory_urls=False)):
        rows = Table(render_swimlane(journey, site, "ja", paths, FROM_DOC)).body()
        touch = rows[2]["cells"]
        assert touch[1]["hrefs"] == [paths.link("touchpoints", i, FROM_DOC) for i in ("web-meeting", "email")]
        assert touch[3]["hrefs"] == [paths.link("touchpoints", "email", FROM_DOC)]
        assert rows[3]["cells"][4]["hrefs"] == [paths.link("kpis", "dau", FROM_DOC)]
        owners = Table(render_swimlane(journey, site, "ja", paths, FROM_DOC)).rows[0]["cells"][1]["hrefs"]
        assert owners == [paths.link("departments", d, FROM_DOC) for d in ("cs", "sales")]


def test_user_text_is_escaped(journey: Journey, site: Site) -> None:
    html = render_swimlane(journey, site, "ja", Paths(), FROM_DOC, svg_href='x.svg" onclick="alert(1)')
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="x.svg&quot; onclick=&quot;alert(1)"' in html
    assert "<strong>太字</strong>" in html  # Markdown still works


def test_japanese_breaks_at_phrases(fragment: str) -> None:
    assert "<wbr>".join(phrases("キックオフ会議に参加して目標を確認する", LONG)) in fragment
    assert "目標を<wbr>合意する" in fragment
    assert not re.search(r"<[^>]*<wbr>", fragment)  # never inside a tag


def test_emotion_curve_is_continuous(fragment: str) -> None:
    cells = Table(fragment).body()[1]["cells"][1:]
    lines = [c["lines"][0] if c["lines"] else None for c in cells]
    # Scores at columns 0 (meet), 2 (setup), 5 (s3): the curve runs from the first to the last.
    assert lines[0][0][0] == 50 and lines[-1][-1][0] == 50
    for left, right in zip(lines, lines[1:]):
        assert left[-1][0] == 100 and right[0][0] == 0
        assert left[-1][1] == right[0][1]
    # A scored cell's dot sits at the curve's centre point; unscored cells have no dot.
    for cell, line in zip(cells, lines):
        centre = [y for x, y in line if x == 50]
        assert cell["dots"] == (centre if "期待" in cell["text"] or "不安" in cell["text"] or "満足" in cell["text"] else [])
    assert "+1 期待" in cells[0]["text"] and "−2 不安" in cells[2]["text"]
    assert fragment.count('class="tabiji-sr-only">感情スコア') == 3
    assert fragment.count('vector-effect="non-scaling-stroke"') == 6


def test_curve_stops_at_first_and_last_score(site: Site) -> None:
    lanes = [{"kind": "actions", "cells": {}}, {"kind": "emotions", "cells": {"sheet": {"score": 0}, "s1": {"score": -1}}}]
    cells = Table(render_swimlane(make_journey(lanes=lanes), site, "en", Paths(), FROM_DOC)).body()[1]["cells"][1:]
    assert [bool(c["lines"]) for c in cells] == [False, True, True, True, False, False]
    assert cells[1]["lines"][0][0][0] == 50 and cells[3]["lines"][0][-1][0] == 50


def test_fragment_has_no_blank_line_and_no_bare_ids(fragment: str) -> None:
    assert not re.search(r"\n[ \t]*\n", fragment)
    assert "line one&#10;&#10;line three" in fragment  # the code block keeps its blank line
    assert " id=" not in fragment
    assert 'class="tabiji-swimlane"' in fragment and "<caption" in fragment
    assert 'role="region" tabindex="0" aria-label="オンボーディング' in fragment
    assert 'href="onboarding.svg" download' in fragment


def test_journey_without_steps_has_one_header_row(site: Site) -> None:
    phases = [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]
    lanes = [{"kind": "actions", "cells": {"a": "x", "b": "y"}}]
    html = render_swimlane(make_journey(phases=phases, lanes=lanes), site, "en", Paths(), FROM_DOC)
    table = Table(html)
    assert [r["section"] for r in table.rows] == ["thead", "tbody"]
    assert "rowspan" not in html and "tabiji-steps" not in html
    assert [c["text"] for c in table.body()[0]["cells"]] == ["Customer actions", "x", "y"]


def test_english_labels_and_names(journey: Journey, site: Site) -> None:
    html = render_swimlane(journey, site, "en", Paths(), FROM_DOC)
    assert ">Adoption<" in html and ">Sales<" in html and "Thoughts and emotions" in html
    assert "emotion score +1 (from −2 to +2)" in html


def test_output_is_deterministic(journey: Journey, site: Site) -> None:
    assert render_swimlane(journey, site, "ja", Paths(), FROM_DOC, "a.svg") == render_swimlane(
        make_journey(), site, "ja", Paths(), FROM_DOC, "a.svg")
    assert render_svg(journey, site, "ja") == render_svg(make_journey(), site, "ja")


# ------------------------------------------------------------------ SVG


def _cells(svg: str) -> list[tuple[ET.Element, list[ET.Element]]]:
    root = ET.fromstring(svg.encode("utf-8"))
    return [(g.find(f"{SVG_NS}rect"), g.findall(f"{SVG_NS}text"))
            for g in root.iter(f"{SVG_NS}g") if g.get("class") == "tabiji-cell"]


def _squash(text: str) -> str:
    return re.sub(r"[\s•]", "", text)


def test_svg_is_well_formed_and_holds_every_text(journey: Journey, site: Site) -> None:
    svg = render_svg(journey, site, "ja")
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG_NS}svg" and root.get("version") == "1.1"
    assert root.find(f"{SVG_NS}title").text == "オンボーディング"
    assert root.find(f"{SVG_NS}desc").text
    assert "Noto Sans CJK JP" in root.get("font-family")
    joined = [_squash("".join(t.text or "" for t in texts)) for _, texts in _cells(svg)]
    expected = [
        "キックオフ", "ゴール:目標を合意する", "会議", "ヒアリングシート", "初期設定", "行動", "思考・感情", "接点",
        "キックオフ会議に参加して目標を確認する", "<script>alert(1)</script>太字で書く",
        "Setupsinglesign-onandinvitethefirstusers", "lineonelinethree",
        "設定が難しい", "Web会議メール<imgsrc=xonerror=alert(1)>", "DAU",
    ]
    for text in expected:
        assert any(text in cell for cell in joined), text
    assert len(list(root.iter(f"{SVG_NS}polyline"))) == 1 and len(list(root.iter(f"{SVG_NS}circle"))) == 3
    # the band: a labelled gridline per score, and each point's score and label beside it
    band = next(g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "tabiji-emotion-band")
    texts = [t.text for t in band.iter(f"{SVG_NS}text")]
    assert texts[:5] == ["+2", "+1", "0", "−1", "−2"] and len(band.findall(f"{SVG_NS}line")) == 5
    assert {"+1 期待", "−2 不安", "+2 満足"} <= set(texts)


def test_svg_rows_fit_their_text(journey: Journey, site: Site) -> None:
    for rect, texts in _cells(render_svg(journey, site, "ja")):
        top, height = float(rect.get("y")), float(rect.get("height"))
        for t in texts:
            assert top + PAD <= float(t.get("y")) <= top + height - PAD + 1
        assert height >= 2 * PAD + len(texts) * LINE or not texts


def test_wrap_breaks_at_phrases_words_and_long_runs() -> None:
    ja = "キックオフ会議に参加して目標を確認する"
    lines = wrap(ja, 16)
    assert "".join(lines) == ja and all(display_width(line) <= 16 for line in lines)
    ends, pos = set(), 0
    for p in phrases(ja):
        pos += len(p)
        ends.add(pos)
    pos = 0
    for line in lines[:-1]:
        pos += len(line)
        assert pos in ends  # every break is between two phrases
    assert wrap("Set up single sign-on", 10) == ("Set up", "single", "sign-on")
    long = "あ" * 13
    assert wrap(long, 10) == ("あ" * 5, "あ" * 5, "あ" * 3)
    assert wrap("a\x01b\tc", 20) == ("ab c",)
