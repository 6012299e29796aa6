"""The roadmap swimlane HTML fragment and its standalone SVG, on the roadmap fixture and on
small hand-made roadmaps (hostile names, empty lanes, missing references)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tabiji.core import model as m
from tabiji.core.paths import Paths
from tabiji.render.roadmap_svg import COL_W, LANE_W
from tabiji.render.roadmap_svg import render_roadmap_svg
from tabiji.render.roadmap_swimlane import ICON_PATHS, LANES, grid, print_font_pt, render_roadmap_swimlane
from tabiji.render.svg import LINE, PAD
from tabiji.render.swimlane import PRINT_PT
from tabiji.render.text import display_width, phrases
from tabiji.source.validate import Site, load_site

FIXTURE = Path(__file__).parent / "fixtures" / "roadmap" / "journeys"
HERE = "map/roadmaps/cs-roadmap.md"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(FIXTURE)


@pytest.fixture(scope="module")
def roadmap(site: Site) -> m.Roadmap:
    return site.roadmaps["cs-roadmap"]


@pytest.fixture(scope="module")
def html(roadmap: m.Roadmap, site: Site) -> str:
    return render_roadmap_swimlane(roadmap, site, "ja", Paths(), HERE, svg_href="cs-roadmap.svg")


class Doc(HTMLParser):
    """Every element with its attributes, its text (tags removed) and the hrefs inside it."""

    VOID = {"wbr", "br", "col", "path", "img", "input"}

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": "", "hrefs": [], "children": []}
        if self.open:
            self.open[-1]["children"].append(el)
        self.elements.append(el)
        if tag == "a":
            for parent in self.open:
                parent["hrefs"].append(el["attrs"]["href"])
        if tag not in self.VOID:
            self.open.append(el)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self.open:
            el["text"] += data

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[dict]:
        return [e for e in self.elements
                if (tag is None or e["tag"] == tag)
                and (cls is None or cls in e["attrs"].get("class", "").split())
                and all(e["attrs"].get(k) == v for k, v in attrs.items())]

    def by_id(self, id_: str) -> dict:
        found = [e for e in self.elements if e["attrs"].get("id") == id_]
        assert len(found) == 1, (id_, len(found))
        return found[0]


def rows(doc: Doc) -> list[dict]:
    return doc.find("tr")


def cells(row: dict) -> list[dict]:
    return [c for c in row["children"] if c["tag"] in ("th", "td")]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------ structure and anchors


def test_stages_across_with_anchors_and_numbers(html: str, roadmap: m.Roadmap) -> None:
    doc = Doc(html)
    head = cells(rows(doc)[0])
    assert head[0]["attrs"]["class"] == "tabiji-corner"
    assert [c["attrs"]["id"] for c in head[1:]] == [f"stage-{s.id}" for s in roadmap.stages]
    assert all(c["attrs"]["scope"] == "col" for c in head)
    assert [squash(c["text"]) for c in head[1:]][:2] == [
        "ステージ1トライアル無料トライアルで主要な業務が回るか確かめる段階。ジャーニーOnboarding›Sign-up",
        "ステージ2オンボーディングジャーニーOnboarding›Setup"]
    assert 'style="--tabiji-cols: 4;' in html


def test_header_rows_then_five_lanes_in_order(html: str) -> None:
    all_rows = rows(Doc(html))
    titles = [squash(cells(r)[0]["text"]) for r in all_rows[1:]]
    assert titles == ["達成状態", "チェックポイント", "共同タスク", "カスタマータスク", "自社タスク",
                      "ポジティブアクション", "チャレンジアクション"]
    assert [r["attrs"]["class"] for r in all_rows[3:]] == [f"tabiji-lane tabiji-lane--{lane}" for lane in LANES]
    for row in all_rows[1:]:
        title, *body = cells(row)
        assert title["tag"] == "th" and title["attrs"]["scope"] == "row" and "tabiji-lane-title" in title["attrs"]["class"]
        assert len(body) == 4 and all(c["tag"] == "td" for c in body)
    states = [squash(c["text"]) for c in cells(all_rows[1])[1:]]
    assert states == ["本格利用を決める", "初期設定が完了し、運用を開始している", "毎日の打刻と月次締めが製品で回っている",
                      "目標のROIを達成している"]


def test_tasks_in_time_order_with_anchors(html: str, roadmap: m.Roadmap) -> None:
    doc = Doc(html)
    lane_rows = {r["attrs"]["class"].split("--")[-1]: r for r in rows(doc)[3:]}
    for lane in m.TASK_LANES:
        body = cells(lane_rows[lane])[1:]
        for stage, cell in zip(roadmap.stages, body):
            expected = [f"task-{t.id}" for t in getattr(stage.tasks, lane)]
            lists = [c for c in cell["children"] if c["tag"] == "ol"]
            found = [li["attrs"]["id"] for ol in lists for li in ol["children"]]
            assert found == expected, (lane, stage.id)
            assert ("tabiji-empty" in cell["attrs"]["class"]) == (not expected)
    setup = doc.by_id("task-setup-session")
    assert "tabiji-task" in setup["attrs"]["class"]
    # name, description, who -> whom and touch model, in that order
    assert squash(setup["text"]) == "初期設定の会就業規則と打刻ルールを一緒に設定する。実施：オンボーディングチーム→、対象：管理者ハイタッチ"


def test_actions_by_kind_and_stage_with_icon_word_and_colour_class(html: str, roadmap: m.Roadmap) -> None:
    doc = Doc(html)
    lane_rows = {r["attrs"]["class"].split("--")[-1]: r for r in rows(doc)[3:]}
    stage_ids = [s.id for s in roadmap.stages]
    for kind, word in (("positive", "ポジティブアクション"), ("challenge", "チャレンジアクション")):
        body = cells(lane_rows[kind])[1:]
        for stage_id, cell in zip(stage_ids, body):
            expected = [f"action-{a.id}" for a in roadmap.actions if a.kind == kind and a.stage == stage_id]
            found = [e["attrs"]["id"] for e in [li for ul in cell["children"] for li in ul["children"]]]
            assert found == expected
        title = cells(lane_rows[kind])[0]
        assert Doc(html).find("path", d=ICON_PATHS[kind])  # the lane title carries the icon too
        name = [c for c in title["children"] if c["tag"] == "span"]  # the name that stays in view
        assert any(c["tag"] == "svg" for span in name for c in span["children"])
    for action in roadmap.actions:
        card = doc.by_id(f"action-{action.id}")
        assert card["attrs"]["class"] == f"tabiji-action tabiji-action--{action.kind}"
        kind = card["children"][0]
        assert kind["attrs"]["class"] == "tabiji-action-kind"
        assert kind["text"] == {"positive": "ポジティブアクション", "challenge": "チャレンジアクション"}[action.kind]  # a visible word
        icon = kind["children"][0]
        assert icon["tag"] == "svg" and icon["attrs"]["aria-hidden"] == "true"
        assert icon["children"][0]["attrs"]["d"] == ICON_PATHS[action.kind]
    assert ICON_PATHS["positive"] != ICON_PATHS["challenge"]


def test_action_reads_trigger_action_who_whom_how(html: str) -> None:
    card = Doc(html).by_id("action-low-first-login")
    parts = [c["attrs"]["class"] for c in card["children"]]
    assert parts == ["tabiji-action-kind", "tabiji-action-when", "tabiji-action-condition", "tabiji-action-do", "tabiji-who"]
    texts = [squash(c["text"]) for c in card["children"]]
    assert texts[1] == "きっかけ初回ログイン率が低い"
    assert texts[2] == "初回ログイン率≤50%（招待から7日）"
    assert texts[3] == "→アクション:管理者に連絡する"
    assert texts[4] == "実施：オンボーディングチーム→、対象：管理者ロータッチ"
    follow = Doc(html).by_id("action-ask-case-study")["children"]
    assert follow[-1]["attrs"]["class"] == "tabiji-action-follow"
    assert squash(follow[-1]["text"]) == "フォロー事例記事の公開後にお礼状を送る"


def test_checkpoints_read_like_sentences(html: str, site: Site, roadmap: m.Roadmap) -> None:
    doc = Doc(html)
    checkpoints = [squash(li["text"]) for li in doc.find("li", "tabiji-checkpoint")]
    assert checkpoints == ["初回ログイン率≥60%（招待から14日以内）", "初回ログイン率≥90%（30日以内）",
                           "DAU≥20人打刻が毎日行われている", "DAU≥50人", "主要機能の利用率≥70%（月次）", "ROI≥150%"]
    # a space before a word unit, none before %; no-break spaces keep "≥ 50 人" on one line
    assert "DAU</a> ≥\u00a050\u00a0人<" in html
    english = Doc(render_roadmap_swimlane(roadmap, site, "en", Paths(), HERE))
    assert [li["text"].replace("\u00a0", " ") for li in english.find("li", "tabiji-checkpoint")][:2] == [
        "First-login rate ≥ 60% (within 14 days of the invitation)", "First-login rate ≥ 90% (within 30 days)"]


def test_links_to_departments_roles_metrics_and_journeys(roadmap: m.Roadmap, site: Site) -> None:
    for paths in (Paths(), Paths(prefix="cjm", use_directory_urls=False)):
        doc = Doc(render_roadmap_swimlane(roadmap, site, "ja", paths, paths.doc("roadmaps", roadmap.id)))
        here = paths.doc("roadmaps", roadmap.id)
        card = doc.by_id("action-key-person-drop")
        assert card["hrefs"] == [paths.link("departments", "cs", here), paths.link("roles", "leader", here),
                                 paths.href("index.md", here)]
        assert paths.link("roles", "leader", here).endswith("#role-leader")
        checkpoint = doc.find("li", "tabiji-checkpoint")[0]
        assert checkpoint["hrefs"] == [paths.link("kpis", "first-login", here)]
        stage = doc.by_id("stage-trial")
        assert stage["hrefs"] == [paths.link("journeys", "onboarding", here) + "#phase-signup"]
        assert doc.by_id("task-kickoff")["hrefs"][-1] == "https://example.com/kickoff"
    assert Paths().link("roles", "leader", HERE) == "../../roles/#role-leader"
    assert Paths().href("index.md", HERE) == "../../../"


# ------------------------------------------------------------------ hand-made roadmaps


def make_site(**catalog) -> Site:
    return Site(
        departments={"cs": m.Department(id="cs", name="CS <b>team</b>")},
        roles={"office": m.CustomerRole(id="office", name="<script>alert('role')</script>")},
        kpis={"dau": m.Kpi(id="dau", name="DAU & <i>co</i>", definition="x", unit="<u>")},
        **catalog,
    )


def make_roadmap(**overrides) -> m.Roadmap:
    data = {
        "id": "evil", "title": "<script>alert('title')</script>", "product": "x", "personas": ["p"], "owner": "cs",
        "stages": [
            {"id": "s1", "name": "<script>alert('stage')</script>", "state": "<img src=x onerror=alert(1)>",
             "checkpoints": [{"metric": "dau", "comparison": "<", "value": 5, "window": "<b>w</b>",
                              "label": "<em>label</em>"}],
             "tasks": {"ours": [{"id": "t1", "name": "<script>alert('task')</script>", "department": "cs",
                                 "role": "office", "links": [{"title": "<b>t</b>", "url": 'x.md" onclick="alert(1)'}]}]}},
            {"id": "s2", "name": "**bold** stage", "state": "ok"},
        ],
        "actions": [{"id": "a1", "kind": "challenge", "stage": "s2", "trigger": "<script>alert('trigger')</script>",
                     "action": "<iframe>", "department": "cs", "role": "office", "follow_up": "</li></ul>"}],
    }
    data.update(overrides)
    return m.Roadmap.model_validate(data)


def test_user_text_is_escaped_everywhere() -> None:
    site, roadmap = make_site(), make_roadmap()
    html = render_roadmap_swimlane(roadmap, site, "en", Paths(), HERE, svg_href='x.svg" onclick="alert(1)')
    for tag in ("<script", "<img", "<iframe", "<b>", "<i>", "<u>", "<em>"):
        assert tag not in html, tag
    assert "&lt;/li&gt;&lt;/ul&gt;" in html
    for name in ("title", "stage", "task", "trigger", "role"):  # shown as text
        assert re.search(rf"&lt;script&gt;alert\((&#x27;|'){name}(&#x27;|')\)&lt;/script&gt;", html), name
    assert '<a href="../../../x.md&quot; onclick=&quot;alert(1)">' in html
    assert 'href="x.svg&quot; onclick=&quot;alert(1)"' in html
    assert 'onclick="' not in html
    assert "<strong>bold</strong> stage" in html  # Markdown still works in names
    svg = render_roadmap_svg(roadmap, site, "en")
    root = ET.fromstring(svg.encode())  # well-formed despite the markup in every name
    texts = "".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert "<script>alert('task')</script>" in texts and "<iframe>" in texts
    assert "<script" not in svg and "<iframe" not in svg


def test_empty_lanes_still_drawn_and_no_checkpoint_row_without_checkpoints() -> None:
    stages = [{"id": "a", "name": "A", "state": "done"}, {"id": "b", "name": "B", "state": "done"}]
    html = render_roadmap_swimlane(make_roadmap(stages=stages, actions=[]), make_site(), "en", Paths(), HERE)
    doc = Doc(html)
    assert "tabiji-checkpoint-row" not in html
    body = [r for r in rows(doc) if r["attrs"].get("class", "").startswith("tabiji-lane ")]
    assert [squash(cells(r)[0]["text"]) for r in body] == [
        "Jointtasks", "Customertasks", "Ourtasks", "Positiveactions", "Challengeactions"]
    assert all("tabiji-empty" in c["attrs"]["class"] for r in body for c in cells(r)[1:])


def test_missing_references_show_their_id_without_a_dead_link() -> None:
    roadmap = make_roadmap(actions=[{"id": "a1", "kind": "positive", "stage": "s1", "trigger": "t", "action": "a",
                                     "department": "ghost", "role": "nobody",
                                     "condition": {"metric": "nometric", "comparison": ">=", "value": 1}}],
                           stages=[{"id": "s1", "name": "S", "state": "x", "phases": ["nojourney/p"]}])
    doc = Doc(render_roadmap_swimlane(roadmap, make_site(), "en", Paths(), HERE))
    card = doc.by_id("action-a1")
    assert card["hrefs"] == []
    assert [e["text"] for e in doc.find("span", "tabiji-missing")] == ["nojourney/p", "nometric", "ghost", "nobody"]


def test_fragment_is_one_markdown_block(html: str) -> None:
    assert not re.search(r"\n[ \t]*\n", html)
    assert 'class="tabiji-swimlane-wrap tabiji-roadmap-wrap" data-roadmap="cs-roadmap"' in html
    assert '<caption class="tabiji-sr-only">勤怠クラウドのサクセスロードマップ：ステージ（横）× 達成状態・タスク・誘導アクション（縦）</caption>' in html
    assert 'role="region" tabindex="0" aria-label="勤怠クラウドのサクセスロードマップ：' in html
    assert '<a href="cs-roadmap.svg" download>' in html
    assert "<script" not in html  # no JavaScript needed, none shipped


def test_japanese_breaks_between_phrases(html: str) -> None:
    assert "<wbr>".join(phrases("毎日の打刻と月次締めが製品で回っている")) in html
    assert "<wbr>".join(phrases("就業規則と打刻ルールを一緒に設定する。")) in html
    assert not re.search(r"<[^>]*<wbr>", html)


def test_ids_are_unique(html: str) -> None:
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 4 + 12 + 8


def test_output_is_deterministic(roadmap: m.Roadmap, site: Site) -> None:
    again = load_site(FIXTURE)
    assert render_roadmap_swimlane(roadmap, site, "ja", Paths(), HERE, "a.svg") == render_roadmap_swimlane(
        again.roadmaps["cs-roadmap"], again, "ja", Paths(), HERE, "a.svg")
    assert render_roadmap_svg(roadmap, site, "ja") == render_roadmap_svg(again.roadmaps["cs-roadmap"], again, "ja")


def test_print_font_shrinks_as_the_roadmap_grows(roadmap: m.Roadmap, site: Site) -> None:
    base = print_font_pt(grid(roadmap), site, "ja")
    assert PRINT_PT[1] <= base <= PRINT_PT[0]
    busy = roadmap.model_copy(update={"actions": roadmap.actions * 4})
    smaller = print_font_pt(grid(busy), site, "ja")
    assert smaller < base
    html = render_roadmap_swimlane(busy, site, "ja", Paths(), HERE)
    assert f"--tabiji-print-font: {smaller:g}pt" in html


# ------------------------------------------------------------------ SVG


def svg_cells(svg: str) -> list[tuple[ET.Element, list[ET.Element]]]:
    root = ET.fromstring(svg.encode("utf-8"))
    return [(g.find(f"{SVG_NS}rect"), list(g.iter(f"{SVG_NS}text")))
            for g in root.iter(f"{SVG_NS}g") if g.get("class") == "tabiji-cell"]


def test_svg_is_well_formed_and_holds_every_text(roadmap: m.Roadmap, site: Site) -> None:
    svg = render_roadmap_svg(roadmap, site, "ja")
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG_NS}svg" and root.get("version") == "1.1"
    assert root.find(f"{SVG_NS}title").text == "勤怠クラウドのサクセスロードマップ"
    assert "ステージ（横）" in root.find(f"{SVG_NS}desc").text
    all_text = squash("".join(t.text or "" for t in root.iter(f"{SVG_NS}text")))
    expected = ["達成状態", "チェックポイント", "共同タスク", "カスタマータスク", "自社タスク", "ポジティブアクション",
                "チャレンジアクション", "DAU≥50人", "初回ログイン率≥60%（招待から14日以内）", "ジャーニー:Onboarding›Sign-up"]
    for stage in roadmap.stages:
        expected += [stage.name["ja"], stage.state["ja"]]
        for lane in m.TASK_LANES:
            expected += [squash(t.name["ja"]) for t in getattr(stage.tasks, lane)]
    for action in roadmap.actions:
        expected += [squash(action.trigger["ja"]), squash(action.action["ja"])]
    for text in expected:
        assert squash(text) in all_text, text
    cards = [g for g in root.iter(f"{SVG_NS}g") if (g.get("class") or "").startswith("tabiji-action ")]
    kinds = [g.get("class").split("--")[-1] for g in cards]
    assert sorted(kinds) == sorted(a.kind for a in roadmap.actions)
    for card in cards:
        kind = card.get("class").split("--")[-1]
        assert card.find(f"{SVG_NS}path").get("d") == ICON_PATHS[kind]
        assert card.find(f"{SVG_NS}text").text == {"positive": "ポジティブアクション", "challenge": "チャレンジアクション"}[kind]


def test_svg_rows_grow_to_fit_and_lines_fit_their_column(roadmap: m.Roadmap, site: Site) -> None:
    svg = render_roadmap_svg(roadmap, site, "ja")
    root = ET.fromstring(svg.encode("utf-8"))
    boxes = svg_cells(svg)
    assert boxes
    for rect, texts in boxes:
        top, height = float(rect.get("y")), float(rect.get("height"))
        left, width = float(rect.get("x")), float(rect.get("width"))
        for t in texts:
            assert top + PAD <= float(t.get("y")) <= top + height - PAD + 1
            # the estimate is conservative: never wider than the column
            assert float(t.get("x")) - left + display_width(t.text or "") * 13 * 0.5 <= width
        assert height >= 2 * PAD + LINE or not texts
    for card in (g for g in root.iter(f"{SVG_NS}g") if (g.get("class") or "").startswith("tabiji-action ")):
        rect = card.find(f"{SVG_NS}rect")
        bottom = float(rect.get("y")) + float(rect.get("height"))
        assert all(float(t.get("y")) < bottom for t in card.iter(f"{SVG_NS}text"))
    assert float(root.get("width")) == LANE_W + 4 * COL_W


def test_svg_cards_never_overlap(roadmap: m.Roadmap, site: Site) -> None:
    root = ET.fromstring(render_roadmap_svg(roadmap, site, "ja").encode())
    rects = [g.find(f"{SVG_NS}rect") for g in root.iter(f"{SVG_NS}g") if (g.get("class") or "").startswith("tabiji-action ")]
    spans = sorted((float(r.get("x")), float(r.get("y")), float(r.get("y")) + float(r.get("height"))) for r in rects)
    for (x1, _, b1), (x2, t2, _) in zip(spans, spans[1:]):
        if x1 == x2:
            assert t2 > b1
