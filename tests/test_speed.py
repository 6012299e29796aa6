"""The generated HTML waits outside Markdown (rawhtml.py): the pages and the search index
come out as they would if Markdown had parsed it, on every kind of page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import copy_site, run_build
from tabiji.render.rawhtml import anchor_ids, protect, restore, search_text


def _both_ways(site: Path) -> tuple[Path, Path]:
    """The site built with placeholders (the default) and without."""
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^  - tabiji:?$", config, re.M), "the fixture lists the plugin as '  - tabiji'"
    off = re.sub(r"^  - tabiji:?$", "  - tabiji:\n      placeholders: false", config, count=1, flags=re.M)
    (site / "mkdocs-off.yml").write_text(off, encoding="utf-8")
    for name, out in (("mkdocs.yml", "site-on"), ("mkdocs-off.yml", "site-off")):
        result = run_build(site, "-f", name, out=out)
        assert result.returncode == 0, result.stderr
    return site / "site-on", site / "site-off"


def _normal(html: str) -> str:
    """Whitespace between and inside tags is all that may differ (and how a code block's
    newline is written)."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html.replace("&#10;", "\n"))).strip()


def _differences(on: Path, off: Path) -> list[str]:
    pages = sorted(p.relative_to(on) for p in on.rglob("*.html"))
    assert pages == sorted(p.relative_to(off) for p in off.rglob("*.html"))
    return [str(p) for p in pages if _normal((on / p).read_text("utf-8")) != _normal((off / p).read_text("utf-8"))]


def _search(site: Path) -> list[tuple[str, str, str]]:
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    # the words of each section: search keeps list and code tags for showing a result, the
    # compact text of generated HTML has none
    return [(d["location"], d["title"], re.sub(r"\s+|</?(?:p|code|pre|li|ol|ul|sub|sup)>", "", d["text"]))
            for d in docs]


@pytest.mark.parametrize("fixture", ["example", "roadmap"])
def test_pages_and_search_are_the_same_with_placeholders(fixture: str, tmp_path: Path) -> None:
    on, off = _both_ways(copy_site(fixture, tmp_path / fixture))
    assert _differences(on, off) == []
    assert _search(on) == _search(off)
    journey = next(p for p in on.rglob("*.html") if "/journeys/" in p.as_posix() and p.parent.name != "journeys")
    assert "TABIJIRAWBLOCK" not in journey.read_text("utf-8")
    assert 'class="tabiji-swimlane"' in journey.read_text("utf-8")


def test_code_blocks_with_blank_lines_and_markdown_after_html(mini: Path) -> None:
    """A code block's blank line must not end the HTML block it sits in."""
    journey = mini / "journeys/maps/onboarding.yml"
    text = journey.read_text(encoding="utf-8")
    journey.write_text(text.replace(
        "goal: The customer finishes setup and uses the product weekly.\n",
        "goal: The customer finishes setup and uses the product weekly.\n"
        "description: |\n  Before:\n\n  ```\n  first line\n\n     \n  last line\n  ```\n\n  After **the code**.\n"),
        encoding="utf-8")
    on, off = _both_ways(mini)
    assert _differences(on, off) == []
    page = (on / "map/journeys/onboarding/index.html").read_text("utf-8")
    assert "After <strong>the code</strong>." in page
    code = re.search(r"<pre><code>(.*?)</code></pre>", page, re.S).group(1)
    assert code.replace("&#10;", "\n") == "first line\n\n   \nlast line\n"


def test_anchors_inside_generated_html_still_count(mini: Path) -> None:
    """MkDocs checks links to anchors against the ids it saw; it no longer scans the
    generated HTML, so the plugin hands it the ids. A wrong anchor is still reported."""
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "validation:\n  anchors: warn\n", encoding="utf-8")
    index = mini / "docs/index.md"
    base = index.read_text(encoding="utf-8")
    index.write_text(base + "\n[Setup](map/journeys/onboarding.md#phase-setup)\n", encoding="utf-8")
    good = run_build(mini)
    assert good.returncode == 0, good.stderr
    index.write_text(base + "\n[Setup](map/journeys/onboarding.md#phase-nowhere)\n", encoding="utf-8")
    bad = run_build(mini)
    assert bad.returncode != 0
    assert "phase-nowhere" in bad.stderr


