"""The page writer: one site's pages in one language, as Markdown with HTML (the shared
pieces, and the journey, persona, department, KPI and touchpoint pages). ``pages`` puts
them, the roadmap, review and lifecycle pages and the navigation tree together.

Headings are Markdown (so the table of contents, permalinks and search sections work);
everything with writer's text is HTML made here, because writer's text is rendered with
raw HTML disabled and links inside HTML are computed here (MkDocs does not rewrite them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from markupsafe import Markup

from tabiji.core import model as m
from tabiji.review.freshness import Review, cadence_words, last_change_words, status_words
from tabiji.render.conditions import condition_html, health_candidates
from tabiji.render.evidence import sources_html
from tabiji.render.map_facts import journey_kpis_html, loops_html
from tabiji.render.glossary import Glossary
from tabiji.index import Index, Mention, RoadmapUsage, journeys_for_persona
from tabiji.core.labels import labels_for
from tabiji.site.order import column_position, ordered
from tabiji.core.paths import Paths
from tabiji.core.problems import Problem
from tabiji.render.svg import render_svg
from tabiji.render.render_cache import NoCache, RenderCache
from tabiji.render.swimlane import render_swimlane
from tabiji.render.templating import environment, render, svg_environment
from tabiji.core.lang import localize
from tabiji.render.text import escape, markdown_block, markdown_inline, plain, wrap_html
from tabiji.source.validate import Site

NAV_GROUP_SIZE = 20
MAP_PAGE = ("navigation", "toc")  # a journey or roadmap page gives its map the window's width


class Threshold(NamedTuple):
    """A value the map sets on a KPI (``lists.j2``: kpi_thresholds), every field HTML (escaped)."""

    meaning: str  # target, checkpoint, trigger, journey text
    value: str
    where: list[str]  # shown "a › b": names and links
    description: str
    deadline: str = ""  # the target's date, shown after the word 'deadline'


@dataclass(frozen=True)
class GeneratedPage:
    doc: str  # docs-relative path, e.g. map/journeys/onboarding.md
    markdown: str
    title: str
    source: str | None = None  # the YAML file it comes from (for edit links and messages)


@dataclass
class NavNode:
    """A navigation entry: a page (``doc``), a section (``children``), or a section with an index."""

    title: str
    doc: str | None = None
    children: list["NavNode"] = field(default_factory=list)


@dataclass
class Generated:
    pages: list[GeneratedPage]
    assets: dict[str, str]  # docs-relative path -> file text (standalone SVGs)
    nav: NavNode


class _Writer:
    """Shared state for writing one site's pages in one language."""

    def __init__(self, site: Site, index: Index, lang: str, paths: Paths, title: str,
                 templates: Path | None = None):
        self.site, self.index, self.lang, self.paths = site, index, lang, paths
        self.env = environment(templates)  # compiled once per override folder (templating)
        self.m = self.env.get_template("macros.j2").module  # the shared pieces, for Python callers too
        self.p = self.env.get_template("pieces.j2").module  # the writer's marks and short lists
        # The long lists and tables (lists.j2) do not autoescape, as the SVGs: their values are escaped here.
        self.lists = svg_environment(self.env).get_template("lists.j2").module
        self._kinds: dict[str, str] = {}  # kind -> its badge (two kinds, placed on many pages)
        self._values: dict[tuple[str, str], str] = {}  # (value, direction) -> a KPI value's HTML
        self._templates: dict[str, Any] = {}
        self.t = labels_for(lang)
        self.title = title or self.t["map"]
        self.glossary = Glossary.of(site.glossary, lang)
        self.seen_terms: set[str] = set()  # glossary terms already marked on the current page
        self._ranks: dict[str, dict[str, int]] = {}  # collection -> id -> position in its order
        self._lane_texts: list[tuple] | None = None
        self._names: dict[tuple[str, str], str] = {}
        self._links: dict[tuple[str, str, str, str], str] = {}
        self.cache: RenderCache = NoCache()  # rendered drawings, kept across serve rebuilds
        self.reviews: dict[tuple[str, str], Review] = {}  # review state per document, when known
        self.has_history = False  # whether the history page is built
        self.today: Any = None  # the review day (KPIs past their deadline are marked), when known

    def render(self, name: str, here: str, **context: Any) -> str:
        """Page template ``name`` with ``context``, the labels (``t``) and the page's helpers (``h``)."""
        template = self._templates.get(name)
        if template is None:
            template = self._templates[name] = self.env.get_template(name)
        context.update(t=self.t, h=Html(self, here), lang=self.lang)
        return render(template, context)

    def review(self, collection: str, id_: str, here: str) -> str:
        """The review box (badge, owner, last review and change) of a document, if known."""
        state = self.reviews.get((collection, id_))
        return str(self.m.review_box(self.review_data(state, here))) if state else ""

    def review_data(self, review: Review, here: str) -> dict[str, Any]:
        """What the review box shows (``macros.j2``: review_box)."""
        t = self.t
        rows = [
            (t["owner"], Markup(self.a("departments", review.owner, here)) if review.owner else t["review.no_owner"]),
            (t["review.last_reviewed"], review.last_reviewed.isoformat() if review.last_reviewed
             else t["review.never"]),
            (t["review.every"], cadence_words(review.cadence, t)),
            (t["review.due"], review.due.isoformat() + " — " + status_words(review, t) if review.due else ""),
            (t["review.last_changed"], last_change_words(review, t)),
        ]
        return {"state": "stale" if review.needs_review else "ok", "label": t["review.box"], "rows": rows,
                **self.badge_data(review)}

    def badge_data(self, review: Review) -> dict[str, str]:
        t = self.t
        if review.last_reviewed is None:
            return {"badge": "stale", "badge_words": t["review.never"]}
        if review.overdue_days > 0:
            return {"badge": "stale", "badge_words": t["review.needs"]}
        return {"badge": "ok", "badge_words": t["review.ok"]}

    def badge(self, review: Review) -> str:
        data = self.badge_data(review)
        return str(self.m.badge(data["badge"], data["badge_words"]))

    # -- small pieces

    def name(self, collection: str, id_: str) -> str:
        key = (collection, id_)
        if key not in self._names:
            entity = getattr(self.site, collection)[id_]
            self._names[key] = localize(getattr(entity, "title", None) or getattr(entity, "name", None)
                                        or entity.term, self.lang)
        return self._names[key]

    def a(self, collection: str, id_: str, here: str, fragment: str = "") -> str:
        key = (collection, id_, here, fragment)
        if key not in self._links:  # a large map links the same entity from a page many times
            href = self.paths.link(collection, id_, here) + fragment
            self._links[key] = f'<a href="{escape(href)}">{escape(self.name(collection, id_))}</a>'
        return self._links[key]

    def links(self, collection: str, ids: Iterable[str], here: str) -> str:
        return "、".join(self.a(collection, i, here) for i in ids) if self.lang.startswith("ja") else \
            ", ".join(self.a(collection, i, here) for i in ids)

    # Phrase breaks come last: the glossary matches terms in the unbroken text.
    def inline(self, text: Any) -> str:
        return wrap_html(self.glossary.annotate(markdown_inline(localize(text, self.lang)), self.seen_terms))

    def block(self, text: Any) -> str:
        return wrap_html(self.glossary.annotate(markdown_block(localize(text, self.lang)), self.seen_terms))

    def bullets(self, items: list[Any]) -> str:
        return str(self.p.bullets([Markup(self.inline(i)) for i in items]))

    # The shared pieces are macros (templates/macros.j2); Python gives them HTML it made as Markup.
    def heading(self, label: str, anchor: str, level: int = 2) -> str:
        """A Markdown heading of the writer's text, with a stable anchor."""
        return f"{self.m.heading(label, anchor, level)}\n"

    def section(self, label: str, anchor: str, body: str) -> str:
        """A ``##`` heading with a stable anchor, then its HTML body."""
        return str(self.m.section(label, anchor, Markup(body)))

    def item_list(self, items: list[str]) -> str:
        """Items (HTML, each the content of one <li>) as a list, or 'none' when there are none."""
        return str(self.m.item_list([Markup(i) for i in items], self.t["none"]))

    def facts(self, rows: list[tuple[str, str]]) -> str:
        """A definition list of the rows whose value (HTML) is not empty."""
        return str(self.m.facts([(k, Markup(v)) for k, v in rows]))

    def extra_facts(self, extra: dict[str, m.Text]) -> str:
        """The writer's own label -> text facts as a definition list, in the order written."""
        return self.facts([(label, self.inline(text)) for label, text in extra.items()])

    def front(self, title: str, tags: Iterable[str] = (), boost: float | None = None, description: str = "",
              hide: Iterable[str] = ()) -> str:
        # MkDocs and Material put the title, description and tags into their HTML as they are
        # (MkDocs' own titles come from rendered headings), so all are given HTML-escaped.
        self.seen_terms = set()  # every page starts with its front matter: glossary marks restart
        lines = ["---", f"title: {json.dumps(escape(title), ensure_ascii=False)}"]
        if description:  # Material's <meta name="description">, shown in link previews
            lines.append(f"description: {json.dumps(escape(plain(description)), ensure_ascii=False)}")
        tags = sorted(set(escape(t) for t in tags if t))
        if tags:
            lines.append(f"tags: {json.dumps(tags, ensure_ascii=False)}")
        if boost:
            lines.append(f"search:\n  boost: {boost}")
        if hide:  # Material hides the sidebars: a wide diagram gets the window's width
            lines.append(f"hide: {json.dumps(list(hide))}")
        return "\n".join(lines + ["---", ""])

    def phase_name(self, journey: m.Journey, column: str) -> str:
        for phase in journey.phases:
            if phase.id == column:
                return localize(phase.name, self.lang)
            for step in phase.steps:
                if step.id == column:
                    return f"{localize(phase.name, self.lang)} › {localize(step.name, self.lang)}"
        return column

    def mentions(self, collection: str, id_: str, here: str) -> str:
        found: list[Mention] = self.index.mentions.get((collection, id_), [])
        if not found:
            return ""
        links = [(self.paths.href(mn.doc, here), mn.title) for mn in sorted(set(found))]
        return self.section(self.t["mentioned_in"], "mentioned-in", self.m.link_list(links))

    def usage_list(self, usages: list, here: str) -> str:
        """Journeys and the phases/steps in them, as a nested list of links."""
        by_journey: dict[str, list[str]] = {}
        for u in usages:
            by_journey.setdefault(u.journey, [])
            if u.column and u.column not in by_journey[u.journey]:
                by_journey[u.journey].append(u.column)
        journeys = []
        for jid in self.sorted_ids("journeys", by_journey):
            journey = self.site.journeys[jid]
            position = column_position(journey)
            columns = sorted(by_journey[jid], key=lambda c: position.get(c, len(position)))
            link = self.paths.link("journeys", jid, here)
            journeys.append((self.a("journeys", jid, here),
                             [(escape(f"{link}#phase-{self._phase_of(journey, c)}"), escape(self.phase_name(journey, c)))
                              for c in columns]))
        return self.lists.usage_list(journeys, escape(self.t["none"]))

    @staticmethod
    def _phase_of(journey: m.Journey, column: str) -> str:
        for phase in journey.phases:
            if column == phase.id or any(s.id == column for s in phase.steps):
                return phase.id
        return column

    def sorted_ids(self, collection: str, ids: Iterable[str] | None = None) -> list[str]:
        """Ids (all, or ``ids``) in the one order of every listing (``order.ordered``)."""
        rank = self._ranks.get(collection)
        if rank is None:  # once per collection: sorting per page made a large map quadratic
            rank = self._ranks[collection] = {i: n for n, i in enumerate(ordered(self.site, collection, self.lang))}
        if ids is None:
            return list(rank)
        return sorted((i for i in dict.fromkeys(ids) if i in rank), key=rank.__getitem__)

    # -- roadmap references (the roadmap pages themselves are in ``roadmap_pages``)

    def roadmap_item(self, roadmap_id: str, item: str) -> m.Task | m.GuidedAction | None:
        roadmap = self.site.roadmaps[roadmap_id]
        for action in roadmap.actions:
            if action.id == item:
                return action
        for stage in roadmap.stages:
            for lane in m.TASK_LANES:
                for task in getattr(stage.tasks, lane):
                    if task.id == item:
                        return task
        return None

    def stage_link(self, roadmap_id: str, stage_id: str, here: str) -> str:
        """A link to a stage in the roadmap's swimlane (``#stage-<id>``)."""
        stage = next((s for s in self.site.roadmaps[roadmap_id].stages if s.id == stage_id), None)
        label = localize(stage.name, self.lang) if stage else (stage_id or self.t["rs.all_stages"])
        return self.a_fragment("roadmaps", roadmap_id, here, f"#stage-{stage_id}" if stage_id else "#all-stages", label)

    def a_fragment(self, collection: str, id_: str, here: str, fragment: str, label: str) -> str:
        return self.a_href(self.paths.href(self.paths.doc(collection, id_), here, fragment), label)

    @staticmethod
    def a_href(href: str, label: str) -> str:
        """A link, its text escaped. Links stay Python: a large map places tens of thousands,
        and a macro call each would make every page slower (``a`` keeps them, too)."""
        return f'<a href="{escape(href)}">{escape(label)}</a>'

    def kind_badge(self, kind: str) -> str:
        """Positive and challenge actions differ by icon and word as well as colour."""
        found = self._kinds.get(kind)
        if found is None:
            found = self._kinds[kind] = str(self.p.kind_badge(kind, self.t["kind." + kind]))
        return found

    def item_link(self, roadmap_id: str, item: str, here: str) -> str:
        """A task (``#task-<id>``) or a guided action (``#action-<id>``) in the roadmap's swimlane."""
        found = self.roadmap_item(roadmap_id, item)
        if isinstance(found, m.GuidedAction):
            label = f"{plain(localize(found.trigger, self.lang))} → {plain(localize(found.action, self.lang))}"
            return f"{self.kind_badge(found.kind)} " + self.a_fragment(
                "roadmaps", roadmap_id, here, f"#action-{item}", label)
        label = localize(found.name, self.lang) if found else item
        return self.a_fragment("roadmaps", roadmap_id, here, f"#task-{item}", label)

    def roadmap_usage_list(self, usages: list[RoadmapUsage], here: str) -> str:
        """Roadmaps, their stages and the tasks and actions in them, as a nested list of links."""
        by_roadmap: dict[str, dict[tuple[int, str], list[str]]] = {}
        for u in usages:
            stages = by_roadmap.setdefault(u.roadmap, {})
            if u.stage or u.kind == "action":  # a roadmap-wide action: stage ''
                items = stages.setdefault((u.stage_no, u.stage), [])
                if u.item and u.item not in items:
                    items.append(u.item)
        roadmaps = [(self.a("roadmaps", rid, here),
                     [(self.stage_link(rid, sid, here), [self.item_link(rid, i, here) for i in items])
                      for (_, sid), items in sorted(by_roadmap[rid].items())])
                    for rid in self.sorted_ids("roadmaps", by_roadmap)]
        return self.lists.roadmap_usage_list(roadmaps, escape(self.t["none"]))

    def stages_for(self, here: str, journey_id: str, phase_id: str = "") -> str:
        """Links to the roadmap stages that correspond to a journey's phase or, without a phase,
        to the journey as a whole (stages that name the journey without a phase)."""
        if phase_id:
            usages = self.index.in_roadmaps("journeys", f"{journey_id}/{phase_id}")
        else:
            usages = [u for u in self.index.in_roadmaps("journeys", journey_id)
                      if journey_id in self._stage(u.roadmap, u.stage).phases]
        pairs = list(dict.fromkeys((u.roadmap, u.stage) for u in usages))
        if not pairs:
            return ""
        return str(self.p.stage_refs([(self.name("roadmaps", r), Markup(self.stage_link(r, st, here)))
                                      for r, st in pairs], self.t["list.sep"]))

    def _stage(self, roadmap_id: str, stage_id: str) -> m.Stage:
        return next(s for s in self.site.roadmaps[roadmap_id].stages if s.id == stage_id)

    # -- pages

    def home(self, problems: list[Problem]) -> GeneratedPage:
        here = self.paths.doc("home")
        s, t = self.site, self.t
        front = self.front(self.title)
        sections = [("journeys", len(s.journeys))] + ([("roadmaps", len(s.roadmaps))] if s.roadmaps else []) + [
                    ("personas", len(s.personas)),
                    ("departments", len(s.departments)), ("kpis", len(s.kpis)),
                    ("touchpoints", len(s.touchpoints)), ("segments", len(s.segments))]
        rows = [[Markup(self.a("journeys", jid, here)), Markup(self.links("personas", s.journeys[jid].personas, here)),
                 Markup(" → ".join(escape(localize(p.name, self.lang)) for p in s.journeys[jid].phases)),
                 Markup(self.a("departments", s.journeys[jid].owner, here))] for jid in self.sorted_ids("journeys")]
        markdown = self.render(
            "home.md.j2", here, title=self.title, front=Markup(front), problems=[str(p) for p in problems],
            sections=sections, reviews=bool(self.reviews), overdue=_piece(self.overdue, here),
            find=_piece(self.find_links, here), head=[t[k] for k in ("journey", "personas", "phases", "owner")],
            rows=rows)
        return GeneratedPage(here, markdown, self.title)

    def overdue(self, here: str, owner: str | None = None, limit: int = 8) -> str:
        """How many documents (of ``owner``, or all) are past their review date, most overdue first."""
        late = sorted((r for r in self.reviews.values() if r.needs_review and (owner is None or r.owner == owner)),
                      key=lambda r: (-r.overdue_days, localize(r.title, self.lang), r.collection, r.id))
        t = self.t
        items = [(*self.badge_data(r).values(), t["doc." + r.collection], Markup(self.a(r.collection, r.id, here)),
                  status_words(r, t)) for r in late[:limit]]
        freshness = self.paths.href(f"{self.paths.prefix}/freshness.md", here)
        more = (freshness, t["overdue.more"].format(n=len(late) - limit) if len(late) > limit else t["freshness"])
        return str(self.p.overdue(items, t["overdue.count"].format(n=len(late)), more, t["overdue.none"]))

    def find_links(self, here: str) -> str:
        """What readers look for, one click away (home page and はじめに)."""
        t, prefix = self.t, self.paths.prefix
        found = [(f"{prefix}/lifecycle.md", "", "find.lifecycle")]
        if self.reviews:
            found.append((f"{prefix}/freshness.md", "", "find.freshness"))
        found.append((self.paths.doc("metrics"), "", "find.metrics"))
        if self.site.glossary:
            found.append((self.paths.doc("glossary"), "", "find.glossary"))
        found.append((self.paths.doc("departments"), "#review-rule", "find.review_rule"))
        if self.has_history:
            found.append((f"{prefix}/history.md", "", "find.history"))
        return str(self.m.link_list([(self.paths.href(doc, here, frag), t[key]) for doc, frag, key in found],
                                    "tabiji-list tabiji-find"))

    def collection_index(self, collection: str, columns: list[tuple[str, Callable[[str], str]]],
                         extra: str = "") -> GeneratedPage:
        """A collection's index page: ``columns`` are (label, the cell's HTML for an id)."""
        here = self.paths.doc(collection)
        title = self.t[collection]
        front = self.front(title)
        rows = [[Markup(cell(i)) for _, cell in columns] for i in self.sorted_ids(collection)]
        markdown = self.render("collection.md.j2", here, collection=collection, title=title, front=Markup(front),
                               head=[label for label, _ in columns], rows=rows, extra=Markup(extra))
        return GeneratedPage(here, markdown, title)

    def journey_page(self, journey: m.Journey) -> tuple[GeneratedPage, str]:
        s, t, lang = self.site, self.t, self.lang
        here = self.paths.doc("journeys", journey.id)
        title = localize(journey.title, lang)
        svg_href = self.paths.href(self.paths.asset(journey.id), here)
        tags = [self.name("personas", p) for p in journey.personas] + [self.name("departments", journey.owner)]
        front = self.front(title, tags, boost=2, description=localize(journey.goal, lang), hide=MAP_PAGE)
        refs = []
        for collection in ("kpis", "touchpoints", "departments"):
            ids = self.sorted_ids(collection, {ref for lane in journey.lanes if lane.kind == collection
                                               for refs_ in lane.cells.values() for ref in refs_})
            if ids:
                refs.append((t[collection], Markup(self.links(collection, ids, here))))
        seq = self.sorted_ids("journeys")
        at = self._ranks["journeys"][journey.id]
        neighbours = ([("prev", seq[at - 1])] if at else []) + ([("next", seq[at + 1])] if at + 1 < len(seq) else [])
        swimlane = _piece(lambda: self.cache.get("swimlane", journey, (here, svg_href), lambda: render_swimlane(
            journey, s, lang, self.paths, here, svg_href, self.env)))
        markdown = self.render(
            "journey.md.j2", here, journey=journey, title=title, front=Markup(front), refs=refs,
            neighbours=neighbours, swimlane=swimlane,
            stages=lambda phase_id="": Markup(self.stages_for(here, journey.id, phase_id)),
            step_facts=lambda phase: Markup(self.step_facts(journey, phase, here)),
            sources=lambda: Markup(sources_html(self, journey, here)),  # evidence (issue 13)
            kpis=lambda: Markup(journey_kpis_html(self, journey, here)),
            loops=lambda: Markup(loops_html(self, journey, here)))
        svg = self.cache.get("svg", journey, (), lambda: render_svg(journey, s, lang, self.env))
        return GeneratedPage(here, markdown, title, s.source_file("journeys", journey.id)), svg

    STEP_FACT_LANES = ("touchpoints", "departments", "information")

    def step_facts(self, journey: m.Journey, phase: m.Phase, here: str) -> str:
        """What the customer meets at each step of a phase (touchpoints, departments, the
        information given), read row by row instead of down the swimlane's columns. A cell
        written for the whole phase is its first row."""
        lanes = [lane for lane in journey.lanes if lane.kind in self.STEP_FACT_LANES]
        columns = [(phase.id, self.t["phase"] + ": " + localize(phase.name, self.lang))]
        columns += [(step.id, localize(step.name, self.lang)) for step in phase.steps]
        rows = []
        for column, label in columns:
            cells = [self._fact(lane, lane.cells.get(column), here) for lane in lanes]
            if any(cells):
                rows.append((wrap_html(escape(label)), cells))
        if not rows:
            return ""
        titles = [escape(localize(lane.title, self.lang) if lane.title else self.t["lane." + lane.kind])
                  for lane in lanes]
        return self.lists.step_facts(escape(self.t["step"]), titles, rows)

    def _fact(self, lane: Any, value: Any, here: str) -> str | list[str]:
        """A step's cell (HTML): links, the writer's text, or several texts (a list: shown as bullets)."""
        if not value:
            return ""
        if lane.kind in ("touchpoints", "departments", "kpis"):
            return self.links(lane.kind, [i for i in value if i in getattr(self.site, lane.kind)], here)
        texts = value if isinstance(value, list) else [value]
        return [self.inline(i) for i in texts] if len(texts) > 1 else self.inline(texts[0])

    def persona_page(self, persona: m.Persona) -> GeneratedPage:
        here = self.paths.doc("personas", persona.id)
        title = localize(persona.name, self.lang)
        front = self.front(title, [self.name("segments", sg) for sg in persona.segments],
                           description=localize(persona.role, self.lang) if persona.role else "")
        journeys = self.sorted_ids("journeys", [j.id for j in journeys_for_persona(self.site, persona.id)])
        roadmaps = self.sorted_ids("roadmaps", {u.roadmap for u in self.index.in_roadmaps("personas", persona.id)}) \
            if self.site.roadmaps else None
        markdown = self.render("persona.md.j2", here, persona=persona, title=title, front=Markup(front),
                               journeys=journeys, roadmaps=roadmaps, site=self.site)
        return GeneratedPage(here, markdown, title, self.site.source_file("personas", persona.id))

    def department_page(self, dept: m.Department) -> GeneratedPage:
        t = self.t
        here = self.paths.doc("departments", dept.id)
        title = localize(dept.name, self.lang)
        usages = self.index.used("departments", dept.id)
        sections = [(t["owned_journeys"], "journeys", _piece(self.usage_list, [u for u in usages if u.role == "owner"], here)),
                    (t["owned_phases"], "phases", _piece(self.usage_list, [u for u in usages if u.role == "phase_owner"],
                                                       here))]
        for label, anchor, collection, ids in (
                ("owned_touchpoints", "touchpoints", "touchpoints", self.index.touchpoints_by_owner.get(dept.id, [])),
                ("owned_kpis", "kpis", "kpis", self.index.kpis_by_owner.get(dept.id, []))):
            sections.append((t[label], anchor, _piece(self.item_list, [self.a(collection, i, here)
                                                                      for i in self.sorted_ids(collection, ids)])))
        if self.site.roadmaps:
            found = self.index.in_roadmaps("departments", dept.id)
            for label, anchor, kind in (("owned_roadmaps", "roadmaps", "roadmap"),
                                        ("owned_tasks", "roadmap-tasks", "task"),
                                        ("owned_actions", "roadmap-actions", "action")):
                sections.append((t[label], anchor, _piece(self.roadmap_usage_list, [u for u in found if u.kind == kind],
                                                        here)))
        markdown = self.render(
            "department.md.j2", here, dept=dept, title=title, front=Markup(self.front(title)),
            rule=self.paths.href(self.paths.doc("departments"), here, "#review-rule"), reviews=bool(self.reviews),
            overdue=_piece(self.overdue, here, dept.id), cells=_piece(self.department_cells, dept.id, here),
            sections=sections)
        return GeneratedPage(here, markdown, title, self.site.source_file("departments", dept.id))

    def department_cells(self, dept_id: str, here: str) -> str:
        """Per journey (in order), each column where the department is in the departments lane,
        with the text of the measures lane there (what the department does), else the actions'."""
        by_journey: dict[str, list[str]] = {}
        for u in self.index.used("departments", dept_id):
            if u.role == "departments":
                by_journey.setdefault(u.journey, []).append(u.column)
        journeys = []
        for jid in self.sorted_ids("journeys", by_journey):
            journey = self.site.journeys[jid]
            position = column_position(journey)
            lanes = {lane.kind: lane for lane in journey.lanes if lane.kind in ("measures", "actions")}
            columns = sorted(set(by_journey[jid]), key=lambda c: position.get(c, len(position)))
            link = self.paths.link("journeys", jid, here)
            journeys.append((self.a("journeys", jid, here), [
                (len(columns) if k == 0 else 0, escape(f"{link}#phase-{self._phase_of(journey, column)}"),
                 escape(self.phase_name(journey, column)), *self._dept_cell_text(journey, lanes, column))
                for k, column in enumerate(columns)]))
        return self.lists.department_cells([escape(self.t[k]) for k in ("journey", "step", "lane.measures")],
                                           journeys, escape(self.t["none"]))

    def _dept_cell_text(self, journey: m.Journey, lanes: dict[str, Any],
                        column: str) -> tuple[str | None, list[tuple[str | None, str]] | None]:
        """The measures (else the customer's actions) at ``column``. A departments cell written
        for a whole phase gathers the cells of the phase's steps, each under its step's name."""
        for kind in ("measures", "actions"):
            if kind in lanes and column in lanes[kind].cells:
                return self._lane_text(kind, [(None, lanes[kind].cells[column])])
        phase = next((p for p in journey.phases if p.id == column), None)
        for kind in ("measures", "actions") if phase is not None else ():
            found = [(step, lanes[kind].cells[step.id]) for step in phase.steps
                     if kind in lanes and step.id in lanes[kind].cells]
            if found:
                return self._lane_text(kind, found)
        return None, None

    def _lane_text(self, kind: str, cells: list[tuple[m.Step | None, Any]]) -> tuple[str | None, list]:
        """(the lane's label, or none for measures; (step name or none, text) per item), escaped."""
        items = []
        for step, cell in cells:
            step_name = escape(localize(step.name, self.lang)) if step is not None else None
            items += [(step_name, self.inline(i)) for i in (cell if isinstance(cell, list) else [cell])]
        return (escape(self.t["lane." + kind]) if kind != "measures" else None), items  # the customer's action, said so

    def review_rule(self, here: str) -> str:
        """The one rule of who reviews a change (the diff comment and CODEOWNERS both follow it)."""
        from tabiji.review.codeowners import departments_by_file  # only this page needs it
        t = self.t
        rules = [(t["review_rule." + k], t["review_rule." + k + ".who"])
                 for k in ("cell", "phase", "journey", "persona", "catalog")]
        files = []
        for file, depts in departments_by_file(self.site).items():
            if not depts:  # nobody to ask: the file concerns no department
                continue
            shown = "/".join(file.replace("\\", "/").split("/")[-2:])  # catalog/kpis.yml, maps/onboarding.yml
            handles = list(dict.fromkeys(h for d in depts for h in self.site.departments[d].reviewers))
            files.append((shown, Markup(self.links("departments", depts, here)), handles))
        return str(self.p.review_rule(t, rules, files))

    @staticmethod
    def with_unit(value: float, unit: str | None) -> str:
        """``90%``, ``3 日``: a number and its unit, as every KPI value is shown."""
        return f"{value:g}" + (unit if unit == "%" else f" {unit}" if unit else "")

    def target_value(self, value: m.TargetValue, unit: str | None) -> str:
        """A number and its unit, or 未定 with the team's words when it is not set yet."""
        if isinstance(value, m.Undecided):  # the label is text, the team's words are rendered
            words = Markup(escape(self.t["undecided.words"])).format(words=Markup(self.inline(value.undecided)))
            return str(self.p.undecided(self.t["undecided"], words))
        return self.kpi_value(self.with_unit(value, unit))

    def kpi_value(self, value: str, direction: str = "") -> str:
        """A number and its unit that never wraps, with a target's direction (made once each)."""
        key = (value, direction)
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = str(self.p.kpi_value(value, direction))
        return found

    def kpi_target(self, kpi: m.Kpi) -> str:
        if kpi.target is None:
            return ""
        if isinstance(kpi.target, m.Undecided):  # its words say the direction ("◯人以上")
            return self.target_value(kpi.target, kpi.unit)
        return self.kpi_value(self.with_unit(kpi.target, kpi.unit), self.t["direction." + kpi.direction])

    def kpi_baseline(self, kpi: m.Kpi) -> str:
        if kpi.baseline is None:
            return ""
        late = self.kpi_late(kpi)
        value = self.with_unit(kpi.baseline, kpi.unit)
        return str(self.p.kpi_value(value, late=Markup(late))) if late else self.kpi_value(value)

    def kpi_late(self, kpi: m.Kpi) -> str:
        """A mark when the deadline has passed and the baseline still misses the target."""
        if None in (self.today, kpi.deadline, kpi.baseline) or not m.decided(kpi.target) \
                or kpi.deadline >= self.today:
            return ""
        met = kpi.baseline >= kpi.target if kpi.direction == "at_least" else kpi.baseline <= kpi.target
        if met:
            return ""
        title = self.t["kpi.late.title"].format(date=kpi.deadline.isoformat())
        return str(self.p.late(title, self.t["kpi.late"]))

    def kpi_thresholds(self, kpi: m.Kpi, here: str) -> str:
        """Every value the map sets on the KPI, side by side: its target, the roadmaps' checkpoints
        and guided-action conditions, and journey text that names it."""
        t = self.t
        rows = []
        if kpi.target is not None:
            rows.append(Threshold(escape(t["threshold.target"]), self.kpi_target(kpi), [escape(t["catalog.kpi"])], "",
                                  escape(kpi.deadline.isoformat()) if kpi.deadline else ""))
        for c in health_candidates(self.site).get(kpi.id, []):
            stage = [escape(self.name("roadmaps", c.roadmap)), self.stage_link(c.roadmap, c.stage, here)]
            if c.action is None:
                rows.append(Threshold(escape(t["threshold.checkpoint"]), condition_html(self, c.condition, here), stage,
                                      self.inline(c.condition.label) if getattr(c.condition, "label", None) else ""))
            else:
                rows.append(Threshold(escape(t["threshold.trigger"]), condition_html(self, c.condition, here),
                                      stage + [self.item_link(c.roadmap, c.action.id, here)], ""))
        name = localize(kpi.name, self.lang)
        for jid, journey, lane, column, text, shown in self.lane_texts():
            if name and name in shown:
                href = self.paths.link("journeys", jid, here) + f"#phase-{self._phase_of(journey, column)}"
                rows.append(Threshold(escape(t["threshold.lane"]), self.inline(text),
                                      [self.a("journeys", jid, here), self.a_href(href, self.phase_name(journey, column))],
                                      escape(localize(lane.title, self.lang) if lane.title else t["lane." + lane.kind])))
        head = [escape(t[k]) for k in ("threshold.meaning", "threshold.value", "threshold.where", "description")]
        return self.lists.kpi_thresholds(escape(t["kpi.thresholds.intro"]), head, escape(t["deadline"]), rows,
                                         escape(t["none"]))

    def lane_texts(self) -> list[tuple]:
        """(journey id, journey, lane, column, text, its plain words) of every text cell, in the
        customer's order; made once, as every KPI page searches them."""
        if self._lane_texts is None:
            found = []
            for jid in self.sorted_ids("journeys"):
                journey = self.site.journeys[jid]  # kept across serve rebuilds while the journey is unchanged
                found += self.cache.get("lane-texts", journey, (), lambda: self._journey_lane_texts(journey))
            self._lane_texts = found
        return self._lane_texts

    def _journey_lane_texts(self, journey: m.Journey) -> list[tuple]:
        found = []
        position = column_position(journey)
        for lane in journey.lanes:
            if lane.kind in ("touchpoints", "departments", "kpis", "emotions"):
                continue
            for column in sorted(lane.cells, key=lambda c: position.get(c, len(position))):
                cell = lane.cells[column]
                for text in cell if isinstance(cell, list) else [cell]:
                    found.append((journey.id, journey, lane, column, text, plain(localize(text, self.lang))))
        return found

    def rung_name(self, rung: str) -> str:
        """A rung's name: the site's ladder's (catalog ``ladder``), else the default ladder's label."""
        own = self.site.ladder.get(rung)
        return localize(own.name, self.lang) if own is not None else self.t["rung." + rung]

    @staticmethod
    def rung_anchor(rung: str) -> str:
        return f"rung-{rung.replace('_', '-')}"

    def rung_link(self, kpi: m.Kpi, here: str) -> str:
        """The KPI's rung on the evaluation ladder, linked to that rung on the metrics page."""
        if not kpi.rung:
            return ""
        href = self.paths.href(self.paths.doc("metrics"), here, "#" + self.rung_anchor(kpi.rung))
        return self.a_href(href, self.rung_name(kpi.rung))

    def kpi_page(self, kpi: m.Kpi) -> GeneratedPage:
        here = self.paths.doc("kpis", kpi.id)
        title = localize(kpi.name, self.lang)
        markdown = self.render(
            "kpi.md.j2", here, kpi=kpi, title=title, front=Markup(self.front(title)),
            personas=self.index.personas_by_kpi.get(kpi.id, []), roadmaps=bool(self.site.roadmaps),
            target=_piece(self.kpi_target, kpi), baseline=_piece(self.kpi_baseline, kpi),
            rung=_piece(self.rung_link, kpi, here), thresholds=_piece(self.kpi_thresholds, kpi, here),
            used=_piece(self.usage_list, self.index.used("kpis", kpi.id), here),
            used_in_roadmaps=_piece(self.roadmap_usage_list, self.index.in_roadmaps("kpis", kpi.id), here))
        return GeneratedPage(here, markdown, title, self.site.source_file("kpis", kpi.id))

    def touchpoint_page(self, tp: m.Touchpoint) -> GeneratedPage:
        here = self.paths.doc("touchpoints", tp.id)
        title = localize(tp.name, self.lang)
        markdown = self.render("touchpoint.md.j2", here, tp=tp, title=title, front=Markup(self.front(title)),
                               used=_piece(self.usage_list, self.index.used("touchpoints", tp.id), here))
        return GeneratedPage(here, markdown, title, self.site.source_file("touchpoints", tp.id))

    def touchpoints_index(self) -> GeneratedPage:
        """Touchpoints grouped by channel; each channel is an anchor other pages link to."""
        here = self.paths.doc("touchpoints")
        title = self.t["touchpoints"]
        groups = [(self.site.channels[c], self.sorted_ids("touchpoints", self.index.touchpoints_by_channel.get(c, [])))
                  for c in self.sorted_ids("channels")]
        groups.append((None, self.sorted_ids("touchpoints", [i for i, tp in self.site.touchpoints.items()
                                                             if not tp.channel])))
        counts = {i: len(self.index.journeys_using("touchpoints", i)) for i in self.site.touchpoints}
        markdown = self.render("touchpoints.md.j2", here, title=title, front=Markup(self.front(title)),
                               groups=groups, counts=counts)
        return GeneratedPage(here, markdown, title)

    def segments_page(self) -> GeneratedPage:
        here = self.paths.doc("segments")
        title = self.t["segments"]
        segments = [{"segment": self.site.segments[sid],
                     "personas": self.index.personas_by_segment.get(sid, []),
                     "journeys": self.sorted_ids("journeys", self.index.journeys_using("segments", sid)),
                     "roadmaps": self.sorted_ids("roadmaps", {u.roadmap for u in self.index.in_roadmaps("segments", sid)})}
                    for sid in self.sorted_ids("segments")]
        markdown = self.render("segments.md.j2", here, title=title, front=Markup(self.front(title)), segments=segments)
        return GeneratedPage(here, markdown, title)


