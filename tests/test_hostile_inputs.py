"""Hostile and broken input, fed one case at a time to ``tabiji validate`` and
``mkdocs build --strict`` run as a user runs them.

Every case ends in either a correct page or exactly one located message
(``file:line:column: ...``), within a time limit (a hang guard) and 2 GB of address space,
with no traceback, and with the sources untouched. Cases are the files under
``tests/hostile/`` (see its README) and a few generated here (too large to store).
"""

from __future__ import annotations

import html
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, FIXTURES, ROOT, tree_digest
from test_browser import browser  # noqa: F401  (fixture)
from test_site import visit  # noqa: F401  (fixture)

HOSTILE = Path(__file__).parent / "hostile"
LIMIT_BYTES = 2 << 30
TIMEOUT = 300  # a hang guard, not a performance limit
LOCATED = re.compile(r"^(\S[^:\n]*):(\d+):(\d+): (.+)$", re.M)

# A file that cannot be read as data says that it hides the rest of its problems.
HIDES = "; the rest of this file is checked once this is fixed"
# error/ files: the one message each must give (after 'file:line:col: ').
EXPECTED = {
    "personas/tabs.yml": "4:1: (document): expected spaces for indentation, found a tab character" + HIDES,
    "personas/duplicate-keys.yml": "4:1: name: expected each key once in a mapping (first given at line 2), "
                                   "found duplicate key 'name'",
    "personas/empty.yml": "1:1: (document): expected a mapping of fields, found an empty file",
    "personas/shift-jis.yml": "2:7: (document): expected UTF-8 text (save the file as UTF-8), found byte 0x8e, "
                              "not UTF-8" + HIDES,
    "personas/utf16.yml": "1:1: (document): expected UTF-8 text (save the file as UTF-8), found byte 0xff, "
                          "not UTF-8" + HIDES,
    "personas/binary-junk.yml": "1:1: (document): expected UTF-8 text (save the file as UTF-8), found byte 0x82, "
                                "not UTF-8" + HIDES,
    "personas/billion-laughs.yml": "1:1: (document): expected at most 200000 values nested at most 64 deep, found "
                                   "a document larger than that (aliases expanding without bound?)" + HIDES,
    "personas/multi-doc.yml": "4:1: (document): expected one YAML document per file, found 2 documents" + HIDES,
    "personas/python-tag.yml": "2:7: name: expected text or a mapping, found a list",
    "personas/merge-key.yml": "3:1: (document): expected explicit fields (merge keys '<<' are not supported), "
                              "found '<<'",
    "personas/control-char.yml": "2:12: (document): expected valid YAML, found the control character U+0007, "
                                 "which YAML does not allow" + HIDES,
    "personas/rtl-id.yml": "1:5: id: expected an id of lowercase letters a-z, digits, '-' or '_', "
                           "found 'admin\\u202e'",
    "personas/zero-width-id.yml": "1:5: id: expected an id of lowercase letters a-z, digits, '-' or '_', "
                                  "found 'ad\\u200bmin'",
    "personas/fullwidth-space-key.yml": "3:1: \u3000role: expected a known field, found unknown field '\u3000role'; "
                                        "did you mean 'role'?",
    "maps/self-cycle.yml": "11:13: phases[0].steps[0].id: expected phase and step ids unique within the journey, "
                           "found duplicate id 'loop'",
}


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def run(site: Path, *command: str) -> subprocess.CompletedProcess:
    """A command of the installed package in ``site``, bounded in time and memory."""
    return subprocess.run([sys.executable, "-m", *command], cwd=site, capture_output=True, text=True, env=ENV,
                          timeout=TIMEOUT, preexec_fn=_limit)


def validate(site: Path) -> subprocess.CompletedProcess:
    return run(site, "tabiji.cli", "validate", "journeys")