def test_protect_keeps_markdown_and_swaps_block_html() -> None:
    markdown = ("---\ntitle: x\n---\n\n# Title\n\n<div class=\"a\">one\n<p>two</p></div>\n\n"
                "## Heading {#h}\n\n<span>inline starts a paragraph</span>\n\n<table><tr><td id=\"c&amp;d\">"
                "</td></tr></table>\n")
    protected = protect(markdown)
    assert len(protected.blocks) == 2
    assert "# Title" in protected.markdown and "## Heading {#h}" in protected.markdown
    assert "<span>inline starts a paragraph</span>" in protected.markdown
    assert "<div" not in protected.markdown and "<table" not in protected.markdown
    html = "".join(f"<p>{chunk.strip()}</p>" for chunk in protected.markdown.split("\n\n")
                   if chunk.startswith("TABIJIRAWBLOCK"))
    restored, found = restore(html, protected.blocks)
    assert found == 2 and "<div class=\"a\">" in restored and "<table>" in restored
    assert anchor_ids(protected.blocks) == {"c&d"}


def test_search_text_keeps_sections_and_words() -> None:
    block = ('<div><h3 id="s">Sec<wbr>tion</h3><table><tr><td>Sign<wbr>s the <a href="x">con'
             'tract</a></td><td><ul><li>one</li></ul></td></tr></table><script>var x</script></div>')
    text = search_text(block)
    assert '<h3 id="s">Section</h3>' in text
    assert "Signs the contract" in text and " one " in text
    assert "var x" not in text and "<td" not in text and "<li" not in text and "wbr" not in text


# ---------------------------------------------------------------- warm rebuilds (serve)

def _pages(source: Path, cache) -> dict[str, str]:
    from tabiji.index import build_index
    from tabiji.site.pages import build_pages
    from tabiji.core.paths import Paths
    from tabiji.source.validate import load_site

    site = load_site(source)
    generated = build_pages(site, build_index(site), "ja", Paths(), cache=cache)
    return {page.doc: page.markdown for page in generated.pages} | generated.assets


@pytest.mark.parametrize("edit", ["journey cell", "phase name", "touchpoint name", "glossary", "roadmap",
                                  "journey title", "department cell", "touchpoint cell", "persona name",
                                  "measure text", "journey removed", "journey goal", "cell naming a KPI"])
