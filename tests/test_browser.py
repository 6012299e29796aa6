"""Journey pages in a real browser: Debian's Chromium driven by Playwright.

Skipped with a reason when Chromium is missing on a developer machine; in CI (CI=true)
a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import threading
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ROOT, built, copy_site

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("TABIJI_ARTIFACTS", ROOT / "test-artifacts"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


def _require_browser() -> None:
    missing = not Path(CHROMIUM).exists()
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} or playwright is missing in CI: .ci/run must install them")
        pytest.skip(f"{CHROMIUM} or the playwright package is not installed (apt-get install chromium)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def _served(folder: Path) -> Iterator[str]:
    """A built site served on a free local port; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site, built and served on a local port; yields its base URL."""
    _require_browser()
    with _served(built(copy_site("example", tmp_path_factory.mktemp("example")))) as base:
        yield base


def _large_journey() -> str:
    """8 phases, 40 steps, 10 lanes of Japanese text: the size a map must stay readable at."""
    words = ["初期設定", "管理者が", "社員データを", "取り込み", "ダッシュボードで", "打刻状況を", "確認し、",
             "問い合わせ窓口に", "相談する", "締め作業の", "手順書を", "見直す"]
    lines = ["id: large", "title: 大規模ジャーニー", "personas: [admin]", "goal: 全フェーズを通して定着する",
             "owner: cs", "phases:"]
    for p in range(8):
        lines += [f"  - id: p{p}", f"    name: フェーズ{p + 1}・{words[p]}", f"    goal: {''.join(words[p:p + 4])}",
                  "    steps:"]
        lines += [f"      - {{id: s{p}-{k}, name: {words[(p + k) % 12]}{words[(p + k + 3) % 12]}}}" for k in range(5)]
    lines.append("lanes:")
    kinds = ["actions", "information", "measures", "pain_points", "gain_points", "text", "text"]
    for i, kind in enumerate(kinds):
        lines += [f"  - kind: {kind}"] + (["    title: 機会"] if kind == "text" else []) + ["    cells:"]
        lines += [f"      s{p}-{k}: {''.join(words[(p * 5 + k + j) % 12] for j in range(3 + (k + i) % 5))}"
                  for p in range(8) for k in range(5)]
    lines += ["  - kind: emotions", "    cells:"]
    lines += [f"      s{p}-{k}: {{score: {(p + k) % 5 - 2}, label: {words[k]}}}" for p in range(8) for k in range(5)]
    lines += ["  - kind: touchpoints", "    cells:"] + [f"      p{p}: [welcome-mail]" for p in range(8)]
    lines += ["  - kind: departments", "    cells:"] + [f"      p{p}: [cs, sales]" for p in range(8)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    site = copy_site("mini", tmp_path_factory.mktemp("large"))
    (site / "journeys/maps/large.yml").write_text(_large_journey(), encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: ja"), encoding="utf-8")
    with _served(built(site)) as base:
        yield base + "map/journeys/large/"


def test_large_journey_stays_readable(browser, large_site: str) -> None:
    """8 phases, 40 steps, 10 lanes: no cell overflows, titles stay visible, one A3 page in print."""
    ctx, page, errors = _open(browser, large_site)
    assert page.locator("table.tabiji-swimlane tbody tr").count() == 10
    assert page.locator("table.tabiji-swimlane thead tr.tabiji-steps th").count() == 40
    overflowing = page.evaluate("""() => [...document.querySelectorAll('table.tabiji-swimlane td, table.tabiji-swimlane th')]
        .filter(c => !c.closest('.tabiji-lane--emotions') && c.scrollWidth > c.clientWidth + 1).length""")
    assert overflowing == 0
    page.screenshot(path=str(ARTIFACTS / "journey-large.png"))
    _assert_one_a3_page(page, large_site)
    assert errors == []
    ctx.close()


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _first_journey(base: str, page) -> str:
    page.goto(base + "map/journeys/")
    return page.locator("table.tabiji-table a").first.evaluate("a => a.href")  # resolved, absolute


def _open(browser, url: str, **context):
    ctx = browser.new_context(viewport=context.pop("viewport", {"width": 1400, "height": 900}), **context)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # a request aborted because the test navigated on is not a failure of the site
    page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url} {req.failure}")
            if req.failure != "net::ERR_ABORTED" else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return ctx, page, errors


def test_journey_page_shows_the_diagram_without_errors(browser, example_site: str) -> None:
    ctx, page, errors = _open(browser, example_site)
    url = _first_journey(example_site, page)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    diagram = page.locator("table.tabiji-swimlane").first
    assert diagram.is_visible()
    box = diagram.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    assert page.locator("table.tabiji-swimlane th[scope=row]").count() >= 7
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "journey.png"), full_page=True)
    assert errors == []
    ctx.close()


def test_japanese_renders_with_a_cjk_font(browser, example_site: str) -> None:
    ctx, page, _ = _open(browser, example_site)
    page.goto(_first_journey(example_site, page))
    cell = page.locator("table.tabiji-swimlane td").first
    # a CJK glyph in a real font is about 1em wide; tofu or a missing font shows otherwise
    width = page.evaluate("""() => {
        const family = getComputedStyle(document.querySelector('table.tabiji-swimlane td')).fontFamily;
        const s = document.createElement('span'); s.textContent = '旅路旅路旅路旅路旅路';
        s.style.cssText = `font: 20px ${family}; position: absolute; white-space: nowrap`;
        document.body.appendChild(s);
        const w = s.getBoundingClientRect().width; s.remove(); return w; }""")
    assert 190 <= width <= 210, width
    assert cell.is_visible()
    ctx.close()


def test_cells_never_overflow(browser, example_site: str) -> None:
    ctx, page, _ = _open(browser, example_site)
    page.goto(_first_journey(example_site, page))
    overflowing = page.evaluate("""() => [...document.querySelectorAll('table.tabiji-swimlane td, table.tabiji-swimlane th')]
        .filter(c => !c.closest('.tabiji-lane--emotions') && c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 40))""")
    assert overflowing == []
    ctx.close()


def test_lane_titles_stay_visible_when_scrolled_sideways(browser, example_site: str) -> None:
    ctx, page, _ = _open(browser, example_site, viewport={"width": 375, "height": 800})
    page.goto(_first_journey(example_site, page))
    scroller = page.locator(".tabiji-scroll").first
    scroller.scroll_into_view_if_needed()
    title = page.locator("table.tabiji-swimlane th[scope=row]").first
    before = title.bounding_box()
    scrolled = scroller.evaluate("el => { el.scrollLeft = 600; return el.scrollLeft; }")
    assert scrolled > 100, "the diagram should be wider than a phone screen"
    page.wait_for_timeout(100)
    after = title.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(ARTIFACTS / "journey-mobile.png"))
    ctx.close()


def test_diagram_works_without_javascript(browser, example_site: str) -> None:
    ctx, page, errors = _open(browser, example_site, java_script_enabled=False)
    page.goto(_first_journey(example_site, page))
    assert page.locator("table.tabiji-swimlane").first.is_visible()
    assert page.locator("table.tabiji-swimlane a").count() > 3
    assert page.locator("table.tabiji-swimlane svg").count() > 0  # the emotion curve
    ctx.close()


def test_dark_palette_screenshot(browser, example_site: str) -> None:
    ctx, page, _ = _open(browser, example_site, color_scheme="dark")
    page.goto(_first_journey(example_site, page))
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    cell_colour = page.locator("table.tabiji-swimlane td").first.evaluate("el => getComputedStyle(el).color")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert cell_colour != background
    page.screenshot(path=str(ARTIFACTS / "journey-dark.png"), full_page=True)
    ctx.close()


def test_diagram_prints_on_one_a3_landscape_page(browser, example_site: str) -> None:
    """Printed on A3 landscape, each table's first and last rows land on the same PDF page."""
    ctx, page, _ = _open(browser, example_site + "map/journeys/")
    journeys = page.locator("table.tabiji-table tbody tr td:first-child a").evaluate_all("as => as.map(a => a.href)")
    assert len(journeys) >= 3
    for url in journeys:
        _assert_one_a3_page(page, url)
    ctx.close()


def _assert_one_a3_page(page, url: str) -> None:
    from pypdf import PdfReader

    page.goto(url)
    page.evaluate("""() => { const rows = document.querySelectorAll('table.tabiji-swimlane tbody th[scope=row]');
        rows[0].append(' ZQF'); rows[rows.length - 1].append(' ZQL'); }""")
    pdf = page.pdf(format="A3", landscape=True, print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = url.rstrip("/").rsplit("/", 1)[-1]
    (ARTIFACTS / f"journey-{name}-a3.pdf").write_bytes(pdf)
    texts = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(ARTIFACTS / f"journey-{name}-a3.pdf").pages]
    first = [i for i, t in enumerate(texts) if "ZQF" in t]
    last = [i for i, t in enumerate(texts) if "ZQL" in t]
    assert first and first == last, f"{name}: first row on pages {first}, last row on pages {last} of {len(texts)}"
