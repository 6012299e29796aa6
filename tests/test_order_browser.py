"""The lifecycle overview and the reader's pages in Chromium: screenshots at 1440 px and 375 px
in dark mode (into test-artifacts/order/ for a person to look at), the overview's whole row on
a desktop screen, and no console error on any of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import commit_all, copy_site, git
from test_browser import ARTIFACTS, _require_browser, _served, browser  # noqa: F401  (fixture)
from test_order import build
from test_site import visit  # noqa: F401  (fixture)

SHOTS = ARTIFACTS / "order"
PAGES = {"home": "map/", "lifecycle": "map/lifecycle/", "persona": "map/personas/hr-admin/",
         "department": "map/departments/onboarding/", "kpi": "map/kpis/first-login-rate/",
         "history": "map/history/", "departments": "map/departments/"}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    _require_browser()
    site = copy_site("example", tmp_path_factory.mktemp("order-browser") / "repo")
    git(site, "init", "-q")
    commit_all(site, "The example", "2026-11-01", author="Ann")
    persona = site / "journeys/personas/hr-admin.yml"
    text = persona.read_text(encoding="utf-8")
    persona.write_text(text.replace("ミスを嫌い", "ミスをとても嫌い", 1), encoding="utf-8")
    commit_all(site, "Persona wording", "2026-11-20", author="Bob")
    with _served(build(site)) as base:
        yield base


def test_screenshots_and_the_whole_lifecycle_on_a_desktop_screen(visit, served: str) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    modes = {"1440-dark": {"viewport": {"width": 1440, "height": 900}, "color_scheme": "dark"},
             "1440-light": {"viewport": {"width": 1440, "height": 900}},
             "375-dark": {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "has_touch": True,
                          "color_scheme": "dark"}}
    for mode, options in modes.items():
        v = visit(**options)
        for name, url in PAGES.items():
            page = v.go(served + url)
            page.wait_for_selector("article", timeout=120_000)
            height = min(4000, page.evaluate("document.documentElement.scrollHeight"))
            size = page.viewport_size
            page.screenshot(path=str(SHOTS / f"{name}-{mode}.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": size["width"], "height": height})
            if mode.startswith("375"):  # the page itself never scrolls sideways on a phone
                assert page.evaluate("document.documentElement.scrollWidth") <= 376, (name, mode)
        page = v.go(served + PAGES["lifecycle"])
        row = page.evaluate("""() => { const s = document.querySelector('#all ~ figure .tabiji-lc-scroll')
                                         || document.querySelector('.tabiji-lc-scroll');
                                       return [s.scrollWidth, s.clientWidth]; }""")
        if mode.startswith("1440"):
            assert row[0] <= row[1], f"the lifecycle row scrolls at 1440 px: {row}"
        assert v.errors == [] and v.outside == [], (v.errors, v.outside)