def test_a_warm_rebuild_gives_the_bytes_of_a_cold_one(edit: str, tmp_path: Path) -> None:
    """Drawings kept from the last build are reused only when what they are drawn from is
    unchanged: after each kind of edit the warm pages equal a cold build's."""
    from tabiji.render.render_cache import RenderCache

    site = copy_site("example", tmp_path / "example")
    source = site / "journeys"
    cache = RenderCache()
    before = _pages(source, cache)
    file, old, new = {
        "journey cell": ("maps/onboarding.yml", "ウェルカムメールを受け取り", "歓迎メールを受け取り"),
        "phase name": ("maps/onboarding.yml", "name: {ja: 導入準備, en: Preparation}",
                       "name: {ja: 導入の準備, en: Preparation}"),
        "touchpoint name": ("catalog/touchpoints.yml", "name: {ja: 商談・製品デモ,", "name: {ja: 商談とデモ,"),
        "glossary": ("catalog/glossary.yml", "\n", "\n"),
        "roadmap": ("roadmaps/hoshiyomi-success.yml", "\n", "\n"),
        # pages kept whole (RenderCache.page): a journey's title names it on every page that
        # links it; a cell naming another department or touchpoint moves it between their pages
        "journey title": ("maps/onboarding.yml", "title: {ja: オンボーディング,", "title: {ja: 導入と定着,"),
        "department cell": ("maps/onboarding.yml", "welcome: [sales, onboarding]", "welcome: [marketing, onboarding]"),
        "touchpoint cell": ("maps/onboarding.yml", "welcome: [onboarding-email]", "welcome: [kickoff-meeting]"),
        "persona name": ("personas/it-admin.yml", "\n", "\n"),
        "measure text": ("maps/onboarding.yml", "キックオフで完了条件と期限を文書で合意し", "キックオフで完了条件を文書で合意し"),
        "journey removed": ("maps/expansion-renewal.yml", "", ""),
        # persona pages show their journeys' goals; a KPI page every cell that names the KPI
        "journey goal": ("maps/onboarding.yml", "  ja: 契約開始から60日以内に", "  ja: 契約開始から45日以内に"),
        "cell naming a KPI": ("maps/adoption.yml", "解約率が低い傾向", "離反が少ない傾向"),
    }[edit]
    path = source / file
    text = path.read_text(encoding="utf-8")
    if edit == "journey removed":  # the neighbours' prev/next links and every listing change
        path.unlink()
        roadmap = source / "roadmaps/hoshiyomi-success.yml"
        road = roadmap.read_text(encoding="utf-8")
        old = "phases: [adoption/value-check, expansion-renewal/business-review, expansion-renewal/renewal-prep]"
        assert old in road
        roadmap.write_text(road.replace(old, "phases: [adoption/value-check]"), encoding="utf-8")
        warm = _pages(source, cache)
        assert warm == _pages(source, RenderCache()) and warm != before
        return
    if edit == "persona name":
        match = re.search(r"\{ja: ([^,}]+)|^  ja: (.+)$", text, re.M)
        assert match, file
        old = match.group(0)
        new = old.replace(match.group(1) or match.group(2), "改" + (match.group(1) or match.group(2)))
    elif edit in ("glossary", "roadmap"):  # change the first localized text of the file
        match = re.search(r"\{ja: ([^,}]+)", text)
        assert match, file
        old, new = match.group(0), "{ja: 改" + match.group(1)
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    warm = _pages(source, cache)
    cold = _pages(source, RenderCache())
    assert warm == cold
    assert warm != before  # the edit shows somewhere


def test_serve_dirty_shows_an_edit_and_its_cross_links(mini: Path) -> None:
    """With --dirty only changed pages are rebuilt, yet a persona renamed in its own file is
    renamed on the journey page that lists it too (no stale cross-link)."""
    from test_serve import _free_port, _wait_for
    import subprocess
    import sys
    from conftest import ENV

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
        cwd=mini, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/mini/"
    journey = mini / "journeys/maps/onboarding.yml"
    persona = next((mini / "journeys/personas").glob("*.yml"))
    try:
        page = _wait_for(base + "map/journeys/onboarding/", lambda html: "Signs the contract" in html)
        name = re.search(r"^name: (.+)$", persona.read_text(encoding="utf-8"), re.M).group(1).strip()
        assert name in page
        journey.write_text(journey.read_text(encoding="utf-8").replace("Signs the contract", "Signs the order"),
                           encoding="utf-8")
        _wait_for(base + "map/journeys/onboarding/", lambda html: "Signs the order" in html)
        persona.write_text(persona.read_text(encoding="utf-8").replace(f"name: {name}", "name: Renamed Persona"),
                           encoding="utf-8")
        page = _wait_for(base + "map/journeys/onboarding/", lambda html: "Renamed Persona" in html)
        assert name not in page.split('class="md-content"')[1]
        assert server.poll() is None
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output


# ---------------------------------------------------------------- tabiji diff: parses kept by blob id


def _diff_repo(tmp_path: Path) -> Path:
    from conftest import commit_all, git
    from test_diff import lane, sources, write

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    files = sources()
    write(repo / "journeys", files)
    commit_all(repo, "first map", "2026-01-05")
    lane(files, "emotions")["cells"]["signup"]["score"] = "-1"
    write(repo / "journeys", files)
    commit_all(repo, "signing is stressful", "2026-02-02")
    lane(files, "emotions")["cells"]["signup"]["score"] = "5"  # invalid, at a line:column
    write(repo / "journeys", files)
    commit_all(repo, "out of range", "2026-03-02")
    return repo


