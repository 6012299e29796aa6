"""Every generated page as Markdown, every standalone diagram, and their navigation tree:
the writer's pages (``writer``), the roadmap pages, the review pages and the lifecycle page,
put together in the customer's order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabiji.site.evidence_pages import assumptions
from tabiji.review.freshness import Review
from tabiji.index import Index, journeys_for_persona
from tabiji.site.lifecycle import lifecycle_doc, lifecycle_page
from tabiji.core.labels import site_labels
from tabiji.core.paths import Paths
from tabiji.core.problems import Problem
from tabiji.core import model as m
from tabiji.render.render_cache import RenderCache
from tabiji.render.templating import template_state
from tabiji.site.review_pages import review_pages
from tabiji.site.roadmap_pages import build_roadmap_pages
from tabiji.core.lang import localize
from tabiji.render.text import escape
from tabiji.source.validate import Site
from tabiji.site.writer import NAV_GROUP_SIZE, Generated, GeneratedPage, NavNode, _Writer

__all__ = ["Generated", "GeneratedPage", "NavNode", "ReviewInput", "build_pages"]


def _grouped(w: _Writer, collection: str, size: int) -> list[NavNode]:
    """Pages of a collection for the navigation, in sections of at most ``size`` entries.

    Material renders every visible sidebar entry into every page; bounded groups (with
    ``navigation.prune``) keep each page's sidebar small however many journeys there are.
    """
    nodes = [NavNode(w.name(collection, i), w.paths.doc(collection, i)) for i in w.sorted_ids(collection)]
    while len(nodes) > size:
        chunks = [nodes[k:k + size] for k in range(0, len(nodes), size)]
        nodes = [NavNode(w.t["group"].format(first=_first_title(c[0]), last=_first_title(c[-1], last=True)),
                         None, c) for c in chunks]
    return nodes


def _first_title(node: NavNode, last: bool = False) -> str:
    while node.children:
        node = node.children[-1 if last else 0]
    return node.title


def build_pages(site: Site, index: Index, lang: str, paths: Paths, title: str = "",
                problems: list[Problem] | None = None, group_size: int = NAV_GROUP_SIZE,
                review: "ReviewInput | None" = None, cache: RenderCache | None = None,
                templates: Path | None = None) -> Generated:
    """All pages, diagrams and the navigation tree for ``site`` (and, given ``review``, the
    review boxes and the freshness and history pages; given ``cache``, drawings unchanged
    since its last build are not drawn again; given ``templates``, the site's own templates
    are used before the package's). The site's label overrides hold for the whole build."""
    with site_labels(site.labels):
        return _build_pages(site, index, lang, paths, title, problems, group_size, review, cache, templates)


def _build_pages(site: Site, index: Index, lang: str, paths: Paths, title: str, problems: list[Problem] | None,
                 group_size: int, review: "ReviewInput | None", cache: RenderCache | None,
                 templates: Path | None) -> Generated:
    w = _Writer(site, index, lang, paths, title, templates)
    if cache is not None:
        w.cache = cache
    w.cache.begin(site, lang, repr(paths), json.dumps(site.labels, ensure_ascii=False, sort_keys=True),
                  w.env.tabiji_state)  # overridden labels and an edited diagram template redraw
    w.reviews = review.states if review and review.states else {}
    w.has_history = bool(review and review.show_history)
    w.today = review.today if review else None
    t = w.t
    pages = [w.home(problems or [])]
    assets: dict[str, str] = {}
    keys = _PageKeys(w, index, review, templates) if cache is not None else None
    for jid in sorted(site.journeys):
        journey = site.journeys[jid]
        page, svg = w.cache.page("journey", keys.journey(journey) if keys else (), lambda: w.journey_page(journey))
        pages.append(page)
        assets[paths.asset(jid)] = svg
    pages += [w.cache.page("persona", keys.persona(site.personas[i]) if keys else (),
                           lambda i=i: w.persona_page(site.personas[i])) for i in sorted(site.personas)]
    pages += [w.cache.page("department", keys.named("departments", site.departments[i]) if keys else (),
                           lambda i=i: w.department_page(site.departments[i])) for i in sorted(site.departments)]
    pages += [w.cache.page("kpi", keys.kpi(site.kpis[i]) if keys else (),
                           lambda i=i: w.kpi_page(site.kpis[i])) for i in sorted(site.kpis)]
    pages += [w.cache.page("touchpoint", keys.named("touchpoints", site.touchpoints[i]) if keys else (),
                           lambda i=i: w.touchpoint_page(site.touchpoints[i])) for i in sorted(site.touchpoints)]
    here = {c: paths.doc(c) for c in ("journeys", "personas", "departments", "kpis")}
    pages.append(w.collection_index("journeys", [
        (t["journey"], lambda i: w.a("journeys", i, here["journeys"])),
        (t["personas"], lambda i: w.links("personas", site.journeys[i].personas, here["journeys"])),
        (t["phases"], lambda i: " → ".join(escape(localize(p.name, lang)) for p in site.journeys[i].phases)),
        (t["owner"], lambda i: w.a("departments", site.journeys[i].owner, here["journeys"])),
    ]))
    pages.append(w.collection_index("personas", [
        (t["persona"], lambda i: w.a("personas", i, here["personas"])),
        (t["role"], lambda i: w.inline(site.personas[i].role) if site.personas[i].role else ""),
        (t["segments"], lambda i: w.links("segments", site.personas[i].segments, here["personas"])),
        (t["journeys"], lambda i: w.links("journeys", w.sorted_ids(
            "journeys", [j.id for j in journeys_for_persona(site, i)]), here["personas"])),
    ]))
    pages.append(w.collection_index("departments", [
        (t["department"], lambda i: w.a("departments", i, here["departments"])),
        (t["people"], lambda i: "、".join(w.inline(o) for o in site.departments[i].owners)),
        (t["owned_journeys"], lambda i: str(sum(u.role == "owner" for u in index.used("departments", i)))),
        (t["owned_phases"], lambda i: str(sum(u.role == "phase_owner" for u in index.used("departments", i)))),
    ], extra=w.section(t["review_rule"], "review-rule", w.review_rule(here["departments"]))))
    pages.append(w.collection_index("kpis", [
        (t["kpi"], lambda i: w.a("kpis", i, here["kpis"])),
        (t["target"], lambda i: w.kpi_target(site.kpis[i])),
        (t["baseline"], lambda i: w.kpi_baseline(site.kpis[i])),
        (t["deadline"], lambda i: escape(site.kpis[i].deadline.isoformat()) if site.kpis[i].deadline else ""),
        (t["owner"], lambda i: w.a("departments", site.kpis[i].owner, here["kpis"]) if site.kpis[i].owner else ""),
        (t["journeys"], lambda i: str(len(index.journeys_using("kpis", i)))),
    ]))
    pages.append(w.touchpoints_index())
    pages.append(w.segments_page())
    pages.append(lifecycle_page(w))
    more = build_roadmap_pages(w, keys.roadmap if keys else None)
    pages += more.pages
    assets.update(more.assets)
    sections = {c: NavNode(t[c], paths.doc(c), _grouped(w, c, group_size))
                for c in ("journeys", "personas", "departments", "kpis", "touchpoints")}
    sections["segments"] = NavNode(t["segments"], paths.doc("segments"))
    sections.update(more.nav)
    sections["lifecycle"] = NavNode(t["lifecycle"], lifecycle_doc(w))
    if "roadmaps" in sections:
        sections["roadmaps"].children = _grouped(w, "roadmaps", group_size)
    order = ("start", "lifecycle", "journeys", "roadmaps", "playbooks", "personas", "departments", "kpis", "metrics", "health",
             "touchpoints", "segments", "roles", "glossary")
    nav = NavNode(w.title, paths.doc("home"), [sections[c] for c in order if c in sections])
    nav.children += assumptions(w, pages)  # evidence (issue 13): the hypotheses page, when there is evidence
    if review is not None:  # review: freshness and history pages
        extra, nodes = review_pages(w, review.states, review.today, review.history, review.show_history,
                                    review.history_limit)
        pages += extra
        nav.children += nodes
    w.cache.end()
    return Generated(pages, assets, nav)


class _PageKeys:
    """What a kept page (``RenderCache.page``) is made from, beyond the catalogs, personas,
    roadmaps, glossary, language and URL layout that the cache's context holds already.

    Every kept page shares: the journeys' order, every journey's title, phase and step
    names (how any page names and links a journey), the review states and history switch,
    the review day, the map's title and the site's templates. A journey page adds its
    journey, its source file and the hand-written pages that link to it; a department or
    touchpoint page its entry, its source file, those links and every journey that names
    it (its usages are read from them)."""

    def __init__(self, w: _Writer, index: Index, review: "ReviewInput | None", templates: Path | None):
        self.w, self.index = w, index
        self._journeys: dict[str, str] = {}  # id -> its JSON's digest, once per build
        self._ladder: str | None = None
        self._words: dict[str, str] | None = None
        reviews = sorted((repr(k), repr(v)) for k, v in w.reviews.items())
        # Digested once: the review states of a large map are long, and every kept page's key holds them.
        self.shared = hashlib.blake2b("\x1f".join([
            json.dumps(w.sorted_ids("journeys"), ensure_ascii=False), w.cache.phase_names().hex(), repr(reviews),
            repr((w.has_history, w.today, w.title)), repr(template_state(templates))]).encode("utf-8", "surrogatepass"),
            digest_size=16).hexdigest()

    def _mentions(self, collection: str, id_: str) -> str:
        return repr(sorted(set(self.index.mentions.get((collection, id_), []))))

    def _journey(self, jid: str) -> str:
        found = self._journeys.get(jid)
        if found is None:
            found = self._journeys[jid] = self.w.cache.dumped(self.w.site.journeys[jid])
        return found

    def journey(self, journey: m.Journey) -> tuple[str, ...]:
        return (self.shared, self._journey(journey.id), self.w.site.source_file("journeys", journey.id),
                self._mentions("journeys", journey.id))

    def persona(self, persona: m.Persona) -> tuple[str, ...]:
        """A persona page also shows its journeys' goals."""
        jids = sorted({u.journey for u in self.index.used("personas", persona.id)})
        return (self.shared, persona.model_dump_json(), self.w.site.source_file("personas", persona.id),
                self._mentions("personas", persona.id), *(self._journey(j) for j in jids))

    def kpi(self, kpi: m.Kpi) -> tuple[str, ...]:
        """A KPI page also shows the site's ladder, the personas measured by it and every
        journey cell that names it (its thresholds)."""
        w = self.w
        if self._words is None:  # each journey's cell words, joined: one search per journey and KPI
            words: dict[str, list[str]] = {}
            for row in w.lane_texts():
                words.setdefault(row[0], []).append(row[5])
            self._words = {jid: "\x00".join(texts) for jid, texts in words.items()}
        name = localize(kpi.name, w.lang)
        naming = sorted(jid for jid, text in self._words.items() if name and name in text)
        return (*self.named("kpis", kpi), self.ladder(), repr(self.index.personas_by_kpi.get(kpi.id, [])),
                *(self._journey(j) for j in naming))

    def ladder(self) -> str:
        if self._ladder is None:
            self._ladder = "\x1f".join(f"{k}\x1e{r.model_dump_json()}" for k, r in self.w.site.ladder.items())
        return self._ladder

    def roadmap(self, roadmap: m.Roadmap) -> tuple[str, ...]:
        """A roadmap and its playbook read the roadmap, the catalogs and how journeys and
        their phases are named (all in the shared part and the context) and its mentions."""
        return (self.shared, roadmap.model_dump_json(), self.w.site.source_file("roadmaps", roadmap.id),
                self._mentions("roadmaps", roadmap.id), self._mentions("playbooks", roadmap.id), self.ladder())

    def named(self, collection: str, entity: Any) -> tuple[str, ...]:
        site = self.w.site
        using = sorted({u.journey for u in self.index.used(collection, entity.id)})
        return (self.shared, entity.model_dump_json(), site.source_file(collection, entity.id),
                self._mentions(collection, entity.id), repr(self.index.used(collection, entity.id)),
                *(self._journey(j) for j in using if j in site.journeys))


@dataclass
class ReviewInput:
    """What the review pages need, gathered by the caller (git is read there, not here)."""

    states: dict[tuple[str, str], Review] | None
    today: Any
    history: Any = None  # list of history entries, or None when there is no git history
    show_history: bool = False
    history_limit: int = 50
