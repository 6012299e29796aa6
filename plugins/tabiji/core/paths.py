"""Where each generated page lives, and relative links between pages.

MkDocs rewrites links in Markdown, but not inside raw HTML or inline SVG; the diagrams
use these functions to compute the same relative URLs MkDocs would.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from dataclasses import dataclass

# collection -> folder under the prefix; segments and channels are anchors on one page.
FOLDERS = {
    "journeys": "journeys", "personas": "personas", "departments": "departments",
    "kpis": "kpis", "touchpoints": "touchpoints", "roadmaps": "roadmaps", "playbooks": "playbooks",
}
ANCHORED = {"segments": "segments.md", "channels": "touchpoints/index.md", "roles": "roles.md",
            "glossary": "glossary.md"}
ANCHOR_PREFIX = {"glossary": "term"}  # else the collection's name in the singular
# Single generated pages (no id): the new hire's start page, the metrics ladder, health-score candidates.
SINGLE = {"home": "index.md", "start": "start.md", "metrics": "metrics.md", "health": "health.md"}


@dataclass(frozen=True)
class Paths:
    prefix: str = "map"
    use_directory_urls: bool = True
    # Links between source files (``../kpis/nps.md``) instead of URLs, for an engine that
    # rewrites relative links in raw HTML itself (Zensical, after ``tabiji generate``).
    source_links: bool = False

    def doc(self, collection: str, id_: str | None = None) -> str:
        """Docs-relative source path of an entity's page (or of a collection's index)."""
        if collection in ANCHORED:
            return f"{self.prefix}/{ANCHORED[collection]}"
        if collection in SINGLE:
            return f"{self.prefix}/{SINGLE[collection]}"
        folder = FOLDERS[collection]
        return f"{self.prefix}/{folder}/{id_}.md" if id_ else f"{self.prefix}/{folder}/index.md"

    def anchor(self, collection: str, id_: str) -> str:
        """The fragment for entities that share a page, else ''."""
        if collection not in ANCHORED:
            return ""
        return f"#{ANCHOR_PREFIX.get(collection, collection[:-1])}-{id_}"

    def asset(self, id_: str, collection: str = "journeys") -> str:
        """The standalone SVG of a journey's or a roadmap's diagram."""
        return f"{self.prefix}/{FOLDERS[collection]}/{id_}.svg"

    def url(self, doc_path: str) -> str:
        """Site-relative URL of a docs path, as MkDocs computes it."""
        if not doc_path.endswith(".md"):
            return doc_path
        stem = doc_path[:-3]
        if not self.use_directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"

    def href(self, target_doc: str, from_doc: str, fragment: str = "") -> str:
        """Relative URL from the page of ``from_doc`` to ``target_doc``."""
        return _href(self, target_doc, from_doc) + fragment

    def _href(self, target_doc: str, from_doc: str) -> str:
        if self.source_links:
            return _relative(target_doc, posixpath.dirname(from_doc))
        target, origin = self.url(target_doc), self.url(from_doc)
        base = origin.rsplit("/", 1)[0] if "/" in origin else ""  # the folder the page is served from
        rel = _relative(target.rstrip("/"), base)
        if (not target or target.endswith("/")) and not rel.endswith("/"):
            rel += "/"  # directory URLs keep their slash, as MkDocs writes them
        return rel

    def link(self, collection: str, id_: str, from_doc: str) -> str:
        return self.href(self.doc(collection, id_), from_doc, self.anchor(collection, id_))

    def md_link(self, collection: str, id_: str, from_doc: str) -> str:
        """Relative ``.md`` path for a Markdown link, which MkDocs checks and rewrites."""
        target = self.doc(collection, id_)
        rel = posixpath.relpath(target, posixpath.dirname(from_doc) or ".")
        return rel + self.anchor(collection, id_)


def _relative(target: str, base: str) -> str:
    """posixpath.relpath for clean site-relative paths, without its abspath/getcwd calls."""
    t = target.split("/") if target else []
    b = base.split("/") if base else []
    common = 0
    while common < len(t) and common < len(b) and t[common] == b[common]:
        common += 1
    return "/".join([".."] * (len(b) - common) + t[common:]) or "."


# posixpath.relpath is slow and pages link to the same few targets from the same few
# folders again and again: cache by (paths, target, origin); Paths is frozen, so hashable.
_href = lru_cache(maxsize=262144)(Paths._href)
