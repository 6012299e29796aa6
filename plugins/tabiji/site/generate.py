"""The map as files: every generated page, diagram, the stylesheet and a navigation file,
written into a folder of the docs, so any engine that builds Markdown builds the map
(Zensical, ProperDocs, MkDocs without the plugin). No engine is imported here.

The folder is replaced whole (staged, then swapped) and carries a marker, so a folder
Tabiji did not write is never overwritten.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path

import yaml

from tabiji.site import staging
from tabiji.site.edit_links import EditConfig, edit_url, with_edit_url
from tabiji.review.freshness import reviews
from tabiji.review.gitsource import GitError, git, last_changes, relative, toplevel
from tabiji.review.history import map_history
from tabiji.index import Mention, build_index, check_references, read_references
from tabiji.site.pages import Generated, GeneratedPage, NavNode, ReviewInput, build_pages
from tabiji.core.paths import Paths
from tabiji.core.problems import InvalidSources, Position, Problem
from tabiji.render.templating import override_folder
from tabiji.source.validate import load_site, symlinks_under

MARKER = ".tabiji-generated"
CSS_NAME = "tabiji.css"
JS_NAME = "tabiji.js"  # the map view buttons (fit to width, full screen)
THEME_DIR = ".tabiji-theme"  # beside the engine config: the edit buttons' partial (edit_links)


@dataclass(frozen=True)
class Settings:
    """The plugin's options as mkdocs.yml gives them (the same names and defaults)."""

    config_file: Path
    docs_dir: Path
    source: Path
    prefix: str = "map"
    lang: str = "en"
    nav_title: str = ""
    nav_group_size: int = 20
    freshness: bool = True
    history: bool = True
    history_limit: int = 50
    use_directory_urls: bool = True
    templates: Path | None = None  # the site's own page templates (templating.override_folder)
    edit: EditConfig = EditConfig()  # repo_url, edit_uri: the generated pages' edit buttons


class AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags (``!!python/name:``, ``!ENV``) only the engine understands."""


AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_settings(config_file: Path) -> Settings:
    """The tabiji plugin's options and the theme's language from ``mkdocs.yml``."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=AnyTagLoader) or {}
    except OSError as err:
        raise InvalidSources([Problem(str(config_file), Position(1, 1), "(config)", "a readable mkdocs.yml",
                                      err.strerror or str(err))]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise InvalidSources([Problem(str(config_file), where, "(config)", "valid YAML",
                                      str(getattr(err, "problem", "") or "a syntax error"))]) from None
    options: dict = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("tabiji"), dict):
            options = plugin["tabiji"]
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    base = config_file.resolve().parent
    return Settings(
        config_file=config_file,
        docs_dir=base / str(data.get("docs_dir") or "docs"),
        source=base / str(options.get("source") or "journeys"),
        prefix=str(options.get("prefix") or "map").strip("/") or "map",
        lang=str(options.get("language") or theme.get("language") or "en"),
        nav_title=str(options.get("nav_title") or ""),
        nav_group_size=int(options.get("nav_group_size") or 20),
        freshness=options.get("freshness", True) is not False,
        history=options.get("history", True) is not False,
        history_limit=int(options.get("history_limit") or 50),
        use_directory_urls=data.get("use_directory_urls", True) is not False,
        templates=override_folder(str(options.get("templates") or ""), base, theme.get("custom_dir")),
        edit=EditConfig.of(data),
    )


def review_input(site, source: Path, on: datetime.date, freshness: bool, history: bool,
                 limit: int, histories: dict | None = None) -> ReviewInput | None:
    """Review states and history from the sources' git history ('unknown' without one).

    ``histories`` (kept by ``mkdocs serve`` across rebuilds) holds the last history by the
    commit it was read at: the history only changes with a new commit."""
    if not (freshness or history):
        return None
    root = toplevel(source)
    rel = relative(root, source) if root else ""
    states = None
    if freshness:
        changes = last_changes(root, rel) if root else None
        states = reviews(site, on, changes, root)
    entries = None
    if history and root:
        key = (_head(root), rel, limit)
        if histories is not None and key in histories:
            entries = histories[key]
        else:
            entries = map_history(root, rel, limit, site)
            if histories is not None:
                histories.clear()
                histories[key] = entries
    return ReviewInput(states, on, entries, history, limit)


