"""The whole built example site in a real browser (Debian's Chromium through Playwright).

One build and one server per test session (per xdist worker). Every page is visited by a
crawl from the home page; heavier checks (axe-core, screenshots, print) run on one page of
each *page type*, found from the URL (``map/journeys/<id>/`` is type ``journeys``,
``map/journeys/`` is ``journeys-index``, ``guide/...`` is ``guide``), so page types added
later are covered without touching this file.

Skipped with a reason without Chromium on a developer machine; in CI a failure.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from conftest import built, copy_site
from test_browser import ARTIFACTS, _require_browser, _served, browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "site"
LOCAL = "127.0.0.1"


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def example_url(example_built: Path) -> Iterator[str]:
    _require_browser()
    with _served(example_built) as base:
        yield base


class Visit:
    """A browser context that records console errors, failed requests and every request
    to a host other than 127.0.0.1 (those are aborted: the site must not need them)."""

    def __init__(self, browser, **options) -> None:
        options.setdefault("viewport", {"width": 1400, "height": 900})
        self.ctx = browser.new_context(**options)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.ctx.route("**/*", self._route)
        self.ctx.on("requestfailed", self._failed)
        self.page = self.ctx.new_page()
        self.page.on("console", lambda m: self.errors.append(f"{self.page.url}: console: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))
        self.page.on("dialog", lambda d: (self.errors.append(f"{self.page.url}: dialog {d.message!r}"),
                                          d.dismiss()))

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname == LOCAL:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _failed(self, request) -> None:
        # requests cut short because the test navigated on are not failures of the site,
        # nor are the outside requests we aborted (reported on their own)
        if request.failure != "net::ERR_ABORTED" and urlsplit(request.url).hostname == LOCAL:
            self.errors.append(f"request failed: {request.url} {request.failure}")

    def go(self, url: str, wait: str = "load"):
        response = self.page.goto(url, wait_until=wait)
        if response is None or response.status >= 400:
            self.errors.append(f"{url}: HTTP {response.status if response else 'no response'}")
        return self.page

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_(**options) -> Visit:
        opened.append(Visit(browser, **options))
        return opened[-1]

    yield open_
    for v in opened:
        v.close()


def built_pages(site: Path) -> set[str]:
    """Site-relative URLs of every built page (directory URLs), 404 page aside."""
    urls = set()
    for file in site.rglob("index.html"):
        rel = file.parent.relative_to(site).as_posix()
        urls.add("" if rel == "." else rel + "/")
    return urls


def page_type(url: str) -> str:
    """``map/journeys/x/`` -> journeys; ``map/journeys/`` -> journeys-index; ``map/`` -> map;
    ``guide/writing/`` -> guide; ``""`` -> home."""
    parts = [p for p in url.split("/") if p]
    if not parts:
        return "home"
    if parts[0] == "map":
        if len(parts) == 1:
            return "map"
        return parts[1] if len(parts) > 2 else f"{parts[1]}-index"
    return parts[0]


def of_type(site: Path, kind: str) -> list[str]:
    return sorted(u for u in built_pages(site) if page_type(u) == kind)


def one_per_type(site: Path) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for url in sorted(built_pages(site)):
        chosen.setdefault(page_type(url), url)
    return chosen


# ------------------------------------------------------------------ the crawl


def test_crawl_reaches_every_page_without_errors_or_outside_requests(visit, example_url: str,
                                                                     example_built: Path) -> None:
    """From the home page, follow every link on the site: each page loads with no console
    error, no failed request and no request to another host; every link and #anchor resolves."""
    v = visit()
    seen: dict[str, set[str]] = {}  # page path -> ids on it
    anchors: list[tuple[str, str, str]] = []  # (from page, to page, fragment)
    queue = deque([""])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        page = v.go(example_url + path)
        found = page.evaluate("""() => ({
            ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
            links: [...document.querySelectorAll('a[href]')].map(a => a.href)})""")
        seen[path] = set(found["ids"])
        for href in found["links"]:
            target, fragment = urldefrag(href)
            if not target.startswith(example_url):
                continue
            rel = target[len(example_url):]
            if rel.endswith("/index.html"):
                rel = rel[: -len("index.html")]
            if rel.endswith((".svg", ".png", ".xml", ".json", ".gz")):
                continue  # files, not pages; existence checked below
            if fragment:
                anchors.append((path, rel, unquote(fragment)))
            if rel not in seen:
                queue.append(rel)
    v.page.wait_for_load_state("networkidle", timeout=120_000)  # generous: 2 busy cores
    assert v.errors == []
    assert v.outside == [], "requests outside the site (closed company networks would break them)"
    missing = built_pages(example_built) - set(seen)
    assert not missing, f"pages no link leads to: {sorted(missing)}"
    sitemap = {urlsplit(loc.text).path for loc in ET.parse(example_built / "sitemap.xml").getroot().iter()
               if loc.tag.endswith("loc")}
    assert {p.lstrip("/") for p in sitemap} <= set(seen)
    assert len(seen) >= 40
    unresolved = [f"{src or '/'} -> {dst}#{frag}" for src, dst, frag in anchors
                  if dst in seen and frag not in seen[dst]]
    assert unresolved == []