def build(site: Path) -> subprocess.CompletedProcess:
    return run(site, "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "site")


def mini(tmp_path: Path) -> Path:
    site = tmp_path / "site-src"
    shutil.copytree(FIXTURES / "mini", site)
    return site


def outcome(site: Path) -> tuple[list[str], list[str], bool]:
    """Run validate, then build, on ``site``; check what holds for every case; return the
    located lines of validate and of build and whether the build succeeded."""
    sources = tree_digest(site / "journeys") | tree_digest(site / "docs")
    checked = validate(site)
    built = build(site)
    for result in (checked, built):
        assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
        assert result.returncode in (0, 1), result.stderr[-3000:]
    assert tree_digest(site / "journeys") | tree_digest(site / "docs") == sources, "sources were changed"
    assert (checked.returncode == 0) == (built.returncode == 0), (checked.stderr, built.stderr[-2000:])
    v_lines = [m.group(0) for m in LOCATED.finditer(checked.stderr)]
    b_lines = [m.group(0) for m in LOCATED.finditer(built.stderr)]
    if built.returncode == 0:
        assert checked.stdout.startswith("ok:"), checked.stdout
        assert "WARNING" not in built.stderr and v_lines == [], built.stderr
    else:
        assert not (site / "site").exists(), "a failed build must write nothing"
        assert checked.stderr.rstrip().endswith("\n1 problem found"), checked.stderr[-2000:]
        assert len(v_lines) == 1 and v_lines == b_lines, (v_lines, b_lines)
        file, line, column, _ = LOCATED.match(v_lines[0]).groups()
        assert (site / file).is_file() and int(line) >= 1 and int(column) >= 1, v_lines[0]
    return v_lines, b_lines, built.returncode == 0


def _place(site: Path, case: Path, group: str) -> str:
    rel = case.relative_to(HOSTILE / group).as_posix()
    (site / "journeys" / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case, site / "journeys" / rel)
    return rel


def _cases(group: str) -> list[Path]:
    return sorted(p for p in (HOSTILE / group).rglob("*") if p.is_file())


@pytest.mark.parametrize("case", _cases("error"), ids=lambda p: p.relative_to(HOSTILE / "error").as_posix())
def test_broken_file_gives_one_located_message(tmp_path: Path, case: Path) -> None:
    site = mini(tmp_path)
    rel = _place(site, case, "error")
    assert rel in EXPECTED, f"add the message expected for {rel} to EXPECTED"
    lines, _, ok = outcome(site)
    assert not ok
    assert lines == [f"journeys/{rel}:{EXPECTED[rel]}"]


@pytest.mark.parametrize("case", _cases("either"), ids=lambda p: p.relative_to(HOSTILE / "either").as_posix())
def test_reference_to_itself_or_in_a_cycle_ends(tmp_path: Path, case: Path) -> None:
    site = mini(tmp_path)
    rel = _place(site, case, "either")
    lines, _, ok = outcome(site)
    assert ok or lines[0].startswith(f"journeys/{rel}:"), lines


@pytest.mark.parametrize("case", _cases("page"), ids=lambda p: p.relative_to(HOSTILE / "page").as_posix())
def test_hostile_text_builds_a_page_that_shows_it_as_text(tmp_path: Path, case: Path) -> None:
    from test_hostile import active_content

    site = mini(tmp_path)
    rel = _place(site, case, "page")
    _, _, ok = outcome(site)
    assert ok
    from tabiji.source.validate import load_site

    folder = {"maps": "journeys", "personas": "personas"}[rel.split("/")[0]]
    entity = getattr(load_site(site / "journeys"), folder)[re.search(r"^id: (\S+)", case.read_text(
        encoding="utf-8-sig"), re.M).group(1)]
    page = (site / f"site/map/{folder}/{entity.id}/index.html").read_text(encoding="utf-8")
    name = getattr(entity, "title", None) or entity.name
    assert html.escape(name, quote=False) in page  # shown as typed, markup escaped
    # links go to pages of the site or to the web: no javascript:, data: or bare id links
    from conftest import parse_links

    schemes = {re.match(r"^([a-zA-Z][\w+.-]*):", link).group(1).lower()
               for link in parse_links(page)[0] if re.match(r"^[a-zA-Z][\w+.-]*:", link)}
    assert schemes <= {"http", "https", "mailto"}, schemes
    pages = sorted((site / "site").rglob("*.html"))
    for page in pages:
        assert active_content(page.read_text(encoding="utf-8")) == [], page
    for svg in (site / "site").rglob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "<script" not in text and not re.search(r"<[^>]+\son\w+=", text), svg


# ------------------------------------------------------------------ generated cases


def _journey(phases: int, steps: int, lanes: int, cell: str) -> str:
    """A valid journey for the mini fixture: ``phases`` x ``steps`` columns, ``lanes`` lanes."""
    out = ["id: big", "title: Big", "personas: [admin]", "goal: Stays readable", "owner: cs", "phases:"]
    columns = []
    for p in range(phases):
        out += [f"  - id: p{p}", f"    name: Phase {p}", "    steps:"]
        for k in range(steps):
            out += [f"      - {{id: s{p}-{k}, name: Step {p}.{k}}}"]
            columns.append(f"s{p}-{k}")
    out.append("lanes:")
    kinds = ["actions", "emotions"] + ["text"] * (lanes - 2)
    for i, kind in enumerate(kinds):
        out += [f"  - kind: {kind}"] + ([f"    title: Lane {i}"] if kind == "text" else []) + ["    cells:"]
        for c in columns:
            out.append(f"      {c}: {{score: {len(c) % 5 - 2}}}" if kind == "emotions" else f"      {c}: '{cell}'")
    return "\n".join(out) + "\n"


def _long_cell() -> str:
    words = "顧客が 初期設定を 終えて 全社員が 打刻を 開始する。 Customers finish setup and everyone clocks in. "
    return (words * 40)[:2000]


GENERATED = {
    # name: (file under journeys/, contents, the one message expected, or None for a page)
    "50-mb-file": ("personas/huge.yml", lambda: ("id: huge\nname: Huge\nsummary: " + "x" * 50_000_000 + "\n"),
                   "1:1: (document): expected a file of at most 5 MB, found 50.0 MB"),
    "10000-open-brackets": ("personas/open.yml", lambda: "[" * 10_000,
                            "1:66: (document): expected values nested at most 64 deep, found values nested deeper "
                            "than that"),
    "10000-nested-lists": ("personas/nested.yml", lambda: "[" * 10_000 + "]" * 10_000,
                           "1:66: (document): expected values nested at most 64 deep, found values nested deeper "
                           "than that"),
    "10000-nested-mappings": ("personas/nested.yml", lambda: "{a: " * 10_000 + "1" + "}" * 10_000,
                              "1:261: (document): expected values nested at most 64 deep, found values nested "
                              "deeper than that"),
    "200-steps-of-2000-characters": ("maps/big.yml", lambda: _journey(20, 10, 3, _long_cell()), None),
    "50-lanes": ("maps/big.yml", lambda: _journey(4, 3, 50, "短い"), None),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_case(tmp_path: Path, name: str) -> None:
    rel, make, expected = GENERATED[name]
    site = mini(tmp_path)
    (site / "journeys" / rel).write_text(make(), encoding="utf-8")
    lines, _, ok = outcome(site)
    if expected is None:
        assert ok
        page = (site / "site/map/journeys/big/index.html").read_text(encoding="utf-8")
        assert page.count('<th scope="row"') == GENERATED_LANES[name]
    else:
        assert lines == [f"journeys/{rel}:{expected}{HIDES}"]


NESTED = ["10000-open-brackets", "10000-nested-lists", "10000-nested-mappings"]


@pytest.mark.parametrize("name", NESTED)
@pytest.mark.parametrize("library", ["libyaml", "pure"])
def test_nesting_limit_is_tabijis_whatever_the_yaml_library(name: str, library: str, monkeypatch) -> None:
    """The same located message with LibYAML (whose own limit, 1,000 in 0.2.6, differs by
    version) and with PyYAML's pure-Python loader (which would recurse past the stack)."""
    import yaml

    from tabiji.source import loader

    if library == "libyaml" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without LibYAML")
    monkeypatch.setattr(loader, "_Loader", yaml.CSafeLoader if library == "libyaml" else yaml.SafeLoader)
    rel, make, expected = GENERATED[name]
    _, problems = loader.load_text(make(), rel)
    assert [str(p) for p in problems] == [f"{rel}:{expected}"]
    block = "".join(" " * (2 * i) + "a:\n" for i in range(2_000))  # block nesting, one level a line
    _, problems = loader.load_text(block, "deep.yml")
    assert [str(p) for p in problems] == ["deep.yml:66:131: (document): expected values nested at most 64 deep, "
                                          "found values nested deeper than that"]


GENERATED_LANES = {"200-steps-of-2000-characters": 3, "50-lanes": 50}


# ------------------------------------------------------------------ in a browser


@pytest.mark.browser
def test_no_script_from_the_sources_runs_in_a_browser(tmp_path: Path, visit) -> None:
    """Every page/ case in one site, with the markup journey embedded in a hand-written page:
    no page sets window.__pwned, opens a dialog, logs an error or overflows its cells."""
    from test_browser import _served

    site = mini(tmp_path)
    for case in _cases("page"):
        _place(site, case, "page")
    (site / "docs/index.md").write_text("# Home\n\n![](journey:markup)\n\n[](journey:unicode)\n", encoding="utf-8")
    result = build(site)
    assert result.returncode == 0, result.stderr
    pages = sorted(p.parent.relative_to(site / "site").as_posix() + "/" for p in (site / "site").rglob("index.html"))
    with _served(site / "site") as base:
        v = visit()
        v.ctx.add_init_script("window.alert = window.confirm = window.prompt = m => { window.__pwned = 'dialog ' + m; };")
        for path in pages:
            page = v.go(base + ("" if path == "./" else path))
            state = page.evaluate("""() => ({pwned: window.__pwned === undefined ? null : String(window.__pwned),
                overflow: [...document.querySelectorAll('table.tabiji-swimlane td, table.tabiji-swimlane th')]
                    .filter(c => c.scrollWidth > c.clientWidth + 1).length})""")
            assert state == {"pwned": None, "overflow": 0}, path
            # hover and click everything in the diagram: no handler may fire either
            for link in page.locator(".tabiji-swimlane-wrap [onmouseover], .tabiji-swimlane-wrap [onclick]").all():
                link.hover()
            assert page.evaluate("window.__pwned === undefined"), path
        assert len(pages) > 10
        assert v.errors == [] and v.outside == []


def test_every_localized_text_stays_text_in_the_standalone_svgs(tmp_path: Path) -> None:
    """The downloadable SVGs (journey and roadmap) escape every text they draw: each ja/en
    text, label, thought, name, title, description, goal, product and state of the example's
    journeys and roadmaps gets markup, and no SVG holds an element of it."""
    import shutil
    import xml.etree.ElementTree as ET

    import yaml

    from tabiji.render.roadmap_svg import render_roadmap_svg
    from tabiji.render.svg import render_svg
    from tabiji.source.validate import load_site

    source = tmp_path / "journeys"
    shutil.copytree(ROOT / "journeys", source)

    def hostile(value):
        if isinstance(value, dict):
            return {k: ('<script>x</script><b onclick="y">' + v if k in TEXT_KEYS and isinstance(v, str)
                        else hostile(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [hostile(v) for v in value]
        return value

    TEXT_KEYS = {"ja", "en", "label", "thought", "name", "title", "description", "goal", "product", "state"}
    touched = 0
    for folder in ("maps", "roadmaps"):
        for file in sorted((source / folder).glob("*.yml")):
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            file.write_text(yaml.safe_dump(hostile(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
            touched += 1
    site = load_site(source)
    drawings = [render_svg(j, site, lang) for j in site.journeys.values() for lang in ("ja", "en")]
    drawings += [render_roadmap_svg(r, site, lang) for r in site.roadmaps.values() for lang in ("ja", "en")]
    assert touched >= 3 and len(drawings) >= 6
    for svg in drawings:
        root = ET.fromstring(svg.encode())
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert not tags & {"script", "b"} and not any("onclick" in el.attrib for el in root.iter())
        assert "&lt;script&gt;" in svg  # the text is drawn, escaped
