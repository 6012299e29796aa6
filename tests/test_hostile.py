"""Text pasted from anywhere is shown as text: names and cells never become markup or script.

MkDocs and Material write page titles, section titles and descriptions into their HTML as
they are, so every name the plugin hands them must already be escaped.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from conftest import built, text_of

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


class _Active(HTMLParser):
    """Collects what a browser would run: script bodies, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data.strip()[:60]}")


def active_content(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    return parser.found


def _edit(path: Path, pairs: list[tuple[str, str]]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_markup_in_names_and_cells_is_shown_as_text(mini: Path) -> None:
    src = mini / "journeys"
    quoted = SCRIPT.replace('"', '\\"')
    _edit(src / "maps/onboarding.yml", [
        ("title: Onboarding", f'title: "Onboarding {quoted} \\"q\\" & co"'),
        ("goal: The customer finishes", f"goal: '[x](javascript:alert(3)) {IMG} The customer finishes"),
        ("setup and uses the product weekly.", "setup and uses the product weekly.'"),
        ("name: Sign-up", f'name: "Sign-up {quoted}"'),
        ("signup: Signs the contract", f"signup: '{IMG} Signs [the contract](javascript:alert(4))'"),
    ])
    _edit(src / "personas/admin.yml", [("name: Alex, the IT admin", f'name: "Alex {quoted}"')])
    _edit(src / "catalog/catalog.yml", [
        ("    name: Sales", f'    name: "Sales {quoted}"'),
        ("    name: Activation rate", f"    name: '{IMG} Activation rate'"),
    ])
    (mini / "mkdocs.yml").write_text((mini / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - search\n", "  - search\n  - tags\n"), encoding="utf-8")
    (mini / "docs/index.md").write_text("# Home\n\nSee [](journey:onboarding) and [](persona:admin).\n",
                                        encoding="utf-8")
    site = built(mini)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        assert active_content(page.read_text(encoding="utf-8")) == [], page.relative_to(site)
    journey = (site / "map/journeys/onboarding/index.html").read_text(encoding="utf-8")
    # Shown as typed: the parsed page text contains the markup as characters.
    assert f'Onboarding {SCRIPT} "q" & co' in _unescaped_text(journey)
    assert "Sign-up " + SCRIPT in _unescaped_text(journey)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f"Onboarding {SCRIPT}" in _unescaped_text(home)
    svg = (site / "map/journeys/onboarding.svg").read_text(encoding="utf-8")
    assert "<script" not in svg and "onerror=" not in svg.replace("onerror=&quot;", "")


def _unescaped_text(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(text_of(html))
