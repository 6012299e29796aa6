"""The Jinja environment every generated page is rendered with: the site's override folder
first, then the templates shipped in ``tabiji/templates``.

Escaping is on: a plain string in ``{{ }}`` is HTML-escaped (by ``text.escape``, the one
escape the pages use), a ``Markup`` value (writer's text already rendered, a diagram) is
placed as is. Templates are compiled once per override folder and its files' state, so a
build never creates an Environment per page, and ``mkdocs serve`` picks up an edited override.
"""

from __future__ import annotations

import json
import traceback
from functools import lru_cache
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from tabiji.core.problems import InvalidSources, Position, Problem
from tabiji.render.text import escape, markdown_literal

PACKAGE_TEMPLATES = Path(str(package_files("tabiji") / "templates"))
SUFFIX = ".j2"


def _finalize(value: Any) -> Any:
    """Plain text is escaped here, as ``text.escape`` does (the autoescape that follows leaves
    ``Markup`` alone); markupsafe's own escape writes quotes differently."""
    if isinstance(value, Markup):
        return value
    return Markup(escape(value if isinstance(value, str) else str(value)))


def _md(text: Any) -> Markup:
    """Writer's text placed into Markdown (a heading): shown as typed, on one line."""
    return Markup(markdown_literal(str(text)))


def _json(value: Any) -> Markup:
    """A front matter value: JSON is YAML, and keeps any character on one line."""
    return Markup(json.dumps(value, ensure_ascii=False))


def _fingerprint(folder: Path | None) -> tuple:
    if folder is None or not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.rglob(f"*{SUFFIX}")):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def template_state(folder: Path | None) -> tuple:
    """What the site's override templates are now (their paths, times and sizes): a page
    kept across serve rebuilds is made again when they change."""
    folder = folder.resolve() if folder is not None else None
    return (str(folder), _fingerprint(folder))


def environment(folder: Path | None) -> jinja2.Environment:
    """The environment for the site's override ``folder`` (or none), compiled and checked."""
    folder = folder.resolve() if folder is not None else None
    return _environment(folder, _fingerprint(folder))


@lru_cache(maxsize=4)
def _environment(folder: Path | None, _state: tuple) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if folder is not None and folder.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(folder)))
    loaders.append(jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, finalize=_finalize,
        undefined=jinja2.StrictUndefined,  # a misspelt variable in an override fails, located
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
        cache_size=-1)
    env.filters["md"] = _md
    env.filters["json"] = _json
    # What the templates are (the override folder and its files' state): part of the key of
    # drawings kept across serve rebuilds, so an edited diagram template redraws them.
    env.tabiji_state = repr((str(folder), _state))  # type: ignore[attr-defined]
    for name in env.list_templates(extensions=[SUFFIX.lstrip(".")]):  # all compiled now: a syntax
        try:                                                           # error fails before any page
            env.get_template(name)
        except jinja2.TemplateSyntaxError as err:
            raise InvalidSources([_problem(err, err.filename or name, err.lineno)]) from None
    return env


def svg_environment(env: jinja2.Environment) -> jinja2.Environment:
    """``env`` without autoescape, for the standalone SVGs, whose every value arrives escaped
    (render/svg.py): the same templates and overrides, compiled once per ``env``."""
    found = getattr(env, "tabiji_svg", None)
    if found is None:
        found = env.tabiji_svg = env.overlay(autoescape=False, finalize=None)  # type: ignore[attr-defined]
    return found


def _problem(err: Exception, filename: str, line: int | None) -> Problem:
    what = "a valid Jinja template" if isinstance(err, jinja2.TemplateSyntaxError) else "a template that renders"
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    return Problem(filename, Position(line or 1, 1), "(template)", what, message)


def render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The template with ``context``; an error in a template is reported at its file and line."""
    try:
        return template.render(context)
    except Exception as err:
        stack = traceback.extract_tb(err.__traceback__)
        frames = [f for f in stack if f.filename.endswith(SUFFIX)]
        # An error inside Python a template called (a diagram) is a bug, not the template's: raised as is.
        if not isinstance(err, jinja2.TemplateError) and not (stack and stack[-1].filename.endswith(SUFFIX)):
            raise
        where = frames[-1] if frames else None
        raise InvalidSources([_problem(err, where.filename if where else (template.filename or template.name),
                                       where.lineno if where else None)]) from None


def override_folder(option: str | None, base: Path, custom_dir: str | None) -> Path | None:
    """The folder the site's templates are read from: the ``templates`` option (relative to
    mkdocs.yml), else ``<theme custom_dir>/tabiji`` when it exists."""
    if option:
        return (base / option).resolve()
    if custom_dir:
        folder = (base / custom_dir / "tabiji").resolve()
        if folder.is_dir():
            return folder
    return None
