"""`mkdocs serve` rebuilds when a YAML source changes and survives invalid sources."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ENV


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, predicate, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _get(url)
            if predicate(last):
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting on {url}; last page had {len(last)} characters")


def test_serve_rebuilds_on_yaml_change_and_keeps_running_on_errors(mini: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
        cwd=mini, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/mini/"
    journey = mini / "journeys/maps/onboarding.yml"
    original = journey.read_text(encoding="utf-8")
    try:
        _wait_for(base + "map/journeys/onboarding/", lambda html: "Signs the contract" in html)
        journey.write_text(original.replace("Signs the contract", "Signs the order form"), encoding="utf-8")
        _wait_for(base + "map/journeys/onboarding/", lambda html: "Signs the order form" in html)
        journey.write_text(original.replace("personas: [admin]", "personas: [admn]"), encoding="utf-8")
        home = _wait_for(base + "map/", lambda html: "unknown persona" in html)
        assert "did you mean &#x27;admin&#x27;?" in home or "did you mean 'admin'?" in home
        # the last valid map is still served while the sources are broken
        assert "Signs the order form" in _get(base + "map/journeys/onboarding/")
        journey.write_text(original, encoding="utf-8")
        _wait_for(base + "map/", lambda html: "unknown persona" not in html)
        assert server.poll() is None, "the server stopped"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
    assert "journeys/maps/onboarding.yml:3:12: personas[0]: expected the id of a persona" in output


def test_serve_follows_the_source_folder_when_it_is_moved_away_and_back(mini: Path) -> None:
    """Moving journeys/ away shows the problem on the home page; after moving it back (or
    putting a copy in its place) later edits are rebuilt again, without a restart."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
        cwd=mini, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/mini/"
    page = base + "map/journeys/onboarding/"
    source, away = mini / "journeys", mini / "journeys-away"
    journey = source / "maps/onboarding.yml"
    original = journey.read_text(encoding="utf-8")
    try:
        _wait_for(page, lambda html: "Signs the contract" in html)
        source.rename(away)
        home = _wait_for(base + "map/", lambda html: "no such folder" in html)
        assert "journeys" in home
        away.rename(source)
        _wait_for(base + "map/", lambda html: "no such folder" not in html)
        journey.write_text(original.replace("Signs the contract", "Signs the order form"), encoding="utf-8")
        _wait_for(page, lambda html: "Signs the order form" in html)
        # a fresh folder in its place (as a branch switch or a restore from backup makes)
        shutil.copytree(source, away)
        shutil.rmtree(source)
        away.rename(source)
        journey.write_text(original.replace("Signs the contract", "Signs in person"), encoding="utf-8")
        _wait_for(page, lambda html: "Signs in person" in html)
        assert server.poll() is None, "the server stopped"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
