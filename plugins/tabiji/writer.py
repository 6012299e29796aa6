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
from typing import Any, Callable, Iterable

from . import model as m
from .freshness import Review, badge, review_block, status_words
from .conditions import condition_html, health_candidates
from .evidence import sources_html
from .glossary import Glossary
from .index import Index, Mention, RoadmapUsage, journeys_for_persona
from .labels import labels_for
from .order import column_position, ordered
from .paths import Paths
from .problems import Problem
from .svg import render_svg
from .render_cache import NoCache, RenderCache
from .swimlane import render_swimlane
from .text import escape, localize, markdown_block, markdown_inline, markdown_literal, nowrap, plain, wrap_html
from .validate import Site

NAV_GROUP_SIZE = 20
MAP_PAGE = ("navigation", "toc")  # a journey or roadmap page gives its map the window's width


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

    def __init__(self, site: Site, index: Index, lang: str, paths: Paths, title: str):
        self.site, self.index, self.lang, self.paths = site, index, lang, paths
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

    def review(self, collection: str, id_: str, here: str) -> str:
        """The review box (badge, owner, last review and change) of a document, if known."""
        state = self.reviews.get((collection, id_))
        return review_block(state, self.t, lambda d: self.a("departments", d, here)) if state else ""

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
        return "<ul>" + "".join(f"<li>{self.inline(i)}</li>" for i in items) + "</ul>"

    def heading(self, label: str, anchor: str, level: int = 2) -> str:
        """A Markdown heading of the writer's text, with a stable anchor."""
        return f"{'#' * level} {markdown_literal(label)} {{#{anchor}}}\n"

    def section(self, label: str, anchor: str, body: str) -> str:
        """A ``##`` heading with a stable anchor, then its HTML body."""
        return f"{self.heading(label, anchor)}\n{body}\n"

    def item_list(self, items: list[str]) -> str:
        """<li> items as a list, or 'none' when there are none."""
        return f'<ul class="tabiji-list">{"".join(items)}</ul>' if items else f"<p>{escape(self.t['none'])}</p>"

    def facts(self, rows: list[tuple[str, str]]) -> str:
        """A definition list of the rows whose value is not empty."""
        body = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows if v)
        return f'<dl class="tabiji-facts">{body}</dl>' if body else ""

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
        items = "".join(f'<li><a href="{escape(self.paths.href(mn.doc, here))}">{escape(mn.title)}</a></li>'
                        for mn in sorted(set(found)))
        return self.section(self.t["mentioned_in"], "mentioned-in", f'<ul class="tabiji-list">{items}</ul>')

    def usage_list(self, usages: list, here: str) -> str:
        """Journeys and the phases/steps in them, as a nested list of links."""
        by_journey: dict[str, list[str]] = {}
        for u in usages:
            by_journey.setdefault(u.journey, [])
            if u.column and u.column not in by_journey[u.journey]:
                by_journey[u.journey].append(u.column)
        items = []
        for jid in self.sorted_ids("journeys", by_journey):
            journey = self.site.journeys[jid]
            position = column_position(journey)
            columns = sorted(by_journey[jid], key=lambda c: position.get(c, len(position)))
            sub = "".join(
                f'<li><a href="{escape(self.paths.link("journeys", jid, here))}#phase-{escape(self._phase_of(journey, c))}">'
                f"{escape(self.phase_name(journey, c))}</a></li>" for c in columns)
            items.append(f"<li>{self.a('journeys', jid, here)}{f'<ul>{sub}</ul>' if sub else ''}</li>")
        return f'<ul class="tabiji-list">{"".join(items)}</ul>' if items else f"<p>{escape(self.t['none'])}</p>"

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
        label = localize(stage.name, self.lang) if stage else stage_id
        return self.a_fragment("roadmaps", roadmap_id, here, f"#stage-{stage_id}", label)

    def a_fragment(self, collection: str, id_: str, here: str, fragment: str, label: str) -> str:
        href = self.paths.href(self.paths.doc(collection, id_), here, fragment)
        return f'<a href="{escape(href)}">{escape(label)}</a>'

    def kind_badge(self, kind: str) -> str:
        """Positive and challenge actions differ by icon and word as well as colour."""
        icon = "▲" if kind == "positive" else "▼"
        return (f'<span class="tabiji-kind tabiji-kind--{kind}"><span aria-hidden="true">{icon}</span> '
                f'{escape(self.t["kind." + kind])}</span>')

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
            if u.stage:
                items = stages.setdefault((u.stage_no, u.stage), [])
                if u.item and u.item not in items:
                    items.append(u.item)
        out = []
        for rid in self.sorted_ids("roadmaps", by_roadmap):
            sub = ""
            for (_, sid), items in sorted(by_roadmap[rid].items()):
                inner = "".join(f"<li>{self.item_link(rid, i, here)}</li>" for i in items)
                sub += f"<li>{self.stage_link(rid, sid, here)}{f'<ul>{inner}</ul>' if inner else ''}</li>"
            out.append(f"<li>{self.a('roadmaps', rid, here)}{f'<ul>{sub}</ul>' if sub else ''}</li>")
        return f'<ul class="tabiji-list">{"".join(out)}</ul>' if out else f"<p>{escape(self.t['none'])}</p>"

    def stages_for(self, here: str, journey_id: str, phase_id: str = "") -> str:
        """Links to the roadmap stages that correspond to a journey's phase or, without a phase,
        to the journey as a whole (stages that name the journey without a phase)."""
        if phase_id:
            usages = self.index.in_roadmaps("journeys", f"{journey_id}/{phase_id}")
        else:
            usages = [u for u in self.index.in_roadmaps("journeys", journey_id)
                      if journey_id in self._stage(u.roadmap, u.stage).phases]
        pairs = list(dict.fromkeys((u.roadmap, u.stage) for u in usages))
        return self.t["list.sep"].join(f"{escape(self.name('roadmaps', r))} › {self.stage_link(r, st, here)}"
                                       for r, st in pairs)

    def _stage(self, roadmap_id: str, stage_id: str) -> m.Stage:
        return next(s for s in self.site.roadmaps[roadmap_id].stages if s.id == stage_id)

    # -- pages

    def home(self, problems: list[Problem]) -> GeneratedPage:
        here = self.paths.doc("home")
        s, t = self.site, self.t
        parts = [self.front(self.title), f"# {markdown_literal(self.title)}\n"]
        if problems:
            items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in problems)
            parts.append(f'<div class="admonition failure"><p class="admonition-title">{escape(t["problems"])}'
                         f"</p><ul>{items}</ul></div>\n")
        parts.append(f"<p>{escape(t['home.intro'])}</p>\n")
        start = self.paths.href(self.paths.doc("start"), here)
        parts.append(f'<p class="tabiji-start"><a href="{escape(start)}">{escape(t["start"])}</a>'
                     f" — {escape(t['start.intro'])}</p>\n")
        sections = [("journeys", len(s.journeys))] + ([("roadmaps", len(s.roadmaps))] if s.roadmaps else []) + [
                    ("personas", len(s.personas)),
                    ("departments", len(s.departments)), ("kpis", len(s.kpis)),
                    ("touchpoints", len(s.touchpoints)), ("segments", len(s.segments))]
        cards = "".join(f'<li><a href="{escape(self.paths.href(self.paths.doc(c), here))}">{escape(t[c])}</a>'
                        f" <span class=\"tabiji-count\">{n}</span></li>" for c, n in sections)
        parts.append(f'<ul class="tabiji-sections">{cards}</ul>\n')
        parts.append(self.section(t["overdue"], "overdue", self.overdue(here)) if self.reviews else "")
        parts.append(self.section(t["find"], "find", self.find_links(here)))
        parts.append(self.section(t["journeys"], "journeys", self.journey_table(here)))
        return GeneratedPage(here, "\n".join(parts), self.title)

    def overdue(self, here: str, owner: str | None = None, limit: int = 8) -> str:
        """How many documents (of ``owner``, or all) are past their review date, most overdue first."""
        late = sorted((r for r in self.reviews.values() if r.needs_review and (owner is None or r.owner == owner)),
                      key=lambda r: (-r.overdue_days, localize(r.title, self.lang), r.collection, r.id))
        if not late:
            return f'<p>{escape(self.t["overdue.none"])}</p>'
        items = "".join(f"<li>{badge(r, self.t)} {escape(self.t['doc.' + r.collection])}: "
                        f"{self.a(r.collection, r.id, here)} <span class=\"tabiji-meta\">"
                        f"{escape(status_words(r, self.t))}</span></li>" for r in late[:limit])
        freshness = self.paths.href(f"{self.paths.prefix}/freshness.md", here)
        more = (f' <a href="{escape(freshness)}">{escape(self.t["overdue.more"].format(n=len(late) - limit))}</a>'
                if len(late) > limit else f' <a href="{escape(freshness)}">{escape(self.t["freshness"])}</a>')
        return (f'<p class="tabiji-overdue-count">{escape(self.t["overdue.count"].format(n=len(late)))}{more}</p>'
                f'<ul class="tabiji-list tabiji-overdue">{items}</ul>')

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
        items = "".join(f'<li><a href="{escape(self.paths.href(doc, here, frag))}">{escape(t[key])}</a></li>'
                        for doc, frag, key in found)
        return f'<ul class="tabiji-list tabiji-find">{items}</ul>'

    def journey_table(self, here: str) -> str:
        t = self.t
        rows = []
        for jid in self.sorted_ids("journeys"):
            j = self.site.journeys[jid]
            phases = " → ".join(escape(localize(p.name, self.lang)) for p in j.phases)
            rows.append(f"<tr><td>{self.a('journeys', jid, here)}</td><td>{self.links('personas', j.personas, here)}"
                        f"</td><td>{phases}</td><td>{self.a('departments', j.owner, here)}</td></tr>")
        head = "".join(f"<th>{escape(t[k])}</th>" for k in ("journey", "personas", "phases", "owner"))
        return (f'<table class="tabiji-table"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')

    def collection_index(self, collection: str, columns: list[tuple[str, Callable[[str], str]]],
                         extra: str = "") -> GeneratedPage:
        here = self.paths.doc(collection)
        title = self.t[collection]
        head = "".join(f"<th>{escape(label)}</th>" for label, _ in columns)
        rows = "".join("<tr>" + "".join(f"<td>{cell(i)}</td>" for _, cell in columns) + "</tr>"
                       for i in self.sorted_ids(collection))
        body = (f'<table class="tabiji-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
                if rows else f"<p>{escape(self.t['none'])}</p>")
        return GeneratedPage(here, f"{self.front(title)}# {markdown_literal(title)}\n\n{body}\n\n{extra}", title)

    def journey_page(self, journey: m.Journey) -> tuple[GeneratedPage, str]:
        s, t, lang = self.site, self.t, self.lang
        here = self.paths.doc("journeys", journey.id)
        title = localize(journey.title, lang)
        svg_doc = self.paths.asset(journey.id)
        tags = [self.name("personas", p) for p in journey.personas] + [self.name("departments", journey.owner)]
        meta = self.facts([
            (t["personas"], self.links("personas", journey.personas, here)),
            (t["goal"], self.inline(journey.goal)),
            (t["owner"], self.a("departments", journey.owner, here)),
            (t["segments"], self.links("segments", journey.segments, here)),
            (t["stage_links"], self.stages_for(here, journey.id)),
        ])
        parts = [self.front(title, tags, boost=2, description=localize(journey.goal, lang), hide=MAP_PAGE),
                 f"# {markdown_literal(title)}\n", meta + "\n"]
        # The map comes first, as in every journey tool: on a desktop screen it starts above
        # the fold. Its review state and the writer's description follow it.
        parts.append(self.heading(t['swimlane'], "swimlane"))
        svg_href = self.paths.href(svg_doc, here)
        parts.append(self.cache.get("swimlane", journey, (here, svg_href), lambda: render_swimlane(
            journey, s, lang, self.paths, here, svg_href)) + "\n")
        parts.append(self.review("journeys", journey.id, here))
        if journey.description:
            parts.append(f'<div class="tabiji-text">{self.block(journey.description)}</div>\n')
        parts.append(self.heading(t['phases'], "phases"))
        for phase in journey.phases:
            parts.append(self.heading(localize(phase.name, lang), f"phase-{phase.id}", 3))
            steps = "".join(
                f"<li><strong>{self.inline(step.name)}</strong>"
                f"{' — ' + self.inline(step.description) if step.description else ''}</li>"
                for step in phase.steps)
            facts = self.facts([
                (t["milestone"], self.inline(phase.goal) if phase.goal else ""),
                (t["owners"], self.links("departments", phase.owners, here)),
                (t["steps"], f"<ol>{steps}</ol>" if steps else ""),
                (t["stage_links"], self.stages_for(here, journey.id, phase.id)),
            ])
            desc = f'<div class="tabiji-text">{self.block(phase.description)}</div>' if phase.description else ""
            if facts or desc:
                parts.append(facts + desc + "\n")
            table = self.step_facts(journey, phase, here)
            if table:
                parts.append(table + "\n")
        refs = []
        for collection in ("kpis", "touchpoints", "departments"):
            ids = self.sorted_ids(collection, {ref for lane in journey.lanes if lane.kind == collection
                                               for refs_ in lane.cells.values() for ref in refs_})
            if ids:
                refs.append((t[collection], self.links(collection, ids, here)))
        if refs:
            heading = " / ".join(t[c] for c in ("kpis", "touchpoints", "departments"))
            parts.append(self.section(heading, "references", self.facts(refs)))
        parts.append(sources_html(self, journey, here))  # evidence (issue 13): empty without evidence
        parts.append(self.mentions("journeys", journey.id, here))
        parts.append(self.journey_neighbours(journey.id, here))
        source = s.source_file("journeys", journey.id)
        svg = self.cache.get("svg", journey, (), lambda: render_svg(journey, s, lang))
        return GeneratedPage(here, "\n".join(parts), title, source), svg

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
                rows.append(f'<tr><th scope="row">{wrap_html(escape(label))}</th>'
                            + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        if not rows:
            return ""
        head = "".join(f'<th scope="col">{escape(localize(lane.title, self.lang) if lane.title else self.t["lane." + lane.kind])}</th>'
                       for lane in lanes)
        return (f'<table class="tabiji-table tabiji-step-facts"><thead><tr><th scope="col">{escape(self.t["step"])}</th>'
                f'{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')

    def _fact(self, lane: Any, value: Any, here: str) -> str:
        if not value:
            return ""
        if lane.kind in ("touchpoints", "departments", "kpis"):
            return self.links(lane.kind, [i for i in value if i in getattr(self.site, lane.kind)], here)
        texts = value if isinstance(value, list) else [value]
        return self.bullets(texts) if len(texts) > 1 else self.inline(texts[0])

    def journey_neighbours(self, jid: str, here: str) -> str:
        """Links to the journey before and after this one in the customer's order."""
        seq = self.sorted_ids("journeys")
        at = self._ranks["journeys"][jid]
        links = []
        for label, other, rel in (("journey.prev", seq[at - 1] if at else None, "prev"),
                                  ("journey.next", seq[at + 1] if at + 1 < len(seq) else None, "next")):
            if other:
                href = self.paths.link("journeys", other, here)
                links.append(f'<a class="tabiji-neighbour tabiji-neighbour--{rel}" rel="{rel}" href="{escape(href)}">'
                             f'<span class="tabiji-meta">{escape(self.t[label])}</span> '
                             f"{escape(self.name('journeys', other))}</a>")
        return (f'<nav class="tabiji-neighbours" aria-label="{escape(self.t["journey.order"])}">'
                f'{"".join(links)}</nav>\n') if links else ""

    def persona_page(self, persona: m.Persona) -> GeneratedPage:
        t, lang = self.t, self.lang
        here = self.paths.doc("personas", persona.id)
        title = localize(persona.name, lang)
        parts = [self.front(title, [self.name("segments", sg) for sg in persona.segments],
                            description=localize(persona.role, lang) if persona.role else ""),
                 f"# {markdown_literal(title)}\n"]
        parts.append(self.persona_card(persona, here))
        parts.append(self.review("personas", persona.id, here))
        if persona.summary:
            parts.append(f'<div class="tabiji-text">{self.block(persona.summary)}</div>\n')
        company = persona.company
        parts.append(self.heading(t['company'], "company"))
        parts.append(self.facts([
            (t["industry"], self.inline(company.industry) if company and company.industry else ""),
            (t["company_size"], self.inline(company.size) if company and company.size else ""),
            (t["company_department"], self.inline(company.department) if company and company.department else ""),
            (t["department_size"], self.inline(company.department_size) if company and company.department_size
             else ""),
            (t["decision_power"], self.inline(persona.decision_power) if persona.decision_power else ""),
            (t["adoption_purpose"], self.inline(persona.adoption_purpose) if persona.adoption_purpose else ""),
        ]) + "\n")
        for key in ("success_metrics", "needs"):
            items = getattr(persona, key)
            if items:
                parts.append(self.section(t[key], key.replace("_", "-"), self.bullets(items)))
        if persona.kpis:
            parts.append(self.section(t["kpis"], "kpis", f"<p>{self.links('kpis', persona.kpis, here)}</p>"))
        personal = self.facts([
            (t["personality"], self.inline(persona.personality) if persona.personality else ""),
            (t["hobbies"], "、".join(self.inline(h) for h in persona.hobbies)),
            (t["lifestyle"], self.inline(persona.lifestyle) if persona.lifestyle else ""),
            (t["information_sources"], self.bullets(persona.information_sources)
             if persona.information_sources else ""),
        ])
        if personal:
            parts.append(self.section(t["personal"], "personal", personal))
        if self.site.roadmaps:
            roadmaps = self.sorted_ids("roadmaps", {u.roadmap for u in self.index.in_roadmaps("personas", persona.id)})
            items = [f"<li>{self.a('roadmaps', r, here)} — {self.inline(self.site.roadmaps[r].product)}</li>"
                     for r in roadmaps]
            parts.append(self.section(t["roadmaps_for"], "roadmaps", self.item_list(items)))
        parts.append(self.mentions("personas", persona.id, here))
        return GeneratedPage(here, "\n".join(parts), title, self.site.source_file("personas", persona.id))

    def persona_card(self, persona: m.Persona, here: str) -> str:
        """Who they are at a glance: role, quote, goals, pains and their journeys in order."""
        t = self.t
        lines = [f'<p class="tabiji-card-role"><strong>{escape(t["role"])}</strong> {self.inline(persona.role)}</p>'
                 if persona.role else ""]
        if persona.segments:
            lines.append(f'<p class="tabiji-meta">{escape(t["segments"])}: '
                         f'{self.links("segments", persona.segments, here)}</p>')
        if persona.quote:
            lines.append(f'<blockquote class="tabiji-quote"><p>{self.inline(persona.quote)}</p></blockquote>')
        columns = ""
        for key, anchor in (("goals", "goals"), ("challenges", "challenges")):
            items = getattr(persona, key)
            if items:
                columns += (f'<div class="tabiji-card-col" id="{anchor}"><p><strong>{escape(t[key])}</strong></p>'
                            f"{self.bullets(items)}</div>")
        if columns:
            lines.append(f'<div class="tabiji-card-cols">{columns}</div>')
        extra = self.extra_facts(persona.extra)  # the writer's own facts (年齢, ...), in the order written
        if extra:
            lines.append(f'<div class="tabiji-card-extra" id="extra"><p><strong>{escape(t["extra"])}</strong></p>'
                         f"{extra}</div>")
        journeys = self.sorted_ids("journeys", [j.id for j in journeys_for_persona(self.site, persona.id)])
        items = "".join(f"<li>{self.a('journeys', j, here)} — {self.inline(self.site.journeys[j].goal)}</li>"
                        for j in journeys)
        lines.append(f'<div id="journeys"><p><strong>{escape(t["persona.journeys"])}</strong></p>'
                     + (f'<ol class="tabiji-list">{items}</ol>' if items else f"<p>{escape(t['none'])}</p>")
                     + "</div>")
        return (f'<section class="tabiji-persona-card" aria-label="{escape(t["persona.card"])}">'
                f'{"".join(lines)}</section>\n')

    def department_page(self, dept: m.Department) -> GeneratedPage:
        t = self.t
        here = self.paths.doc("departments", dept.id)
        title = localize(dept.name, self.lang)
        usages = self.index.used("departments", dept.id)
        parts = [self.front(title), f"# {markdown_literal(title)}\n"]
        rule = self.paths.href(self.paths.doc("departments"), here, "#review-rule")
        reviewers = (" ".join(f"<code>{escape(h)}</code>" for h in dept.reviewers) if dept.reviewers
                     else escape(t["dept.reviewers.none"]))
        parts.append(self.facts([(t["description"], self.block(dept.description) if dept.description else ""),
                                 (t["people"], self.bullets(dept.owners) if dept.owners else ""),
                                 (t["dept.reviewers"], f'{reviewers} (<a href="{escape(rule)}">'
                                                       f'{escape(t["review_rule"])}</a>)')]) + "\n")
        extra = self.extra_facts(dept.extra)  # the writer's own facts (連携内容, VoC活動例, ...), in order
        if extra:
            parts.append(self.section(t["extra"], "extra", extra))
        if self.reviews:
            parts.append(self.section(t["dept.reviews"], "reviews", self.overdue(here, owner=dept.id)))
        parts.append(self.section(t["dept.cells"], "steps", self.department_cells(dept.id, here)))
        sections = [
            ("owned_journeys", "journeys", [u for u in usages if u.role == "owner"]),
            ("owned_phases", "phases", [u for u in usages if u.role == "phase_owner"]),
        ]
        for label, anchor, found in sections:
            parts.append(self.section(t[label], anchor, self.usage_list(found, here)))
        for label, anchor, collection, ids in (
                ("owned_touchpoints", "touchpoints", "touchpoints", self.index.touchpoints_by_owner.get(dept.id, [])),
                ("owned_kpis", "kpis", "kpis", self.index.kpis_by_owner.get(dept.id, []))):
            items = [f"<li>{self.a(collection, i, here)}</li>" for i in self.sorted_ids(collection, ids)]
            parts.append(self.section(t[label], anchor, self.item_list(items)))
        if self.site.roadmaps:
            found = self.index.in_roadmaps("departments", dept.id)
            for label, anchor, kind in (("owned_roadmaps", "roadmaps", "roadmap"),
                                        ("owned_tasks", "roadmap-tasks", "task"),
                                        ("owned_actions", "roadmap-actions", "action")):
                parts.append(self.section(t[label], anchor,
                                          self.roadmap_usage_list([u for u in found if u.kind == kind], here)))
        parts.append(self.mentions("departments", dept.id, here))
        return GeneratedPage(here, "\n".join(parts), title, self.site.source_file("departments", dept.id))

    def department_cells(self, dept_id: str, here: str) -> str:
        """Per journey (in order), each column where the department is in the departments lane,
        with the text of the measures lane there (what the department does), else the actions'."""
        by_journey: dict[str, list[str]] = {}
        for u in self.index.used("departments", dept_id):
            if u.role == "departments":
                by_journey.setdefault(u.journey, []).append(u.column)
        rows = []
        for jid in self.sorted_ids("journeys", by_journey):
            journey = self.site.journeys[jid]
            position = column_position(journey)
            lanes = {lane.kind: lane for lane in journey.lanes if lane.kind in ("measures", "actions")}
            columns = sorted(set(by_journey[jid]), key=lambda c: position.get(c, len(position)))
            for k, column in enumerate(columns):
                lane = next((lanes[k] for k in ("measures", "actions") if k in lanes and column in lanes[k].cells),
                            None)
                cell = lane.cells[column] if lane else None
                text = self.bullets(cell if isinstance(cell, list) else [cell]) if cell is not None else ""
                if lane is not None and lane.kind != "measures":  # the customer's action, said so
                    text = f'<span class="tabiji-meta">{escape(self.t["lane." + lane.kind])}</span>{text}'
                href = self.paths.link("journeys", jid, here) + f"#phase-{self._phase_of(journey, column)}"
                first = (f'<th scope="rowgroup" rowspan="{len(columns)}">{self.a("journeys", jid, here)}</th>'
                         if k == 0 else "")
                rows.append(f"<tr>{first}<td><a href=\"{escape(href)}\">"
                            f"{escape(self.phase_name(journey, column))}</a></td><td>{text}</td></tr>")
        if not rows:
            return f"<p>{escape(self.t['none'])}</p>"
        head = "".join(f"<th>{escape(self.t[k])}</th>" for k in ("journey", "step", "lane.measures"))
        return (f'<table class="tabiji-table tabiji-dept-cells"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')

    def review_rule(self, here: str) -> str:
        """The one rule of who reviews a change (the diff comment and CODEOWNERS both follow it)."""
        from .codeowners import departments_by_file  # only this page needs it
        t = self.t
        rows = "".join(f"<tr><td>{escape(t['review_rule.' + k])}</td><td>{escape(t['review_rule.' + k + '.who'])}"
                       "</td></tr>" for k in ("cell", "phase", "journey", "persona", "catalog"))
        head = f"<th>{escape(t['review_rule.what'])}</th><th>{escape(t['review_rule.who'])}</th>"
        files = []
        for file, depts in departments_by_file(self.site).items():
            if not depts:  # nobody to ask: the file concerns no department
                continue
            shown = "/".join(file.replace("\\", "/").split("/")[-2:])  # catalog/kpis.yml, maps/onboarding.yml
            handles = list(dict.fromkeys(h for d in depts for h in self.site.departments[d].reviewers))
            names = self.links("departments", depts, here)
            files.append(f"<tr><td><code>{escape(shown)}</code></td><td>{names}</td>"
                         f"<td>{' '.join(f'<code>{escape(h)}</code>' for h in handles)}</td></tr>")
        fhead = "".join(f"<th>{escape(t[k])}</th>" for k in ("review_rule.file", "departments", "dept.reviewers"))
        return (f"<p>{escape(t['review_rule.intro'])}</p>"
                f'<table class="tabiji-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
                f"<h3 id=\"review-files\">{escape(t['review_rule.files'])}</h3>"
                f'<table class="tabiji-table"><thead><tr>{fhead}</tr></thead><tbody>{"".join(files)}</tbody></table>')

    @staticmethod
    def with_unit(value: float, unit: str | None) -> str:
        """``90%``, ``3 日``: a number and its unit, as every KPI value is shown."""
        return f"{value:g}" + (unit if unit == "%" else f" {unit}" if unit else "")

    def target_value(self, value: m.TargetValue, unit: str | None) -> str:
        """A number and its unit, or 未定 with the team's words when it is not set yet."""
        if isinstance(value, m.Undecided):
            words = self.t["undecided.words"].format(words=self.inline(value.undecided))
            return (f'<span class="tabiji-undecided"><strong>{escape(self.t["undecided"])}</strong>'
                    f"{words}</span>")
        return f'<span class="tabiji-nowrap">{escape(self.with_unit(value, unit))}</span>'

    def kpi_target(self, kpi: m.Kpi) -> str:
        if kpi.target is None:
            return ""
        if isinstance(kpi.target, m.Undecided):  # its words say the direction ("◯人以上")
            return self.target_value(kpi.target, kpi.unit)
        value = self.with_unit(kpi.target, kpi.unit)
        return f'<span class="tabiji-nowrap">{escape(value)}</span> {escape(self.t["direction." + kpi.direction])}'

    def kpi_baseline(self, kpi: m.Kpi) -> str:
        if kpi.baseline is None:
            return ""
        return f'<span class="tabiji-nowrap">{escape(self.with_unit(kpi.baseline, kpi.unit))}</span>{self.kpi_late(kpi)}'

    def kpi_late(self, kpi: m.Kpi) -> str:
        """A mark when the deadline has passed and the baseline still misses the target."""
        if None in (self.today, kpi.deadline, kpi.baseline) or not m.decided(kpi.target) \
                or kpi.deadline >= self.today:
            return ""
        met = kpi.baseline >= kpi.target if kpi.direction == "at_least" else kpi.baseline <= kpi.target
        if met:
            return ""
        title = self.t["kpi.late.title"].format(date=kpi.deadline.isoformat())
        return (f' <span class="tabiji-late" title="{escape(title)}"><span aria-hidden="true">⚠</span> '
                f'{escape(self.t["kpi.late"])}</span>')

    def kpi_thresholds(self, kpi: m.Kpi, here: str) -> str:
        """Every value the map sets on the KPI, side by side: its target, the roadmaps' checkpoints
        and guided-action conditions, and journey text that names it."""
        t = self.t
        rows = []
        if kpi.target is not None:
            rows.append((t["threshold.target"], self.kpi_target(kpi), escape(t["catalog.kpi"]),
                         f'{escape(t["deadline"])} {nowrap(kpi.deadline.isoformat())}' if kpi.deadline else ""))
        for c in health_candidates(self.site).get(kpi.id, []):
            stage = f"{escape(self.name('roadmaps', c.roadmap))} › {self.stage_link(c.roadmap, c.stage, here)}"
            if c.action is None:
                rows.append((t["threshold.checkpoint"], condition_html(self, c.condition, here), stage,
                             self.inline(c.condition.label) if getattr(c.condition, "label", None) else ""))
            else:
                rows.append((t["threshold.trigger"], condition_html(self, c.condition, here),
                             f"{stage} › {self.item_link(c.roadmap, c.action.id, here)}", ""))
        name = localize(kpi.name, self.lang)
        for jid, journey, lane, column, text, shown in self.lane_texts():
            if name and name in shown:
                href = self.paths.link("journeys", jid, here) + f"#phase-{self._phase_of(journey, column)}"
                rows.append((t["threshold.lane"], self.inline(text),
                             f"{self.a('journeys', jid, here)} › <a href=\"{escape(href)}\">"
                             f"{escape(self.phase_name(journey, column))}</a>",
                             escape(localize(lane.title, self.lang)) if lane.title
                             else escape(t["lane." + lane.kind])))
        if not rows:
            return f"<p>{escape(t['none'])}</p>"
        head = "".join(f"<th>{escape(t[k])}</th>" for k in ("threshold.meaning", "threshold.value", "threshold.where",
                                                             "description"))
        body = "".join(f'<tr><td><span class="tabiji-nowrap">{escape(row[0])}</span></td>'
                       + "".join(f"<td>{c}</td>" for c in row[1:]) + "</tr>" for row in rows)
        return (f"<p>{escape(t['kpi.thresholds.intro'])}</p>"
                f'<table class="tabiji-table tabiji-thresholds"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')

    def lane_texts(self) -> list[tuple]:
        """(journey id, journey, lane, column, text, its plain words) of every text cell, in the
        customer's order; made once, as every KPI page searches them."""
        if self._lane_texts is None:
            found = []
            for jid in self.sorted_ids("journeys"):
                journey = self.site.journeys[jid]
                position = column_position(journey)
                for lane in journey.lanes:
                    if lane.kind in ("touchpoints", "departments", "kpis", "emotions"):
                        continue
                    for column in sorted(lane.cells, key=lambda c: position.get(c, len(position))):
                        cell = lane.cells[column]
                        for text in cell if isinstance(cell, list) else [cell]:
                            found.append((jid, journey, lane, column, text, plain(localize(text, self.lang))))
            self._lane_texts = found
        return self._lane_texts

    def rung_link(self, kpi: m.Kpi, here: str) -> str:
        """The KPI's rung on the evaluation ladder, linked to that rung on the metrics page."""
        if not kpi.rung:
            return ""
        href = self.paths.href(self.paths.doc("metrics"), here, f"#rung-{kpi.rung.replace('_', '-')}")
        return f'<a href="{escape(href)}">{escape(self.t["rung." + kpi.rung])}</a>'

    def kpi_page(self, kpi: m.Kpi) -> GeneratedPage:
        t = self.t
        here = self.paths.doc("kpis", kpi.id)
        title = localize(kpi.name, self.lang)
        parts = [self.front(title), f"# {markdown_literal(title)}\n"]
        parts.append(self.facts([
            (t["definition"], self.block(kpi.definition)),
            (t["unit"], escape(kpi.unit or "")),
            (t["target"], self.kpi_target(kpi)),
            (t["baseline"], self.kpi_baseline(kpi)),
            (t["deadline"], nowrap(kpi.deadline.isoformat()) if kpi.deadline else ""),
            (t["owner"], self.a("departments", kpi.owner, here) if kpi.owner else ""),
            (t["rung"], self.rung_link(kpi, here)),
            (t["seen_from"], escape(t["seen_from." + kpi.seen_from]) if kpi.seen_from else ""),
        ]) + "\n")
        parts.append(self.section(t["kpi.thresholds"], "thresholds", self.kpi_thresholds(kpi, here)))
        parts.append(self.section(t["used_in"], "used-in", self.usage_list(self.index.used("kpis", kpi.id), here)))
        if self.site.roadmaps:
            parts.append(self.section(t["used_in_roadmaps"], "used-in-roadmaps",
                                      self.roadmap_usage_list(self.index.in_roadmaps("kpis", kpi.id), here)))
        personas = self.index.personas_by_kpi.get(kpi.id, [])
        if personas:
            parts.append(self.section(t["personas"], "personas", f"<p>{self.links('personas', personas, here)}</p>"))
        parts.append(self.mentions("kpis", kpi.id, here))
        return GeneratedPage(here, "\n".join(parts), title, self.site.source_file("kpis", kpi.id))

    def touchpoint_page(self, tp: m.Touchpoint) -> GeneratedPage:
        t = self.t
        here = self.paths.doc("touchpoints", tp.id)
        title = localize(tp.name, self.lang)
        parts = [self.front(title), f"# {markdown_literal(title)}\n"]
        parts.append(self.facts([
            (t["channel"], self.a("channels", tp.channel, here) if tp.channel else ""),
            (t["owner"], self.a("departments", tp.owner, here) if tp.owner else ""),
            (t["touch_model"], escape(t["touch." + tp.touch_model]) if tp.touch_model else ""),
            (t["description"], self.block(tp.description) if tp.description else ""),
        ]) + "\n")
        parts.append(self.section(t["used_in"], "used-in", self.usage_list(self.index.used("touchpoints", tp.id), here)))
        parts.append(self.mentions("touchpoints", tp.id, here))
        return GeneratedPage(here, "\n".join(parts), title, self.site.source_file("touchpoints", tp.id))

    def touchpoints_index(self) -> GeneratedPage:
        """Touchpoints grouped by channel; each channel is an anchor other pages link to."""
        t = self.t
        here = self.paths.doc("touchpoints")
        parts = [self.front(t["touchpoints"]), f"# {markdown_literal(t['touchpoints'])}\n"]
        groups = [(c, self.index.touchpoints_by_channel.get(c, [])) for c in self.sorted_ids("channels")]
        groups.append(("", [i for i, tp in self.site.touchpoints.items() if not tp.channel]))
        for channel_id, ids in groups:
            if channel_id:
                ch = self.site.channels[channel_id]
                parts.append(self.heading(localize(ch.name, self.lang), f"channel-{channel_id}"))
                if ch.description:
                    parts.append(f'<div class="tabiji-text">{self.block(ch.description)}</div>\n')
            elif ids:
                parts.append(self.heading(t['none'], "channel-none"))
            items = "".join(f"<li>{self.a('touchpoints', i, here)} <span class=\"tabiji-count\">"
                            f"{len(self.index.journeys_using('touchpoints', i))}</span></li>"
                            for i in self.sorted_ids("touchpoints", ids))
            if items:
                parts.append(f'<ul class="tabiji-list">{items}</ul>\n')
        return GeneratedPage(here, "\n".join(parts), t["touchpoints"])

    def segments_page(self) -> GeneratedPage:
        t = self.t
        here = self.paths.doc("segments")
        parts = [self.front(t["segments"]), f"# {markdown_literal(t['segments'])}\n"]
        for sid in self.sorted_ids("segments"):
            seg = self.site.segments[sid]
            parts.append(self.heading(localize(seg.name, self.lang), f"segment-{sid}"))
            personas = self.index.personas_by_segment.get(sid, [])
            journeys = self.sorted_ids("journeys", self.index.journeys_using("segments", sid))
            parts.append(self.facts([
                (t["axis"], escape(t["axis." + seg.axis])),
                (t["touch_model"], escape(t["touch." + seg.touch_model]) if seg.touch_model else ""),
                (t["description"], self.block(seg.description) if seg.description else ""),
                (t["personas"], self.links("personas", personas, here)),
                (t["journeys"], self.links("journeys", journeys, here)),
                (t["roadmaps"], self.links("roadmaps", self.sorted_ids("roadmaps", {
                    u.roadmap for u in self.index.in_roadmaps("segments", sid)}), here)),
            ]) + "\n")
            parts.append(self.mentions("segments", sid, here))
        return GeneratedPage(here, "\n".join(parts), t["segments"])
