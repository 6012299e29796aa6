"""``[](persona:id)`` links and ``![](journey:id)`` embeds in hand-written pages, for an
engine that runs Python-Markdown but not the tabiji plugin (Zensical, ProperDocs or MkDocs
after ``tabiji generate``)::

    markdown_extensions:
      - tabiji.markdown_ext:
          config_file: mkdocs.yml   # where the tabiji plugin's options are (default)

The page being rendered is learnt from Zensical's rendering context; elsewhere links are
written from the docs root (``/map/...``), right for a site served at its domain's root.
Unknown ids are logged with file, line and column (``tabiji generate`` fails on them).
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from tabiji.site.generate import Settings, read_settings, source_fingerprint
from tabiji.index import Reference, check_references, find_references
from tabiji.core.paths import Paths
from tabiji.core.problems import InvalidSources
from tabiji.render.swimlane import render_swimlane
from tabiji.render.templating import environment
from tabiji.core.lang import localize
from tabiji.render.text import markdown_literal
from tabiji.source.validate import Site, load_site

log = logging.getLogger("tabiji")
_sites: dict[tuple, Site] = {}  # (settings, sources fingerprint) -> site: one load per build


def resolve_references(markdown: str, refs: list[Reference], here: str, site: Site, lang: str,
                       paths: Paths, env: Any = None) -> str:
    """``markdown`` with each known reference made a link (or, for an embed, the swimlane, drawn
    with the site's templates ``env``); unknown ones are left as they are (the caller reports
    them). Shared by every front end."""
    out, last = [], 0
    for ref in refs:
        entity = getattr(site, ref.collection).get(ref.id)
        if entity is None:
            continue
        out.append(markdown[last:ref.start])
        if ref.embed:
            svg = paths.href(paths.asset(ref.id), here)
            out.append("\n" + render_swimlane(entity, site, lang, paths, here, svg, env) + "\n")
        else:
            text = ref.text or markdown_literal(localize(getattr(entity, "title", None) or entity.name, lang))
            target = paths.md_link(ref.collection, ref.id, here)
            out.append(f"[{text}]({target if not ref.fragment else target.split('#')[0] + ref.fragment})")
        last = ref.end
    out.append(markdown[last:])
    return "".join(out)


def _site(settings: Settings) -> Site | None:
    key = (settings, source_fingerprint(settings.source))
    if key not in _sites:
        _sites.clear()
        try:
            _sites[key] = load_site(settings.source)
        except InvalidSources as err:
            log.error("tabiji: the map's sources have problems:\n%s", err)
            return None
    return _sites[key]


class _References(Preprocessor):
    def __init__(self, md: Markdown, config_file: str):
        super().__init__(md)
        self.config_file = config_file

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        refs = find_references(text)
        if not refs:
            return lines
        settings = read_settings(Path(self.config_file))
        site = _site(settings)
        if site is None:
            return lines
        here = self._page_path()
        shown = posixpath.join(str(settings.docs_dir), here) if here else "(page)"
        for problem in check_references(shown, refs, site):
            log.warning("tabiji: %s", problem)
        # Zensical rewrites relative links in raw HTML from the source file: give it source paths.
        paths = Paths(settings.prefix, settings.use_directory_urls, source_links=bool(here))
        # Without the page's own path, links are written from the docs root.
        resolved = resolve_references(text, refs, here or "index.md", site, settings.lang, paths,
                                      environment(settings.templates) if any(r.embed for r in refs) else None)
        if not here:
            resolved = resolved.replace("](" + settings.prefix + "/", "](/" + settings.prefix + "/")
        return resolved.split("\n")

    def _page_path(self) -> str:
        """The docs-relative path of the page, from Zensical's rendering context (duck-typed:
        no engine is imported)."""
        if "rendering_context" in self.md.preprocessors:
            page = getattr(self.md.preprocessors["rendering_context"], "page", None)
            path = getattr(page, "path", None)
            if isinstance(path, str) and path:
                return path.replace("\\", "/")
        return ""


class TabijiExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"config_file": ["mkdocs.yml", "The site's mkdocs.yml, with the tabiji plugin's options."]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Before the HTML-block pass (priority 20), so an embedded swimlane is a raw HTML block.
        md.preprocessors.register(_References(md, self.getConfig("config_file")), "tabiji_references", 25)


def makeExtension(**kwargs) -> TabijiExtension:
    return TabijiExtension(**kwargs)
