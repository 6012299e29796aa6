"""The roadmap swimlane in a real browser (Debian's Chromium driven by Playwright).

Self-contained: the fragment is rendered here from the roadmap fixture and written into a
docs page of that site, which MkDocs then builds with the plugin (as the plugin embeds a
journey swimlane), so the test does not depend on how the roadmap page itself is made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from conftest import built, copy_site
from tabiji.core.paths import Paths
from tabiji.render.roadmap_svg import render_roadmap_svg
from tabiji.render.roadmap_swimlane import render_roadmap_swimlane
from tabiji.render.text import localize
from tabiji.source.validate import load_site
from test_browser import ARTIFACTS, _assert_one_a3_page, _open, _require_browser, _served, browser  # noqa: F401

pytestmark = pytest.mark.browser

PAGE = "roadmap-{id}.md"

# The contrast (WCAG 2) of an element's text on what is really behind it: translucent
# backgrounds (the action cards' tints) are composed over their ancestors'.
CONTRAST_JS = """el => {
    const rgba = s => {  // rgb(), rgba() or, from color-mix(), color(srgb r g b [/ a]) in 0..1
        const v = s.replace(/^color\\(srgb/, "").match(/[\\d.]+/g).map(Number);
        const c = s.startsWith("color(") ? [...v.slice(0, 3).map(x => x * 255), ...v.slice(3)] : v;
        return c.length === 3 ? [...c, 1] : c;
    };
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] === 1) break;
    }
    let bg = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
        .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
    const fg = lum(rgba(getComputedStyle(el).color)), back = lum(bg);
    return (Math.max(fg, back) + 0.05) / (Math.min(fg, back) + 0.05);
}"""

OVERFLOW_JS = """() => [...document.querySelectorAll(
        'table.tabiji-roadmap td, table.tabiji-roadmap th, table.tabiji-roadmap li')]
    .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.id || c.textContent.slice(0, 40))"""


def _large_roadmap() -> dict:
    """6 stages, 4 tasks in each task lane and 3 actions of each kind per stage, in Japanese."""
    words = ["初期設定の", "管理者が", "社員データを", "取り込み", "ダッシュボードで", "打刻状況を", "確認し、",
             "問い合わせ窓口に", "相談する", "締め作業の", "手順書を", "見直す"]

    def text(i: int, n: int) -> str:
        return "".join(words[(i + j) % len(words)] for j in range(n))

    roles = ["office", "leader", "power-user", "decision-maker", "admin"]
    stages, actions = [], []
    for s in range(6):
        tasks = {lane: [{"id": f"s{s}-{lane}-{k}", "name": text(s + k, 3), "description": text(k, 4),
                         "department": ["cs", "onboarding", "support"][k % 3], "role": roles[(s + k) % 5],
                         "touch_model": ["high", "low", "tech"][k % 3]} for k in range(4)]
                 for lane in ("joint", "customer", "ours")}
        stages.append({"id": f"s{s}", "name": f"ステージ{s + 1}・{words[s]}", "state": text(s, 5),
                       "checkpoints": [{"metric": "dau", "comparison": ">=", "value": 10 * (s + 1), "window": "30日以内"},
                                       {"metric": "feature-usage", "comparison": ">", "value": 50 + s}],
                       "tasks": tasks})
        for kind in ("positive", "challenge"):
            actions += [{"id": f"s{s}-{kind}-{k}", "kind": kind, "stage": f"s{s}", "trigger": text(s + k, 4),
                         "condition": {"metric": "first-login", "comparison": "<=", "value": 40 + k},
                         "action": text(k, 3), "role": roles[k], "department": "cs", "touch_model": "low",
                         "follow_up": text(k + 2, 3)} for k in range(3)]
    return {"id": "large", "title": "大規模ロードマップ", "product": "勤怠クラウド", "personas": ["admin"],
            "owner": "cs", "stages": stages, "actions": actions}


def _roadmap_site(dest: Path, extra: dict | None = None) -> Path:
    """The roadmap fixture, with a docs page holding each roadmap's swimlane, built."""
    site = copy_site("roadmap", dest)
    if extra:
        (site / "journeys/roadmaps" / f"{extra['id']}.yml").write_text(
            yaml.safe_dump(extra, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded, paths = load_site(site / "journeys"), Paths()
    for roadmap in loaded.roadmaps.values():
        doc = PAGE.format(id=roadmap.id)
        svg = doc.replace(".md", ".svg")
        (site / "docs" / svg).write_text(render_roadmap_svg(roadmap, loaded, "ja"), encoding="utf-8")
        fragment = render_roadmap_swimlane(roadmap, loaded, "ja", paths, doc, paths.href(svg, doc))
        title = json.dumps(localize(roadmap.title, "ja"), ensure_ascii=False)
        (site / "docs" / doc).write_text(f"---\ntitle: {title}\n---\n\n# Roadmap\n\n{fragment}\n", encoding="utf-8")
    return built(site)


@pytest.fixture(scope="module")
def roadmap_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    with _served(_roadmap_site(tmp_path_factory.mktemp("roadmap"), _large_roadmap())) as base:
        yield base


def _url(base: str, id_: str) -> str:
    return base + PAGE.format(id=id_).replace(".md", "/")


def _kinds_are_shown_apart(page) -> None:
    for kind, word in (("positive", "ポジティブアクション"), ("challenge", "チャレンジアクション")):
        label = page.locator(f"li.tabiji-action--{kind} .tabiji-action-kind").first
        assert label.is_visible() and label.inner_text().strip() == word
        assert page.locator(f"li.tabiji-action--{kind} .tabiji-action-kind svg.tabiji-icon").first.is_visible()
        assert label.evaluate(CONTRAST_JS) >= 4.5, kind
        for text in page.locator(f"li.tabiji-action--{kind} :is(.tabiji-action-do, .tabiji-action-when, a)").all():
            assert text.evaluate(CONTRAST_JS) >= 4.5, (kind, text.inner_text())
    colours = {kind: page.locator(f"li.tabiji-action--{kind}").first.evaluate(
        "el => [getComputedStyle(el).borderLeftColor, getComputedStyle(el).backgroundColor]")
        for kind in ("positive", "challenge")}
    assert colours["positive"] != colours["challenge"]


def test_roadmap_swimlane_renders_without_errors(browser, roadmap_site: str) -> None:
    ctx, page, errors = _open(browser, _url(roadmap_site, "cs-roadmap"))
    table = page.locator("table.tabiji-roadmap")
    assert table.is_visible()
    assert page.locator("table.tabiji-roadmap thead th[id^=stage-]").count() == 4
    assert page.locator("table.tabiji-roadmap tbody th[scope=row]").count() == 5
    assert page.locator("table.tabiji-roadmap li[id^=task-]").count() == 12
    assert page.locator("table.tabiji-roadmap li[id^=action-]").count() == 8
    _kinds_are_shown_apart(page)
    assert page.evaluate(OVERFLOW_JS) == []
    # the Japanese font is in use: the state row is drawn in Noto CJK, not a fallback
    assert "Noto Sans CJK JP" in page.locator("table.tabiji-roadmap td").first.evaluate(
        "el => getComputedStyle(el).fontFamily")
    page.screenshot(path=str(ARTIFACTS / "roadmap-swimlane.png"), full_page=True)
    # the standalone SVG link works
    svg = page.locator(".tabiji-roadmap-wrap .tabiji-download a").get_attribute("href")
    response = page.request.get(page.url + svg)
    assert response.ok and response.body().startswith(b"<?xml")
    assert errors == []
    ctx.close()


def test_dark_palette_keeps_the_kinds_readable(browser, roadmap_site: str) -> None:
    ctx, page, errors = _open(browser, _url(roadmap_site, "cs-roadmap"), color_scheme="dark")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_timeout(50)
    background = page.locator("table.tabiji-roadmap").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    _kinds_are_shown_apart(page)
    assert page.locator("table.tabiji-roadmap .tabiji-states td").first.evaluate(CONTRAST_JS) >= 4.5
    page.screenshot(path=str(ARTIFACTS / "roadmap-swimlane-dark.png"), full_page=True)
    assert errors == []
    ctx.close()


def test_lane_titles_stay_visible_on_a_phone(browser, roadmap_site: str) -> None:
    ctx, page, _ = _open(browser, _url(roadmap_site, "cs-roadmap"), viewport={"width": 375, "height": 800})
    scroller = page.locator(".tabiji-roadmap-wrap .tabiji-scroll")
    scroller.scroll_into_view_if_needed()
    titles = page.locator("table.tabiji-roadmap th[scope=row]")
    before = [titles.nth(i).bounding_box()["x"] for i in range(titles.count())]
    scrolled = scroller.evaluate("el => { el.scrollLeft = 500; return el.scrollLeft; }")
    assert scrolled > 100, "four stages should be wider than a phone"
    page.wait_for_timeout(100)
    after = [titles.nth(i).bounding_box()["x"] for i in range(titles.count())]
    assert all(abs(a - b) < 2 for a, b in zip(after, before))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.evaluate(OVERFLOW_JS) == []
    page.screenshot(path=str(ARTIFACTS / "roadmap-swimlane-mobile.png"))
    ctx.close()


def test_a_linked_action_lands_clear_of_the_sticky_titles(browser, roadmap_site: str) -> None:
    """Department and metric pages link to #action-…: the card comes into view beside the titles."""
    ctx, page, _ = _open(browser, _url(roadmap_site, "cs-roadmap") + "#action-upsell",
                         viewport={"width": 375, "height": 800})
    page.wait_for_timeout(200)
    card = page.locator("#action-upsell").bounding_box()
    title = page.locator("table.tabiji-roadmap .tabiji-lane--positive th[scope=row]").bounding_box()
    assert card and title
    assert card["x"] >= title["x"] + title["width"] - 1
    assert 0 <= card["y"] < 800
    ctx.close()


def test_works_without_javascript(browser, roadmap_site: str) -> None:
    ctx, page, _ = _open(browser, _url(roadmap_site, "cs-roadmap"), java_script_enabled=False)
    assert page.locator("table.tabiji-roadmap").is_visible()
    assert page.locator("table.tabiji-roadmap a").count() > 20
    assert page.locator("table.tabiji-roadmap svg.tabiji-icon").count() == 8 + 2
    _kinds_are_shown_apart(page)
    ctx.close()


@pytest.mark.parametrize("roadmap_id", ["cs-roadmap", "large"])
def test_prints_on_one_a3_landscape_page(browser, roadmap_site: str, roadmap_id: str) -> None:
    ctx, page, errors = _open(browser, _url(roadmap_site, roadmap_id))
    if roadmap_id == "large":
        assert page.locator("table.tabiji-roadmap li[id^=task-]").count() == 6 * 12
        assert page.evaluate(OVERFLOW_JS) == []
        page.screenshot(path=str(ARTIFACTS / "roadmap-swimlane-large.png"), full_page=True)
    # the print stylesheet at A3 landscape's printable width (400 mm): measured for the record
    measure = ctx.new_page()
    measure.emulate_media(media="print")
    measure.set_viewport_size({"width": 1512, "height": 1047})
    measure.goto(_url(roadmap_site, roadmap_id))
    measured = measure.locator("table.tabiji-roadmap").evaluate("""t => ({font: getComputedStyle(t).fontSize,
        height_mm: t.getBoundingClientRect().height * 25.4 / 96, width_mm: t.getBoundingClientRect().width * 25.4 / 96})""")
    (ARTIFACTS / f"roadmap-swimlane-{roadmap_id}-print.json").write_text(json.dumps(measured), encoding="utf-8")
    assert measure.evaluate(OVERFLOW_JS) == []
    _assert_one_a3_page(page, _url(roadmap_site, roadmap_id))
    assert errors == []
    ctx.close()
