"""The MkDocs adapter: runs the core at the right events and hands MkDocs its files.

All decisions live in the core modules; this class only translates between them and
MkDocs (files, navigation, config, messages).
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from jinja2.bccache import BytecodeCache, Bucket
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section, _add_parent_links, _add_previous_and_next_links
from mkdocs.structure.pages import Page

from tabiji.core.labels import label_lang, labels_for
from tabiji.index import Index, Mention, build_index, check_references, find_references, read_references
from tabiji.review.freshness import today
from tabiji.markdown_ext import resolve_references
from tabiji.site.pages import Generated, NavNode, ReviewInput, build_pages
from tabiji.core.paths import Paths
from tabiji.core.problems import InvalidSources, Problem, report
from tabiji.render.templating import environment, override_folder
from tabiji.render.render_cache import RenderCache
from tabiji.render.rawhtml import anchor_ids, protect, restore, search_text
from tabiji.source import rules
from tabiji.site import staging
from tabiji.site.generate import review_input, source_fingerprint
from tabiji.mkdocs_serve import SourceWatch
from tabiji.render import svg, swimlane
from tabiji.render.text import escape, forget_caches
from tabiji.source.validate import Site, forget_positions, load_site, symlinks_under

log = get_plugin_logger(__name__)
CSS = "assets/tabiji/tabiji.css"
JS = "assets/tabiji/tabiji.js"  # the map view buttons (fit to width, full screen)


class TabijiConfig(Config):
    source = c.Type(str, default="journeys")
    """Folder of the YAML sources (catalog/, personas/, maps/), relative to mkdocs.yml."""
    prefix = c.Type(str, default="map")
    """Folder under the site root where the generated pages are placed."""
    nav_title = c.Optional(c.Type(str))
    """Title of the generated section in the navigation (default: localized 'Customer journeys')."""
    nav_group_size = c.Type(int, default=20)
    """Largest number of pages listed in one navigation section before they are grouped."""
    language = c.Optional(c.Type(str))
    """Language of the labels the plugin writes (default: theme.language)."""
    freshness = c.Type(bool, default=True)
    """Review boxes on persona, journey and roadmap pages, and the freshness page."""
    history = c.Type(bool, default=True)
    """A history page: the map's changes per commit (needs the sources in a git repository)."""
    history_limit = c.Type(int, default=50)
    """The number of newest commits the history page describes."""
    placeholders = c.Type(bool, default=True)
    """Hand generated pages to Markdown with their raw HTML swapped for placeholders, put back
    afterwards (much faster; turn off for a plugin that must read that HTML in on_page_markdown)."""
    checks = c.Type(dict, default={})
    templates = c.Optional(c.Type(str))
    """Folder of the site's own page templates, relative to mkdocs.yml (default: tabiji/ in the theme's custom_dir)."""
    """The map's logic rules (tabiji check): rule id (or 'default') -> warn, error or off (default: warn)."""