def _diff(repo: Path, cache: Path | None, *revs: str):
    import subprocess
    import sys

    from conftest import ENV
    env = {**ENV, "XDG_CACHE_HOME": str(cache)} if cache else {**ENV, "TABIJI_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "tabiji.cli", "diff", *revs, "--source", "journeys", "--lang", "en"],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=120)


def test_diff_reads_parses_by_blob_id_and_says_the_same(tmp_path: Path) -> None:
    repo = _diff_repo(tmp_path)
    cache = tmp_path / "cache"
    for revs in (("HEAD~2", "HEAD~1"), ("HEAD~1", "HEAD")):
        uncached = _diff(repo, None, *revs)
        cold, warm = _diff(repo, cache, *revs), _diff(repo, cache, *revs)
        for run in (cold, warm):
            assert (run.returncode, run.stdout, run.stderr) == (uncached.returncode, uncached.stdout, uncached.stderr)
    # the invalid head's message is located (line:column) though its file's parse came from the cache
    assert re.search(r"journeys/maps/onboarding\.yml:\d+:\d+: .*found '5'", warm.stderr), warm.stderr
    entries = list(cache.rglob("*.json"))
    assert entries and not (tmp_path / "repo" / ".cache").exists()
    # an entry that does not read as a parse (a number, a boolean, broken JSON) is parsed again
    for entry, bad in zip(entries, ['{"id": 3}', '{"a": [true]}', '{"a": ', '[1.5]']):
        entry.write_text(bad, encoding="utf-8")
    again = _diff(repo, cache, "HEAD~2", "HEAD~1")
    assert (again.returncode, again.stdout) == (0, _diff(repo, None, "HEAD~2", "HEAD~1").stdout)


def test_a_cached_parse_gives_positions_from_a_fresh_parse(tmp_path: Path) -> None:
    from tabiji.source import parse_cache
    from tabiji.source.loader import load_bytes

    raw = "id: x\nphases:\n  - id: a\n    name: A\n".encode()
    doc, problems = load_bytes(raw, "x.yml")
    assert not problems
    oid = "0" * 40
    parse_cache.store(tmp_path, oid, doc)
    calls = []
    hit = parse_cache.load(tmp_path, oid, "y.yml", lambda: calls.append(1) or load_bytes(raw, "y.yml")[0])
    assert hit is not None and hit.data == doc.data and hit.path == "y.yml" and not calls
    assert hit.position(("phases", 0, "name")) == doc.position(("phases", 0, "name")) and calls == [1]
    assert hit.keys == doc.keys and calls == [1]  # parsed again once
    assert parse_cache.load(tmp_path, "../" + oid[3:], "y.yml", lambda: doc) is None  # not a blob id


def test_serve_validates_again_only_the_files_that_changed(tmp_path: Path) -> None:
    """serve keeps each unchanged file's parse (the parse cache) and its validated model: an
    edited file is validated again, its bad value still found; the rest keep their models."""
    import os

    from tabiji.core.problems import InvalidSources
    from tabiji.source.validate import load_site

    site = copy_site("example", tmp_path / "example")
    source = site / "journeys"
    for file in source.rglob("*.yml"):  # older than the parse cache's window for just-written files
        os.utime(file, (1_700_000_000, 1_700_000_000))
    parsed: dict = {}
    first = load_site(source, parsed)
    path = source / "maps" / "onboarding.yml"
    text = path.read_text(encoding="utf-8")
    old = "title: {ja: オンボーディング,"
    assert old in text
    path.write_text(text.replace(old, "title: {ja: 導入と定着,", 1), encoding="utf-8")
    second = load_site(source, parsed)
    assert second.journeys["onboarding"] is not first.journeys["onboarding"]
    assert second.journeys["onboarding"].title["ja"] == "導入と定着"
    kept = [j for j in first.journeys if j != "onboarding"]
    assert kept and all(second.journeys[j] is first.journeys[j] for j in kept)
    assert all(second.personas[p] is first.personas[p] for p in first.personas)
    cold = load_site(source)
    assert second.journeys == cold.journeys and second.personas == cold.personas
    path.write_text(text.replace("owner: ", "owner: no-such-department-", 1), encoding="utf-8")
    with pytest.raises(InvalidSources) as err:
        load_site(source, parsed)
    assert any(p.file.endswith("onboarding.yml") for p in err.value.problems)
