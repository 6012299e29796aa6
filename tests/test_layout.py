"""The package's shape (#15): folders that show the data flow, every import pointing down the
flow, no cycles, and MkDocs imported only by its front end, so the core runs without it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "plugins" / "tabiji"
# The flow, bottom up: a module may import its own layer and the layers below it.
LAYERS = ["core", "source", "index", "render", "review", "site", "front"]
FRONT = {"cli", "mkdocs_plugin", "mkdocs_serve", "markdown_ext", "schema", "exchange", "__init__"}
ENGINES = ("mkdocs", "material", "properdocs", "zensical")
ENGINE_FRONT = {"tabiji.mkdocs_plugin", "tabiji.mkdocs_serve"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top in FRONT:
        return LAYERS.index("front")
    return LAYERS.index(top)


def _imports(module: str, path: Path) -> set[str]:
    """Every module named by an import anywhere in the file (functions included), absolute."""
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {i for i in _imports(name, path) if i in modules and i != name}
            for name, path in modules.items()}


def test_every_folder_says_what_it_holds() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and doc.splitlines()[0].strip(), f"{init}: a docstring whose first line says what the folder holds"


def test_every_import_points_down_the_flow() -> None:
    upward = [(a, b) for a, targets in _graph().items() for b in targets
              if b != "tabiji" and _layer(b) > _layer(a)]
    assert upward == []
    # the check can fail: a render module importing a site module would be caught
    assert _layer("tabiji.site.pages") > _layer("tabiji.render.swimlane")


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt == "tabiji" or nxt.startswith("tabiji.exchange") and node == "tabiji.exchange":
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_engines_are_imported_only_by_their_front_end() -> None:
    offenders = sorted(name for name, path in _modules().items() if name not in ENGINE_FRONT
                       for i in _imports(name, path) if i.split(".")[0] in ENGINES)
    assert offenders == []


BLOCK = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in {engines!r}:
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
sys.argv = ['tabiji', *sys.argv[1:]]
from tabiji.cli import main
main()
"""


@pytest.mark.parametrize("command", [["validate"], ["check"], ["generate"]])
def test_the_command_line_runs_without_any_engine_installed(tmp_path: Path, command: list[str]) -> None:
    """MkDocs, Material, ProperDocs and Zensical made unimportable: validate, check and generate
    still work on the example (the engines are only needed to build the HTML)."""
    from conftest import copy_site
    site = copy_site("example", tmp_path)
    env = {**os.environ, "TABIJI_TODAY": "2026-12-01"}
    result = subprocess.run([sys.executable, "-c", BLOCK.format(engines=ENGINES), *command], cwd=site,
                            capture_output=True, text=True, env=env, timeout=600)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1) and "blocked" not in result.stderr, result.stderr
    if command == ["generate"]:
        assert (site / "docs" / "map" / "journeys" / "onboarding.md").is_file()


def test_printing_without_mkdocs_says_what_to_install(tmp_path: Path) -> None:
    """pdf and png print the page MkDocs builds: without MkDocs the export says so, located
    in the command, with the install line, and no traceback."""
    from conftest import copy_site
    site = copy_site("example", tmp_path)
    result = subprocess.run([sys.executable, "-c", BLOCK.format(engines=ENGINES), "export", "journey", "onboarding",
                             "--format", "pdf", "-o", "out.pdf"], cwd=site, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert "MkDocs is not installed" in result.stderr and "tabiji[mkdocs]" in result.stderr, result.stderr
    assert not (site / "out.pdf").exists()