def _piece(make: Callable[..., str], *args: Any) -> Callable[[], Markup]:
    """A piece of HTML made in Python when the template places it: writer's text is rendered in
    the page's order, so the glossary marks a term's first use on the page."""
    return lambda: Markup(make(*args))


class Html:
    """The helpers a page template calls (as ``h``), bound to the page: links and the writer's
    text, rendered in Python (links are computed, text is Markdown) and given as Markup."""

    __slots__ = ("w", "here")

    def __init__(self, w: _Writer, here: str):
        self.w, self.here = w, here

    def a(self, collection: str, id_: str, fragment: str = "") -> Markup:
        """A link to an entity's page, its name as the text."""
        return Markup(self.w.a(collection, id_, self.here, fragment))

    def links(self, collection: str, ids: Iterable[str]) -> Markup:
        """Links to entities, separated as the language does (、 or ,)."""
        return Markup(self.w.links(collection, ids, self.here))

    def href(self, doc: str, fragment: str = "") -> str:
        """The relative address of a generated page (``paths.doc``) from this one."""
        return self.w.paths.href(doc, self.here, fragment)

    def link(self, collection: str, id_: str) -> str:
        """The relative address of an entity's page from this one."""
        return self.w.paths.link(collection, id_, self.here)

    def doc(self, collection: str, id_: str | None = None) -> str:
        return self.w.paths.doc(collection, id_)

    def name(self, collection: str, id_: str) -> str:
        return self.w.name(collection, id_)

    def inline(self, text: Any) -> Markup:
        """Writer's text (Markdown) as inline HTML: the one place it is rendered and escaped."""
        return Markup(self.w.inline(text))

    def block(self, text: Any) -> Markup:
        """Writer's text (Markdown) as block HTML (paragraphs, lists)."""
        return Markup(self.w.block(text))

    def bullets(self, items: list[Any]) -> Markup:
        return Markup(self.w.bullets(items))

    def inline_list(self, items: list[Any], sep: str) -> Markup:
        """Writer's texts as inline HTML, one after the other."""
        return Markup(sep.join(self.w.inline(i) for i in items))

    def inline_rows(self, facts: dict[str, Any]) -> list[tuple[str, Markup]]:
        """The writer's own label -> text facts (persona, department), text as inline HTML, in order."""
        return [(label, Markup(self.w.inline(text))) for label, text in facts.items()]

    def localize(self, text: Any) -> str:
        """Writer's text in the page's language, as plain text (escaped where it is placed)."""
        return localize(text, self.w.lang)

    def review(self, collection: str, id_: str) -> Markup:
        """The review box of a document (ends with a newline), or nothing when not known."""
        return Markup(self.w.review(collection, id_, self.here))

    def mentions(self, collection: str, id_: str) -> Markup:
        """The hand-written pages that link to an entity, as a section (or nothing)."""
        return Markup(self.w.mentions(collection, id_, self.here))