def _head(root: Path) -> str:
    try:
        return git(root, "rev-parse", "HEAD").decode().strip()
    except GitError:
        return ""


def generated_map(settings: Settings, on: datetime.date) -> Generated:
    """The pages of the map, or InvalidSources with every problem (sources and docs' references)."""
    problems: list[Problem] = []
    try:
        site = load_site(settings.source)
    except InvalidSources as err:
        site, problems = None, list(err.problems)
    problems += symlinks_under(settings.docs_dir)
    references = read_references(settings.docs_dir)
    out_folder = settings.docs_dir / settings.prefix
    references = {doc: ref for doc, ref in references.items() if not (settings.docs_dir / doc).is_relative_to(out_folder)}
    if site is not None:
        for doc, (refs, _title) in references.items():
            problems += check_references(str(settings.docs_dir / doc), refs, site)
    if problems or site is None:
        raise InvalidSources(problems)
    index = build_index(site)
    for doc, (refs, title) in references.items():
        for ref in refs:
            index.mentions[(ref.collection, ref.id)].append(Mention(doc, title))
    paths = Paths(settings.prefix, settings.use_directory_urls, source_links=True)
    review = review_input(site, settings.source.resolve(), on, settings.freshness, settings.history,
                          settings.history_limit)
    return build_pages(site, index, settings.lang, paths, settings.nav_title, [], settings.nav_group_size, review,
                       templates=settings.templates)


def source_fingerprint(root: Path) -> tuple:
    """(path, mtime, size) of every file under root; () when root is missing.

    A save may delete or replace a file between listing and stat (or remove the folder
    mid-walk): such a file is left out rather than crashing the serve rebuild.
    """
    entries = []
    try:
        paths = list(root.rglob("*"))
    except OSError:
        return ()
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            entries.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(sorted(entries))


def nav_entries(node: NavNode, prefix: str) -> list | dict | str:
    """The navigation tree in mkdocs.yml's ``nav:`` form, paths relative to docs/."""
    if not node.children:
        return {node.title: node.doc} if node.doc else {}
    children: list = [node.doc] if node.doc else []
    children += [nav_entries(child, prefix) for child in node.children]
    return {node.title: children}


def write_map(settings: Settings, generated: Generated) -> Path:
    """Writes the map's folder (``docs/<prefix>/``) whole, or leaves the previous one as it was."""
    folder = settings.docs_dir / settings.prefix
    if folder.is_symlink() or folder.exists() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise InvalidSources([Problem(str(folder), Position(1, 1), "(output folder)",
                                      f"a folder that 'tabiji generate' wrote (with {MARKER}), or none",
                                      "a folder with other files", "set the plugin's 'prefix' option "
                                      "to another folder, or move these files")])
    stage = staging.prepare(folder.resolve(), dirty=False)
    try:
        for doc, text in [(p.doc, page_text(settings, p)) for p in generated.pages] + list(generated.assets.items()):
            _write(stage, doc, settings.prefix, text)
        for asset in (CSS_NAME, JS_NAME):
            text = (package_files("tabiji") / "assets" / asset).read_text(encoding="utf-8")
            _write(stage, f"{settings.prefix}/{asset}", settings.prefix, text)
        nav = yaml.safe_dump({"nav": [nav_entries(generated.nav, settings.prefix)]}, allow_unicode=True,
                             sort_keys=False)
        _write(stage, f"{settings.prefix}/nav.yml", settings.prefix,
               "# The map's navigation, for a site that builds the map without the plugin:\n"
               "# put this entry in mkdocs.yml's nav (tabiji generate writes it anew each time).\n" + nav)
        (stage / ".gitignore").write_text("# written by 'tabiji generate': not a source\n*\n", encoding="utf-8")
        (stage / MARKER).write_text(json.dumps({"generator": "tabiji"}) + "\n", encoding="utf-8")
    except BaseException:
        staging.discard(stage)
        raise
    staging.swap(stage, folder.resolve())
    return folder


