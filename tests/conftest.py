"""Shared helpers: copy a fixture site to a temp folder and build it with the real MkDocs."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def copy_site(name_or_path: str | Path, dest: Path) -> Path:
    """Copy a fixture (or the example at the repo root) to ``dest``; returns the site folder."""
    if name_or_path == "example":
        dest.mkdir(parents=True, exist_ok=True)
        for part in ("mkdocs.yml", "docs", "journeys", "schema"):
            src = ROOT / part
            (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / part)
        return dest
    shutil.copytree(FIXTURES / name_or_path, dest, dirs_exist_ok=True)
    return dest


def run_build(site: Path, *args: str, tool: str = "mkdocs", out: str = "site") -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` (or ProperDocs) run the way a user runs it."""
    command = [sys.executable, "-m", tool, "build", "--strict", "-f", "mkdocs.yml", "-d", out, *args]
    return subprocess.run(command, cwd=site, capture_output=True, text=True, env=ENV, timeout=600)


def built(site: Path, *args: str) -> Path:
    result = run_build(site, *args)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site / "site"


def tree_digest(folder: Path, suffixes: tuple[str, ...] = ()) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and (not suffixes or p.suffix in suffixes)}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append(a[key])


def parse_links(html: str) -> tuple[list[str], set[str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links, parser.ids


def broken_links(site_dir: Path) -> list[str]:
    """Every internal link and anchor in every HTML page, checked against the built files."""
    # 404.html uses site-absolute URLs on purpose (it is served for any path)
    pages = {p: parse_links(p.read_text(encoding="utf-8")) for p in site_dir.rglob("*.html") if p.name != "404.html"}
    broken = []
    for page, (links, _) in pages.items():
        for link in links:
            if urlsplit(link).scheme or link.startswith(("//", "mailto:")):
                continue
            path, fragment = urldefrag(link)
            target = (page.parent / unquote(path)).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site_dir)} -> {link}")
            elif fragment and target.suffix == ".html":
                ids = pages.get(target, (None, set()))[1]
                if fragment not in ids:
                    broken.append(f"{page.relative_to(site_dir)} -> {link} (no anchor)")
    return broken


def text_of(html: str) -> str:
    # <wbr> (a phrase break) joins the text around it; every other tag separates words
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("<wbr>", "")))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_site("mini", tmp_path / "mini")


# ---------------------------------------------------------------- review: git repositories


def git(repo: Path, *args: str, date: str | None = None, author: str = "t") -> str:
    """Run git in ``repo`` as a test author; ``date`` (YYYY-MM-DD) dates the commit."""
    env = {**ENV, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    done = subprocess.run(["git", "-c", f"user.name={author}", "-c", "user.email=t@t", "-c", "init.defaultBranch=main",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit_all(repo: Path, message: str, date: str | None = None, author: str = "t") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date, author=author)


@pytest.fixture(scope="session")
def example_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per test session (per xdist worker); returns the site
    folder. Tests read it and must not change it."""
    return built(copy_site("example", tmp_path_factory.mktemp("example-site")))
