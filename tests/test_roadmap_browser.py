"""The roadmap page and its playbook in a real browser (Chromium via Playwright), on the example site."""

from __future__ import annotations

import re

import pytest

from test_browser import ARTIFACTS, _open, browser, example_site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_roadmap_page_without_javascript(browser, example_site: str) -> None:  # noqa: F811
    ctx, page, errors = _open(browser, example_site + "map/roadmaps/hoshiyomi-success/", java_script_enabled=False)
    assert page.locator("h1").first.inner_text().startswith("ホシヨミ勤怠 サクセスロードマップ")
    assert page.locator("#stage-trial").count() == 1  # the swimlane's stage anchors
    assert page.locator(".tabiji-kind--positive").first.is_visible()
    assert page.locator(".tabiji-kind--challenge").first.is_visible()
    term = page.locator("abbr.tabiji-term").first
    assert term.is_visible() and len(term.get_attribute("title") or "") > 10
    overflowing = page.evaluate("""() => [...document.querySelectorAll('table.tabiji-action-table td')]
        .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 40))""")
    assert overflowing == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "roadmap.png"), full_page=True)
    assert errors == []
    ctx.close()


def test_playbook_prints_one_a4_page_per_stage(browser, example_site: str) -> None:  # noqa: F811
    """Each stage starts a page, and its last line is on the same page as its heading."""
    from pypdf import PdfReader

    ctx, page, _ = _open(browser, example_site + "map/playbooks/hoshiyomi-success/")
    stages = page.evaluate("""() => [...document.querySelectorAll('h2.tabiji-playbook-stage')].map((h, i) => {
        h.append(' ZQS' + i);
        const body = h.nextElementSibling;
        const tail = document.createElement('p'); tail.textContent = 'ZQE' + i; body.append(tail);
        return h.id; })""")
    assert len(stages) == 4
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "playbook-a4.pdf").write_bytes(pdf)
    reader = PdfReader(ARTIFACTS / "playbook-a4.pdf")
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes == {(595, 842)}, sizes  # A4 portrait, in points
    texts = [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages]
    for i in range(len(stages)):
        start = [n for n, t in enumerate(texts) if f"ZQS{i}" in t]
        end = [n for n, t in enumerate(texts) if f"ZQE{i}" in t]
        assert start and start == end, f"stage {stages[i]}: starts on pages {start}, ends on {end}"
    starts = [next(n for n, t in enumerate(texts) if f"ZQS{i}" in t) for i in range(len(stages))]
    assert len(set(starts)) == len(stages), starts
    ctx.close()