def page_text(settings: Settings, page: GeneratedPage) -> str:
    """The page as written: with ``edit_url`` (its YAML source, or none) when the site has edit
    buttons, since the engine would point them at the generated, git-ignored file."""
    if not settings.edit.enabled():
        return page.markdown
    url = edit_url(settings.edit, page.source, settings.docs_dir, settings.config_file.resolve().parent) \
        if page.source else None
    return with_edit_url(page.markdown, url)


def engine_config(settings: Settings, generated: Generated, out: Path) -> str | None:
    """A copy of mkdocs.yml for an engine without the plugin: the generated nav in place of
    the map's home entry, the stylesheet, the Markdown extension for hand-written
    references, and a theme folder whose partial shows the pages' ``edit_url``; comments and
    tags kept (ruamel round trip). Returns a note for the user when the site has its own
    theme folder (``custom_dir``), which Tabiji does not write into."""
    from ruamel.yaml import YAML
    y = YAML()
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    data = y.load(settings.config_file.read_text(encoding="utf-8"))
    data["plugins"] = [p for p in data.get("plugins") or []
                       if p != "tabiji" and not (isinstance(p, dict) and "tabiji" in p)]
    css = f"{settings.prefix}/{CSS_NAME}"
    data["extra_css"] = [css] + [c for c in data.get("extra_css") or [] if c != css]
    js = f"{settings.prefix}/{JS_NAME}"
    data["extra_javascript"] = [js] + [j for j in data.get("extra_javascript") or [] if j != js]
    # Relative to the copy's folder, from where the engine is run.
    config = os.path.relpath(settings.config_file.resolve(), out.resolve().parent)
    extension = {"tabiji.markdown_ext": {"config_file": Path(config).as_posix()}}
    data["markdown_extensions"] = [e for e in data.get("markdown_extensions") or []
                                   if not (isinstance(e, dict) and "tabiji.markdown_ext" in e)] + [extension]
    home = generated.nav.doc
    entry = nav_entries(generated.nav, settings.prefix)
    if data.get("nav"):
        data["nav"] = [entry if item == home or isinstance(item, dict) and home in item.values() else item
                       for item in data["nav"]]
    note = None
    if settings.edit.enabled():
        theme = data.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        partial = package_files("tabiji") / "assets" / "theme" / "partials" / "actions.html"
        if custom is None:
            folder = out.resolve().parent / THEME_DIR
            (folder / "partials").mkdir(parents=True, exist_ok=True)
            (folder / "partials" / "actions.html").write_text(partial.read_text(encoding="utf-8"), encoding="utf-8")
            (folder / ".gitignore").write_text("# written by 'tabiji generate': not a source\n*\n", encoding="utf-8")
            if isinstance(theme, dict):
                theme["custom_dir"] = THEME_DIR
            else:
                data["theme"] = {"name": theme or "material", "custom_dir": THEME_DIR}
        elif not (settings.config_file.resolve().parent / str(custom) / "partials" / "actions.html").is_file():
            note = (f"edit buttons of the map's pages: copy {partial} into your theme's {custom}/partials/ "
                    "(it opens the YAML a page comes from)")
    with out.open("w", encoding="utf-8") as handle:
        y.dump(data, handle)
    return note


def _write(stage: Path, doc: str, prefix: str, text: str) -> None:
    assert doc.startswith(prefix + "/"), doc  # every generated path lives under the prefix
    target = stage / doc[len(prefix) + 1:]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