def test_files_linked_from_pages_exist(visit, example_url: str, example_built: Path) -> None:
    """The standalone SVGs and images the pages link to are served (not 404)."""
    v = visit()
    journeys = of_type(example_built, "journeys")
    assert journeys
    for url in journeys:
        v.go(example_url + url)
        files = v.page.evaluate("""() => [...document.querySelectorAll('a[href$=".svg"], img[src]')]
            .map(e => e.href || e.src)""")
        assert any(f.endswith(".svg") for f in files)
        for f in files:
            if f.startswith(example_url):
                assert v.page.request.get(f).status == 200, f
    assert v.errors == [] and v.outside == []


# ------------------------------------------------------------------ search


def _search(page, query: str) -> list[str]:
    """Type into Material's search box; the hrefs of the results."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # a narrow screen shows a search button instead of the box
        page.locator("label[for=__search]").first.click()
    box.click()
    box.fill("")
    box.type(query, delay=20)
    page.wait_for_function("""() => {
        const meta = document.querySelector('.md-search-result__meta');
        return document.querySelectorAll('.md-search-result__item').length > 0
            || (meta && /\\d|no |ない|見つかり/i.test(meta.textContent) && !/^\\s*$/.test(meta.textContent)); }""",
                           timeout=15000)
    return page.locator(".md-search-result__item > a, .md-search-result__link").evaluate_all(
        "as => [...new Set(as.map(a => a.href.split('#')[0].split('?')[0]))]")


def _unique_word(site: Path, pattern: str) -> tuple[str, str]:
    """A word of the journeys' cells that occurs in exactly one page of the search index;
    returns (word, that journey's URL)."""
    import json

    from tabiji.render.text import localize
    from tabiji.source.validate import load_site

    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    lang = index["config"]["lang"][0]
    text_by_page: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        text_by_page[page] = text_by_page.get(page, "") + " " + doc["title"] + " " + doc["text"]
    sources = load_site(site.parent / "journeys")
    for journey in sources.journeys.values():
        words: list[str] = []
        for lane in journey.lanes:
            if lane.kind in ("actions", "information", "measures", "pain_points", "gain_points", "text"):
                for cell in lane.cells.values():
                    for text in cell if isinstance(cell, list) else [cell]:
                        words += re.findall(pattern, localize(text, lang))
        for word in words:
            pages = [p for p, t in text_by_page.items() if word in t]
            if pages == [f"map/journeys/{journey.id}/"]:
                return word, pages[0]
    raise AssertionError("no word of a journey's cells is unique to its page; pick other test data")


def test_japanese_search_finds_the_journey(visit, example_url: str, example_built: Path) -> None:
    word, url = _unique_word(example_built, r"[\u30a1-\u30fa\u30fc]{4,}")  # a katakana word
    v = visit()
    results = _search(v.go(example_url), word)
    assert example_url + url in results, (word, results)
    assert v.errors == [] and v.outside == []


def test_english_search_on_an_english_build(visit, tmp_path: Path) -> None:
    """A second journey whose cells hold a word no other page has; searching for it on an
    English build finds that journey and not the other. (Material adds a trailing wildcard
    to each query term, which lunr does not stem: an inflected form such as 'signs' finds
    nothing, so the word is in its base form.)"""
    site = copy_site("mini", tmp_path / "mini")
    journey = (site / "journeys/maps/onboarding.yml").read_text(encoding="utf-8")
    other = journey.replace("id: onboarding", "id: renewal").replace("title: Onboarding", "title: Renewal")
    for old, new in (("Signs the contract", "Approves the budget"), ("Invites the team", "Asks for a discount"),
                     ("Sets up SSO", "Renews the subscription")):
        assert old in other
        other = other.replace(old, new)
    (site / "journeys/maps/renewal.yml").write_text(other, encoding="utf-8")
    out = built(site)
    assert '<html lang="en"' in (out / "index.html").read_text(encoding="utf-8")
    word, url = _unique_word(out, r"budget")
    with _served(out) as base:
        v = visit()
        results = _search(v.go(base), word)
        assert results and base + url in results, (word, results)
        assert not any("onboarding" in r for r in results), results
        assert v.errors == [] and v.outside == []


# ------------------------------------------------------------------ accessibility


# Material's own markup, not ours, and nothing a site can change without overriding the theme:
# its search overlay is a role="dialog" without an accessible name. Only that rule on that
# element is excused; anything else on it, or that rule anywhere else, still fails.
AXE_ALLOWED = {("aria-dialog-name", ".md-search")}


def test_axe_finds_no_serious_violation_on_any_page_type(visit, example_url: str, example_built: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    v = visit()
    found = []
    for kind, url in one_per_type(example_built).items():
        page = v.go(example_url + url)
        result = axe.run(page)
        for violation in result.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = [n for n in violation["nodes"]
                         if (violation["id"], ", ".join(map(str, n["target"]))) not in AXE_ALLOWED]
                if not nodes:
                    continue
                targets = [", ".join(map(str, n["target"])) for n in nodes[:3]]
                found.append(f"{kind} ({url}): {violation['id']}: {violation['help']} at {targets}")
    assert found == [], "\n".join(found)
    assert v.errors == []


def test_every_diagram_link_is_reachable_with_tab_and_visibly_focused(visit, example_url: str,
                                                                     example_built: Path) -> None:
    v = visit()
    page = v.go(example_url + of_type(example_built, "journeys")[0])
    links = page.locator(".tabiji-swimlane-wrap a").count()
    assert links > 10
    page.evaluate("() => { document.querySelectorAll('.tabiji-swimlane-wrap a').forEach((a, i) => "
                  "a.dataset.tabijiTab = i); }")
    focusable = page.evaluate("() => document.querySelectorAll('a[href], button, input, [tabindex]').length")
    reached: set[str] = set()
    unfocused: list[str] = []
    page.locator("body").focus()
    for _ in range(focusable + 20):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => { const el = document.activeElement;
            if (!el || el.dataset.tabijiTab === undefined) return null;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
            const shadow = s.boxShadow && s.boxShadow !== 'none';
            return {i: el.dataset.tabijiTab, visible: outline || shadow, text: el.textContent}; }""")
        if state:
            reached.add(state["i"])
            if not state["visible"]:
                unfocused.append(state["text"])
        if len(reached) == links:
            break
    assert len(reached) == links, f"{links - len(reached)} diagram links not reached with Tab"
    assert unfocused == []


# ------------------------------------------------------------------ dark mode


CONTRAST_JS = """() => {
  const parse = c => { // rgb(a)(...) or color(srgb r g b / a), as Chromium computes colours
      let m = c.match(/^rgba?\\(([^)]+)\\)/), scale = 1;
      if (!m) { m = c.match(/^color\\(srgb ([^)]+)\\)/); scale = 255; }
      if (!m) return null;
      const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
      return [p[0] * scale, p[1] * scale, p[2] * scale, p.length > 3 ? p[3] : 1]; };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat([1]);
  const background = el => { const layers = [];
      for (let e = el; e; e = e.parentElement) {
          const s = getComputedStyle(e);
          // a flat tint drawn as linear-gradient(c, c) over the background colour (lane titles)
          const tint = s.backgroundSize === 'auto' && s.backgroundImage.match(/^linear-gradient\\((rgba?\\([^)]+\\)|color\\([^)]+\\))/);
          if (tint && parse(tint[1])) layers.push(parse(tint[1]));
          const c = parse(s.backgroundColor); if (c && c[3] > 0) layers.push(c);
          if (c && c[3] >= 1) break; }
      let bg = [255, 255, 255, 1];
      for (const c of layers.reverse()) bg = over(c, bg);
      return bg; };
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255;
      return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
      return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const ratio = (a, b) => { const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x); return (l1 + 0.05) / (l2 + 0.05); };
  const out = [];
  const wrap = document.querySelector('.tabiji-swimlane-wrap');
  for (const el of wrap.querySelectorAll('*')) {
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.display === 'none' || el.closest('.tabiji-sr-only')) continue;
      const bg = background(el instanceof SVGElement ? el.closest('div,td,th') : el);
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (own && !(el instanceof SVGElement)) {
          const fg = over(parse(s.color), bg);
          out.push({what: 'text', tag: el.tagName, text: el.textContent.trim().slice(0, 30), ratio: ratio(fg, bg)}); }
      if (el instanceof SVGGeometryElement && s.stroke !== 'none') {
          const fg = over(parse(s.stroke), bg);
          out.push({what: 'line', tag: el.tagName, text: el.getAttribute('class') || '', ratio: ratio(fg, bg)}); }
      if (el.classList.contains('tabiji-dot')) {
          const fg = over(parse(s.backgroundColor), background(el.parentElement));
          out.push({what: 'dot', tag: el.tagName, text: el.className, ratio: ratio(fg, background(el.parentElement))}); }
  }
  return {scheme: document.body.getAttribute('data-md-color-scheme'), checks: out};
}"""


def test_dark_mode_diagram_text_and_lines_keep_contrast(visit, example_url: str, example_built: Path) -> None:
    v = visit(color_scheme="dark")
    for url in of_type(example_built, "journeys"):
        result = v.go(example_url + url).evaluate(CONTRAST_JS)
        assert result["scheme"] == "slate", "prefers-color-scheme: dark should select Material's slate palette"
        kinds = {c["what"] for c in result["checks"]}
        assert {"text", "line", "dot"} <= kinds
        low = sorted({f"{c['what']} {c['tag']} {c['text']!r}: {c['ratio']:.2f}" for c in result["checks"]
                      if c["ratio"] < (3 if c["what"] == "dot" else 4.5)})
        assert low == [], f"{url}:\n" + "\n".join(low)
    assert v.errors == []


# ------------------------------------------------------------------ print


def test_print_keeps_every_cell_unclipped_on_a3(visit, example_url: str, example_built: Path) -> None:
    """In print layout at A3 landscape width, the table fits the page and no cell's text is
    cut off (one-page placement is checked in test_browser)."""
    v = visit(viewport={"width": 1512, "height": 1047})  # A3 landscape minus 10 mm margins, in CSS px
    for url in of_type(example_built, "journeys"):
        page = v.go(example_url + url)
        page.emulate_media(media="print")
        result = page.evaluate("""() => {
            const table = document.querySelector('table.tabiji-swimlane');
            const cells = [...table.querySelectorAll('td, th')];
            const clipped = cells.filter(c => c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1)
                .map(c => c.textContent.trim().slice(0, 30));
            const hidden = [...table.querySelectorAll('td *, th *')].filter(e => {
                const s = getComputedStyle(e); return (s.overflow === 'hidden' || s.textOverflow === 'ellipsis')
                    && !e.closest('.tabiji-sr-only') && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1); })
                .map(e => e.textContent.trim().slice(0, 30));
            return {right: table.getBoundingClientRect().right, width: document.documentElement.clientWidth,
                    clipped, hidden}; }""")
        assert result["clipped"] == [] and result["hidden"] == [], url
        assert result["right"] <= result["width"] + 1, url
        page.emulate_media(media="screen")


def test_persona_prints_on_a4(visit, example_url: str, example_built: Path) -> None:
    from pypdf import PdfReader

    persona = of_type(example_built, "personas")[0]
    v = visit()
    page = v.go(example_url + persona)
    name = page.locator("h1").first.evaluate("h => h.firstChild.textContent")  # without the ¶ permalink
    pdf = page.pdf(format="A4", print_background=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "persona-a4.pdf").write_bytes(pdf)
    reader = PdfReader(SHOTS / "persona-a4.pdf")
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2  # A4 portrait, in points
    assert 1 <= len(reader.pages) <= 4
    # NFKC: the PDF's text layer may use CJK radicals or compatibility forms for some kanji
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages)))
    assert re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)) in text
    # nothing wider than the A4 page in print layout
    page.set_viewport_size({"width": 718, "height": 1047})  # A4 minus default margins, in CSS px
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


# ------------------------------------------------------------------ screenshots and phones


def test_screenshots_of_every_page_type_and_no_sideways_overflow_on_a_phone(visit, example_url: str,
                                                                            example_built: Path) -> None:
    """Light, dark and 375 px screenshots of each page type go to test-artifacts/site/ for a
    person to look at; on the phone, the page itself never scrolls sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    modes = {"light": {}, "dark": {"color_scheme": "dark"},
             "mobile": {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "has_touch": True}}
    overflowing = []
    visits = {mode: visit(**options) for mode, options in modes.items()}
    for kind, url in one_per_type(example_built).items():
        for mode, v in visits.items():
            page = v.go(example_url + url)
            # the whole page, up to 3,000 px (the long writer's guide would take seconds per shot)
            height = min(3000, page.evaluate("document.documentElement.scrollHeight"))
            size = page.viewport_size
            page.screenshot(path=str(SHOTS / f"{kind}-{mode}.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": size["width"], "height": height})
            if mode == "mobile":
                width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
                if width[0] > width[1] + 1:
                    overflowing.append(f"{kind} ({url}): {width[0]}px wide on a {width[1]}px screen")
    assert overflowing == []
    assert len(list(SHOTS.glob("*.png"))) >= 3 * len(one_per_type(example_built))
    for v in visits.values():
        assert v.errors == [] and v.outside == []


def test_journey_diagram_scrolls_sideways_on_a_phone_for_every_journey(visit, example_url: str,
                                                                      example_built: Path) -> None:
    """The lane titles stay in place while the diagram scrolls (test_browser checks one journey
    in detail; here every journey)."""
    v = visit(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    for url in of_type(example_built, "journeys"):
        page = v.go(example_url + url)
        result = page.evaluate("""async () => {
            const scroller = document.querySelector('.tabiji-scroll');
            const title = scroller.querySelector('th[scope=row]');
            scroller.scrollIntoView();
            const before = title.getBoundingClientRect().left;
            scroller.scrollLeft = scroller.scrollWidth;
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const after = title.getBoundingClientRect();
            const box = scroller.getBoundingClientRect();
            return {scrolled: scroller.scrollLeft, moved: Math.abs(after.left - before),
                    inside: after.left >= box.left - 1 && after.right <= box.right + 1,
                    page: document.documentElement.scrollWidth - window.innerWidth}; }""")
        assert result["scrolled"] > 100, url
        assert result["moved"] < 2 and result["inside"], url
        assert result["page"] <= 1, url
