"""PDF and PNG of a journey, a roadmap or a playbook: the site's own page, printed by Debian's
Chromium with the site's print styles, offline.

The page comes from the real renderer: ``mkdocs build`` of the site (a child process, so
this module does not import MkDocs) into a temporary folder, opened from disk. Every request
that is not a file of that build is refused, so nothing is fetched from the network.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from tabiji.core.paths import Paths
from tabiji.exchange.errors import ExportError

CHROMIUM = os.environ.get("TABIJI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
# A3 landscape minus the 10 mm margins of the site's @page rule, in CSS px (96 per inch)
A3_WIDTH_PX = 1512
A4_WIDTH_PX = 703
INSTALL = "install it with 'sudo apt-get install chromium' (Debian/Ubuntu) or set TABIJI_CHROMIUM to its path"


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV: read them as nothing."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _prefix(config: Path) -> str:
    """The plugin's page prefix from mkdocs.yml (default 'map')."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    except (OSError, yaml.YAMLError):
        return "map"
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("tabiji"), dict):
            return plugin["tabiji"].get("prefix") or "map"
    return "map"


def _has_mkdocs() -> bool:
    try:
        return importlib.util.find_spec("mkdocs") is not None
    except (ImportError, ValueError):
        return False


def build_site(config: Path, into: Path) -> None:
    """``mkdocs build`` of the site into ``into``; its messages become the error when it fails."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if not _has_mkdocs():  # the engines are extras (pip install "tabiji[mkdocs]")
        raise ExportError("pdf and png print the page MkDocs builds, and MkDocs is not installed: "
                          "pip install \"tabiji[mkdocs]\" (or export another format)")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(into)],
                          capture_output=True, text=True, env=env, cwd=config.parent or None)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise ExportError(f"building the site with {config} failed:\n{tail}")


def page_file(site_dir: Path, kind: str, id_: str, prefix: str) -> Path:
    paths = Paths(prefix=prefix)
    collection = {"journey": "journeys", "roadmap": "roadmaps", "playbook": "playbooks"}[kind]
    url = paths.url(paths.doc(collection, id_))
    return site_dir / url / "index.html"


def print_page(kind: str, id_: str, fmt: str, config: Path, source: Path) -> bytes:
    if not config.is_file():
        raise ExportError(f"{config} not found: pdf and png print the site's page, so they need its mkdocs.yml "
                          "(give it with -f)")
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        raise ExportError(f"Chromium not found at {CHROMIUM}; {INSTALL}")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dependency of tabiji
        raise ExportError("the Python package 'playwright' is missing (pip install playwright)") from None
    with tempfile.TemporaryDirectory(prefix="tabiji-print-") as tmp:
        site_dir = Path(tmp) / "site"
        build_site(config.resolve(), site_dir)
        html = page_file(site_dir, kind, id_, _prefix(config))
        if not html.is_file():
            raise ExportError(f"the site has no page for {kind} '{id_}' ({html.relative_to(site_dir)})")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    return _capture(browser, html, site_dir, kind, fmt)
                finally:
                    browser.close()
        except PlaywrightError as err:
            raise ExportError(f"Chromium could not print the page: {str(err).splitlines()[0]}") from None


def _capture(browser, html: Path, site_dir: Path, kind: str, fmt: str) -> bytes:
    wide = kind != "playbook"
    ctx = browser.new_context(viewport={"width": A3_WIDTH_PX if wide else A4_WIDTH_PX, "height": 1000},
                              device_scale_factor=2 if fmt == "png" else 1, color_scheme="light",
                              java_script_enabled=True, service_workers="block")
    root = site_dir.resolve().as_uri()
    # offline: only files of this build load
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(root)
              else route.abort())
    page = ctx.new_page()
    page.goto(html.resolve().as_uri(), wait_until="load")
    page.emulate_media(media="print")
    page.evaluate("document.fonts.ready")
    if fmt == "pdf":
        data = page.pdf(format="A3" if wide else "A4", landscape=wide, prefer_css_page_size=True,
                        print_background=True)
    else:
        target = page.locator(".tabiji-swimlane-wrap, .tabiji-roadmap-wrap").first if wide else None
        if target is not None and target.count():
            data = target.screenshot(type="png", animations="disabled")
        else:
            data = page.screenshot(type="png", full_page=True, animations="disabled")
    ctx.close()
    return data