class TabijiPlugin(BasePlugin[TabijiConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self._cache: tuple[tuple, Site] | None = None  # sources fingerprint -> last valid site
        self.site: Site | None = None
        self.problems: list[Problem] = []
        self.generated: Generated | None = None
        self.paths = Paths()
        self.lang = "en"
        self._histories: dict = {}  # (HEAD, folder, limit) -> the map's history (serve)
        self.dirty = False
        self._dests: dict[str, str] = {}
        self._staged: tuple[Path, Path, str] | None = None  # (staging, final folder, configured site_dir)
        self._warnings: _Counter | None = None
        self._generated_docs: set[str] = set()
        self._search_enabled = False
        self._parsed: dict = {}  # source file -> (stat, parse), kept across serve rebuilds
        self._previous: tuple | None = None  # (pages and titles, digest per file) of the last build
        self._map_changed = True
        self._digested: dict[str, tuple[str, bytes]] = {}  # doc -> (its text, digest) in the last dirty build
        self._drawings = RenderCache()  # swimlanes and SVGs by their inputs (serve)
        self._bytecode = _MemoryBytecode()  # the theme's compiled templates (serve)
        self._blocks: dict[str, list[str]] = {}  # page -> its raw HTML blocks (on_page_markdown -> content)
        self._compact: set[str] = set()  # pages whose search text is their HTML without its tags
        self._full: str | None = None  # the HTML of the page search is reading

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keeps this instance across ``mkdocs serve`` rebuilds, so parsed sources are cached."""
        self.command = command
        self.dirty = dirty

    # ------------------------------------------------------------ staged build

    @event_priority(100)  # before other plugins read site_dir
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        return self._configure(self._stage(config))

    def _stage(self, config: MkDocsConfig) -> MkDocsConfig:
        """``mkdocs build`` writes into a staging folder, swapped in by on_post_build when
        nothing failed (serve builds into its own temporary folder)."""
        self._staged = None
        if self.command not in ("build", "gh-deploy"):
            return config
        target = Path(config.site_dir).resolve()
        self._staged = (staging.prepare(target, self.dirty), target, config.site_dir)
        config.site_dir = str(self._staged[0])
        self._warnings = _Counter()
        if config.strict:
            logging.getLogger("mkdocs").addHandler(self._warnings)
        return config

    @event_priority(-100)  # after every other plugin has written its files (search index, sitemaps)
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self._staged:
            return
        folder, target, configured = self._staged
        self._staged = None
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        config.site_dir = configured
        if self._warnings.count:  # MkDocs aborts right after this event: keep the previous site
            staging.discard(folder)
            return
        staging.swap(folder, target)

    def on_build_error(self, *, error: Exception) -> None:
        if self._staged:
            folder, _, configured = self._staged
            self._staged = None
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            staging.discard(folder)

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolves the source folder, watches it, adds our CSS and the Markdown extensions we need."""
        base = Path(config.config_file_path or ".").resolve().parent
        self.source = (base / self.config.source).resolve()
        config.watch.append(str(self.source))
        self.lang = self.config.language or config.theme.get("language") or "en"
        self._search_enabled = any(name.split("/")[-1] == "search" for name in config.plugins)
        self.paths = Paths(self.config.prefix.strip("/") or "map", config.use_directory_urls)
        self.templates = override_folder(self.config.templates, base, config.theme.custom_dir)
        if self.templates is not None and self.templates.is_dir():
            config.watch.append(str(self.templates))
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        if JS not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(JS)
        toc = config.mdx_configs.setdefault("toc", {})
        self._permalink_title = bool(toc.get("permalink")) and "permalink_title" not in toc
        if self._permalink_title:  # Material's tooltip, in the site's language (and words: on_pre_build)
            toc["permalink_title"] = labels_for(self.lang)["permalink"]
        for ext in ("attr_list", "toc"):
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        return config

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Watches the source folder ourselves, so that moving it away and back, removing it or
        replacing it is noticed (MkDocs watches the folder it saw at start, and only files)."""
        if str(self.source) in config.watch:
            config.watch.remove(str(self.source))
        SourceWatch(server, self.source).start()
        return server

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Loads and validates the sources before MkDocs cleans the site folder.

        A failed ``mkdocs build`` thus leaves the previous site untouched. During
        ``mkdocs serve`` problems are logged and shown on the map's home page instead,
        and the last valid map is kept, so the server keeps running.
        """
        problems: list[Problem] = []
        site, checked = self._load(problems)
        references = read_references(Path(config.docs_dir))
        for doc, (refs, _title) in references.items():
            problems += check_references(posixpath.join(_rel(config.docs_dir), doc), refs, checked)
        problems += symlinks_under(Path(config.docs_dir))
        if problems and self.command != "serve":
            raise PluginError("Tabiji found problems in the map's sources:\n" + report(problems))
        for problem in problems:
            log.error(str(problem))
        self.site, self.problems, self.references = site, problems, references
        if self._permalink_title and site is not None:  # MkDocs reads mdx_configs for each page it renders
            config.mdx_configs["toc"]["permalink_title"] = site.labels.get(label_lang(self.lang), {}).get(
                "permalink", labels_for(self.lang)["permalink"])
        if not problems:
            check_logic(site, self.config.checks, strict=self.command != "serve")
        review = self._review_input()  # before the parses are dropped: the history reuses them
        if not problems and self.command != "serve":
            forget_positions(site)
        self.generated = self._generate(review)
        if self.command != "serve":
            forget_caches(svg.wrap, svg._plain, svg._escape, swimlane._inline_html)
        self._generated_docs = {page.doc for page in self.generated.pages}
        self._blocks, self._compact, self._full = {}, set(), None
        # Also before MkDocs cleans the site folder: a clash with a hand-written page fails
        # the build with the previous site intact.
        docs = Path(config.docs_dir)
        for doc in [p.doc for p in self.generated.pages] + list(self.generated.assets) + [CSS, JS]:
            if (docs / doc).is_file():
                raise PluginError(_clash(doc))

    def _generate(self, review: ReviewInput | None) -> Generated:
        assert self.site is not None
        index: Index = build_index(self.site)
        for doc, (refs, title) in self.references.items():
            for ref in refs:
                index.mentions[(ref.collection, ref.id)].append(Mention(doc, title))
        try:
            return build_pages(self.site, index, self.lang, self.paths, self.config.nav_title or "",
                               self.problems, self.config.nav_group_size, review,
                               self._drawings if self.command == "serve" else None, self.templates)
        except InvalidSources as err:  # a site's template: located, no traceback, the previous site kept
            raise PluginError("Tabiji found problems in the site's templates:\n" + report(err.problems)) from None

    def _load(self, problems: list[Problem]) -> tuple[Site, Site]:
        """(the site to render, the site that hand-written pages are checked against).

        They differ when the sources have problems: then the last valid site is rendered
        (during serve) while links are checked against what the current sources define.
        """
        fingerprint = source_fingerprint(self.source)
        if self._cache and self._cache[0] == fingerprint:
            return self._cache[1], self._cache[1]
        try:
            site = load_site(self.source, self._parsed if self.command == "serve" else None)
        except InvalidSources as err:
            problems += err.problems
            return (self._cache[1] if self._cache else Site()), err.partial or Site()
        self._cache = (fingerprint, site)
        return site, site

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Adds the generated pages (made in on_pre_build), standalone SVGs and our stylesheet."""
        assert self.generated is not None
        home = self.generated.nav.doc
        # Where each existing file lands: docs/map.md and a generated map/index.md are both
        # site/map/index.html, and MkDocs would let one silently replace the other.
        self._dests = {f.dest_uri: f.src_uri for f in files}
        changed = self._changes()
        for page in self.generated.pages:
            file = _GeneratedFile.generated(config, page.doc, content=page.markdown)
            file.modified = changed(page.doc, page.markdown)
            if page.doc != home:  # placed by on_nav; keeps MkDocs from listing them as "not in nav"
                file.inclusion = InclusionLevel.NOT_IN_NAV
            self._add(files, file)
            if page.source:  # MkDocs joins this to the site's edit URL as is: quote '#', spaces
                files.get_file_from_path(page.doc).edit_uri = quote(posixpath.relpath(
                    Path(page.source).resolve().as_posix(), Path(config.docs_dir).resolve().as_posix()))
        for doc, text in self.generated.assets.items():
            file = _GeneratedFile.generated(config, doc, content=text)
            file.modified = changed(doc, text)
            self._add(files, file)
        if self.dirty and self._map_changed:  # their links' titles may have changed
            for doc in self.references:
                file = files.get_file_from_path(doc)
                if file is not None:
                    file.is_modified = lambda: True  # type: ignore[method-assign]
        for doc in (CSS, JS):
            asset = package_files("tabiji") / "assets" / posixpath.basename(doc)
            self._add(files, File.generated(config, doc, abs_src_path=str(asset)))
        # The files hold the text now; the plugin keeps only what later events need.
        self.generated = Generated([], {}, self.generated.nav)
        return files

    def _changes(self):
        """With ``--dirty``, a generated file is rebuilt only when its text changed since the
        last build (MkDocs would rebuild every generated file); every one when the list of
        pages or their titles changed, as each page's navigation shows them."""
        assert self.generated is not None
        if not self.dirty:  # every generated file is written: no digest needed
            self._previous, self._map_changed = None, True
            return lambda doc, text: True
        texts = {page.doc: page.markdown for page in self.generated.pages} | self.generated.assets
        known, self._digested = self._digested, {}
        digests = {}
        for doc, text in texts.items():  # a page the cache kept is the same string: not hashed again
            seen = known.get(doc)
            digests[doc] = seen[1] if seen is not None and seen[0] is text else _digest(text)
            self._digested[doc] = (text, digests[doc])
        titles = tuple((page.doc, page.title) for page in self.generated.pages)
        previous, self._previous = self._previous, (titles, digests)
        same_pages = bool(previous) and previous[0] == titles
        self._map_changed = not previous or previous[1] != digests
        if not same_pages:
            return lambda doc, text: True
        return lambda doc, text: previous[1].get(doc) != digests[doc]

    def _review_input(self) -> ReviewInput | None:
        """Review states and history, from the sources' git history (or 'unknown' without one)."""
        if not (self.config.freshness or self.config.history):
            return None
        assert self.site is not None
        try:
            on = today()
        except ValueError as err:
            raise PluginError(str(err)) from None
        review = review_input(self.site, self.source, on, self.config.freshness, self.config.history,
                              self.config.history_limit, self._histories)
        overdue = sum(r.needs_review for r in (review.states or {}).values()) if review else 0
        if overdue:  # information, not a warning: a stale review must not fail --strict
            log.info(f"{overdue} document(s) need review; see the freshness page or 'tabiji validate --stale'")
        return review

    def _add(self, files: Files, file: File) -> None:
        if files.get_file_from_path(file.src_uri) is not None:  # e.g. a file another plugin added
            raise PluginError(_clash(file.src_uri))
        if file.dest_uri in self._dests:
            raise PluginError(f"Tabiji generates '{file.src_uri}', which is published as '{file.dest_uri}', "
                              f"but docs/{self._dests[file.dest_uri]} is published there too; rename that "
                              "page or set the plugin's 'prefix' option")
        self._dests[file.dest_uri] = file.src_uri
        files.append(file)

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """While serving, the theme's templates are compiled once, not on every rebuild (MkDocs
        makes a new Jinja environment each time; compiling Material's took a third of a rebuild
        of the example). Jinja checks each template's source before reusing its code."""
        if self.command == "serve" and env.bytecode_cache is None:
            env.bytecode_cache = self._bytecode
        return env

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Puts the generated section where the site's nav names the map's home page (else at the end)."""
        assert self.generated is not None
        tree = self.generated.nav
        home = files.get_file_from_path(tree.doc or "").page
        section = self._section(tree, files)
        placed = _replace(nav.items, home, section, self.config.nav_title)
        items = nav.items if placed else nav.items + [section]
        _add_parent_links(items)
        pages = _pages_in(items)
        _add_previous_and_next_links(pages)
        return Navigation(items, pages)

    def _section(self, node: NavNode, files: Files) -> Section | Page:
        page = files.get_file_from_path(node.doc).page if node.doc else None
        if not node.children and page is not None:
            return page
        children = [self._section(child, files) for child in node.children]
        # Section titles go into Material's HTML unescaped (as titles from mkdocs.yml do).
        return Section(escape(node.title), ([page] if page is not None else []) + children)

    @event_priority(100)  # before the search plugin reads page.content
    def _search_reads_compact(self, context, page: Page, config: MkDocsConfig, nav: Navigation):
        if self._search_enabled and page.file.src_uri in self._compact:
            self._full = page.content
            page.content = search_text(page.content)  # made here, so one page's is held at a time
        return context

    @event_priority(-100)  # after the search plugin, before the page template
    def _page_gets_html(self, context, page: Page, config: MkDocsConfig, nav: Navigation):
        """Puts the page's HTML back after search read its compact text; edit links of
        generated pages point at their YAML source: resolves the '../' in them."""
        if self._full is not None:
            page.content, self._full = self._full, None
        if page.edit_url and "/../" in page.edit_url:
            parts = urlsplit(page.edit_url)
            page.edit_url = urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))
        return context

    on_page_context = CombinedEvent(_search_reads_compact, _page_gets_html)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Generated pages: their raw HTML waits outside Markdown (see rawhtml.py).
        Hand-written pages: ``[text](journey:id)`` become links and ``![](journey:id)`` swimlanes."""
        if page.file.src_uri in self._generated_docs:
            if not self.config.placeholders:
                return markdown
            protected = protect(markdown)
            self._blocks[page.file.src_uri] = protected.blocks
            # Read once: a large map's generated text is not held twice for the whole build.
            page.file.content_string = ""
            return protected.markdown
        refs = find_references(markdown)
        if not refs or self.site is None:
            return markdown
        return resolve_references(markdown, refs, page.file.src_uri, self.site, self.lang, self.paths,
                                  environment(self.templates) if any(r.embed for r in refs) else None)

    @event_priority(100)  # other plugins see the page's whole HTML
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        blocks = self._blocks.pop(page.file.src_uri, None)
        if not blocks:
            return html
        restored, found = restore(html, blocks)
        if found != len(blocks):  # a bug, not a user's mistake: say so rather than drop content
            raise PluginError(f"Tabiji lost {len(blocks) - found} of {len(blocks)} HTML blocks of "
                              f"'{page.file.src_uri}'; set 'placeholders: false' and report it")
        if isinstance(getattr(page, "present_anchor_ids", None), set):
            page.present_anchor_ids |= anchor_ids(blocks)
        self._compact.add(page.file.src_uri)
        return restored


class _MemoryBytecode(BytecodeCache):
    """Compiled templates kept in memory across serve rebuilds, by name and source checksum."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class _GeneratedFile(File):
    """A generated page or asset that knows whether it changed since the last build."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Counter(logging.Handler):
    """Counts warnings as MkDocs' strict mode does, which aborts only after on_post_build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _clash(doc: str) -> str:
    return f"Tabiji generates '{doc}', but docs/ already has a file there; move it or set the plugin's 'prefix' option"


def _rel(path: str) -> str:
    import os
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _replace(items: list, home: Page | None, section: Section, nav_title: str | None) -> bool:
    """Replace the home page (or the auto-nav section holding it) with our section, in place."""
    for i, item in enumerate(items):
        if item is home:
            if nav_title is None and "title" in vars(item):
                section.title = vars(item)["title"]  # the title the site's nav gave it
            items[i] = section
            return True
        if isinstance(item, Section):
            if home in item.children and all(isinstance(ch, (Page, Section)) for ch in item.children) \
                    and _is_auto_section(item, home):
                items[i] = section
                return True
            if _replace(item.children, home, section, nav_title):
                return True
    return False


def _is_auto_section(section: Section, home: Page) -> bool:
    """MkDocs' automatic nav makes a section per folder; ours holds only generated pages."""
    prefix = posixpath.dirname(home.file.src_uri) + "/"
    return all(getattr(getattr(ch, "file", None), "src_uri", prefix).startswith(prefix) for ch in section.children)


def _pages_in(items: list) -> list[Page]:
    pages = []
    for item in items:
        if isinstance(item, Section):
            pages += _pages_in(item.children)
        elif isinstance(item, Page):
            pages.append(item)
    return pages


def check_logic(site: Site, configured: Any, strict: bool = True) -> None:
    """The build's part: findings logged as warnings (``--strict`` fails on them) or errors,
    which fail the build (during ``mkdocs serve`` they are logged and the server keeps going)."""
    log = get_plugin_logger("tabiji.source.rules")
    chosen, errors = rules.settings(configured)
    if errors:
        raise PluginError("tabiji: " + "; ".join(errors))
    found = rules.run(site, chosen)
    for severity, finding in found:
        (log.error if severity == "error" else log.warning)(str(finding))
    failed = [f for severity, f in found if severity == "error"]
    if failed and strict:
        raise PluginError(f"Tabiji's checks found {len(failed)} error{'s' if len(failed) != 1 else ''} in the "
                          "map's logic (see above; 'checks' in mkdocs.yml sets each rule to warn, error or off)")

