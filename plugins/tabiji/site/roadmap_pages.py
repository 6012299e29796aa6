"""Pages of the success roadmaps and the pages for new CS staff.

One page per roadmap (facts, swimlane, stage details, guided actions) and its playbook (one
A4 page per stage in print); the roadmaps index; health-score candidates (derived from the
measurable triggers and checkpoints, nothing typed twice); the metrics ladder; the start
page (はじめに); customer roles; the glossary. They reuse the writer of ``pages``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from markupsafe import Markup

from tabiji.core import model as m
from tabiji.render.conditions import Candidate, condition_html, health_candidates
from tabiji.render.map_facts import event_triggers_html, partners_html, wide_actions
from tabiji.render.evidence import roadmap_sources_html
from tabiji.site.writer import MAP_PAGE, GeneratedPage, NavNode, _Writer
from tabiji.render.roadmap_svg import render_roadmap_svg
from tabiji.render.roadmap_swimlane import render_roadmap_swimlane
from tabiji.core.lang import localize
from tabiji.render.text import escape, markdown_block, plain, wrap_html
from tabiji.source.undecided import undecided_items


@dataclass
class RoadmapPages:
    pages: list[GeneratedPage] = field(default_factory=list)
    assets: dict[str, str] = field(default_factory=dict)
    nav: dict[str, NavNode] = field(default_factory=dict)  # section name -> its nav node


# ------------------------------------------------------------------ small pieces


class ActionRow(NamedTuple):
    """A guided action in its table (``lists.j2``: action_table); every field HTML, escaped."""

    kind: str
    stage: str | None  # the stage's link; none: the table has no stage column
    badge: str
    trigger: str
    condition: str
    action: str
    follow_up: str
    follow_label: str
    links: str
    who: str
    touch: str


def checkpoint_html(w: _Writer, checkpoint: m.Checkpoint, here: str) -> str:
    condition = condition_html(w, checkpoint, here)
    return f"{w.inline(checkpoint.label)} — {condition}" if checkpoint.label else condition


def links_html(w: _Writer, links: list[m.Link], here: str) -> str:
    """Links of a task or an action: web addresses as they are, docs paths relative to the page."""
    out = []
    for link in links:
        url = link.url
        if not url.startswith(("http://", "https://", "mailto:")):
            path, _, fragment = url.partition("#")
            url = w.paths.href(path, here, f"#{fragment}" if fragment else "") if path else f"#{fragment}"
        out.append(w.a_href(url, plain(localize(link.title, w.lang))))
    return w.t["list.sep"].join(out)


def task_meta(w: _Writer, task: m.Task, here: str) -> list[str]:
    """Who and how (HTML, escaped): our department, the customer role, the touch model."""
    bits = []
    if task.department:
        bits.append(w.a("departments", task.department, here) + partners_html(w, task, here))
    if task.role:
        bits.append(w.a("roles", task.role, here))
    if task.touch_model:
        bits.append(escape(w.t["touch." + task.touch_model]))
    return bits


def task_html(w: _Writer, task: m.Task, here: str) -> str:
    """A task (``lists.j2``: task): its name, description, who and how, and its links."""
    desc = w.inline(task.description) if task.description else ""  # rendered first, as it always was
    return w.lists.task(w.inline(task.name), desc, task_meta(w, task, here),
                        links_html(w, task.links, here) if task.links else "")


def who_html(w: _Writer, action: m.GuidedAction, here: str) -> str:
    """'our team → customer role'."""
    whom = f" → {w.a('roles', action.role, here)}" if action.role else ""
    return w.a("departments", action.department, here) + partners_html(w, action, here) + whom


def actions_table(w: _Writer, roadmap: m.Roadmap, actions: list[m.GuidedAction], here: str,
                  with_stage: bool = True) -> str:
    t = w.t
    head = [t["stage"]] if with_stage else []
    head += [t["trigger"], t["action"], f"{t['performer']} → {t['customer_role']}", t["touch_model"]]
    rows = []
    follow_label = escape(t["follow_up"])
    for action in actions:  # text rendered in the order it always was (the glossary marks a first use)
        stage = w.stage_link(roadmap.id, action.stage, here) if with_stage else None
        follow_up = wrap_html(w.inline(action.follow_up)) if action.follow_up else ""
        links = links_html(w, action.links, here) if action.links else ""
        trigger = wrap_html(w.inline(action.trigger))
        condition = condition_html(w, action.condition, here) if action.condition else ""
        rows.append(ActionRow(
            action.kind, stage, w.kind_badge(action.kind), trigger, condition, wrap_html(w.inline(action.action)),
            follow_up, follow_label, links, who_html(w, action, here),
            # a short label: kept on one line, else the narrow column breaks it per letter
            escape(t["touch." + action.touch_model]) if action.touch_model else ""))
    return w.lists.action_table([escape(h) for h in head], rows)


def phase_links(w: _Writer, stage: m.Stage, here: str) -> str:
    out = []
    for ref in stage.phases:
        journey_id, _, phase_id = ref.partition("/")
        if journey_id not in w.site.journeys:
            continue
        if phase_id:
            out.append(f"{escape(w.name('journeys', journey_id))} › "
                       + w.a_fragment("journeys", journey_id, here, f"#phase-{phase_id}",
                                      w.phase_name(w.site.journeys[journey_id], phase_id)))
        else:
            out.append(w.a("journeys", journey_id, here))
    return w.t["list.sep"].join(out)


# ------------------------------------------------------------------ roadmap and playbook


def roadmap_page(w: _Writer, roadmap: m.Roadmap) -> tuple[GeneratedPage, str]:
    t, lang, site = w.t, w.lang, w.site
    here = w.paths.doc("roadmaps", roadmap.id)
    title = localize(roadmap.title, lang)
    tags = [w.name("personas", p) for p in roadmap.personas] + [w.name("departments", roadmap.owner)]
    front = w.front(title, tags, boost=2, description=localize(roadmap.product, lang), hide=MAP_PAGE)
    svg_href = w.paths.href(w.paths.asset(roadmap.id, "roadmaps"), here)
    swimlane = lambda: Markup(w.cache.get(  # noqa: E731 (drawn where the template places it)
        "roadmap-swimlane", roadmap, (here, svg_href),
        lambda: render_roadmap_swimlane(roadmap, site, lang, w.paths, here, svg_href, w.env)))
    markdown = w.render(
        "roadmap.md.j2", here, roadmap=roadmap, title=title, front=Markup(front),
        playbook=w.paths.href(w.paths.doc("playbooks", roadmap.id), here),
        lanes=[(lane, t["task_lane." + lane]) for lane in m.TASK_LANES], swimlane=swimlane,
        stage_links=lambda: Markup(" → ".join(w.stage_link(roadmap.id, s.id, here) for s in roadmap.stages)),
        checkpoint=lambda c: Markup(checkpoint_html(w, c, here)), phases=lambda s: Markup(phase_links(w, s, here)),
        task=lambda task: Markup(task_html(w, task, here)), badge=lambda kind: Markup(w.kind_badge(kind)),
        actions=lambda found: Markup(actions_table(w, roadmap, found, here)),
        sources=lambda: Markup(roadmap_sources_html(w, roadmap, here)))  # its checkpoints' evidence
    source = site.source_file("roadmaps", roadmap.id)
    svg = w.cache.get("roadmap-svg", roadmap, (), lambda: render_roadmap_svg(roadmap, site, lang, w.env))
    return GeneratedPage(here, markdown, title, source), svg


def playbook_page(w: _Writer, roadmap: m.Roadmap) -> GeneratedPage:
    """Per stage: the standard-task checklist and every "when X → do Y"; one A4 page per stage in print."""
    t = w.t
    here = w.paths.doc("playbooks", roadmap.id)
    title = t["playbook.title"].format(title=localize(roadmap.title, w.lang))
    front = w.front(title, [t["playbook"]])
    markdown = w.render(
        "playbook.md.j2", here, roadmap=roadmap, title=title, front=Markup(front),
        lanes=[(lane, t["task_lane." + lane]) for lane in m.TASK_LANES],
        checkpoint=lambda c: Markup(checkpoint_html(w, c, here)), task=lambda task: Markup(task_html(w, task, here)),
        actions=lambda found: Markup(actions_table(w, roadmap, found, here, with_stage=False)),
        wide=wide_actions(roadmap))
    return GeneratedPage(here, markdown, title, w.site.source_file("roadmaps", roadmap.id))


def roadmaps_index(w: _Writer) -> GeneratedPage:
    t, site = w.t, w.site
    here = w.paths.doc("roadmaps")
    return w.collection_index("roadmaps", [
        (t["roadmap"], lambda i: w.a("roadmaps", i, here)),
        (t["product"], lambda i: w.inline(site.roadmaps[i].product)),
        (t["personas"], lambda i: w.links("personas", site.roadmaps[i].personas, here)),
        (t["stages"], lambda i: " → ".join(w.stage_link(i, s.id, here) for s in site.roadmaps[i].stages)),
        (t["owner"], lambda i: w.a("departments", site.roadmaps[i].owner, here)),
        (t["playbook"], lambda i: w.a_href(w.paths.href(w.paths.doc("playbooks", i), here), t["playbook"])),
    ])


# ------------------------------------------------------------------ health-score candidates


def _in_stage_order(found: dict[str, list[Candidate]], roadmap_id: str) -> list[Candidate]:
    """One roadmap's candidates in its stages' order, then as written (checkpoints, then triggers)."""
    mine = [c for cs in found.values() for c in cs if c.roadmap == roadmap_id]
    return sorted(mine, key=lambda c: (c.stage_index, c.index))


def health_page(w: _Writer) -> GeneratedPage:
    """The guided actions' measurable triggers (the health-score candidates), one table per metric,
    then the checkpoints (milestone metrics) in their own section; both in roadmap, stage and
    written order, never sorted by name (``health.md.j2``)."""
    t, site = w.t, w.site
    here = w.paths.doc("health")
    found = health_candidates(site)
    in_order = [c for rid in sorted(site.roadmaps) for c in _in_stage_order(found, rid)]
    triggers: dict[str, list[Candidate]] = {}  # metric -> its triggers; metrics by first appearance
    for c in in_order:
        if c.action is not None:
            triggers.setdefault(c.condition.metric, []).append(c)
    unmeasured = [(rid, a) for rid in sorted(site.roadmaps) for a in site.roadmaps[rid].actions if not a.condition]
    markdown = w.render(
        "health.md.j2", here, title=t["health"], front=Markup(w.front(t["health"])), site=site,
        triggers=list(triggers.items()), checkpoints=[c for c in in_order if c.action is None],
        found=bool(found), unmeasured=unmeasured,
        stage=lambda c: Markup(f"{escape(w.name('roadmaps', c.roadmap))} › {w.stage_link(c.roadmap, c.stage, here)}"),
        badge=lambda kind: Markup(w.kind_badge(kind)),
        condition=lambda c: Markup(condition_html(w, c.condition, here)),
        checkpoint=lambda c: Markup(checkpoint_html(w, c.condition, here)),
        trigger=lambda action: Markup(wrap_html(w.inline(action.trigger))),
        action=lambda c: Markup(w.a_fragment("roadmaps", c.roadmap, here, f"#action-{c.action.id}",
                                             plain(localize(c.action.action, w.lang)))),
        who=lambda action: Markup(who_html(w, action, here)),
        target=lambda kpi: Markup(w.kpi_target(kpi)), rung=lambda kpi: Markup(w.rung_link(kpi, here)),
        item=lambda rid, action_id: Markup(w.item_link(rid, action_id, here)),
        events=lambda: Markup(event_triggers_html(w, here)))  # events and absences: no metric to score
    return GeneratedPage(here, markdown, t["health"])


# ------------------------------------------------------------------ metrics ladder


@dataclass(frozen=True)
class RungView:
    """A rung as the metrics page shows it: the site's words, or the default ladder's labels."""

    id: str
    anchor: str
    name: str
    question: Markup | str
    description: Markup | str
    evaluation: list[Markup]
    improvements: list[Markup]
    kpis: list[str]


def ladder_views(w: _Writer, ids: list[str]) -> list[RungView]:
    """The site's ladder (its catalog's ``ladder``, bottom rung first), else the default one,
    each rung with its KPIs in ``ids``' order. Writer's text is rendered here, in page order."""
    site, t = w.site, w.t
    out = []
    for rung in list(site.ladder) or list(m.RUNGS):
        own = site.ladder.get(rung)
        kpis = [i for i in ids if site.kpis[i].rung == rung]
        name = w.rung_name(rung)
        if own is None:
            question: Markup | str = t["question." + rung]
            out.append(RungView(rung, w.rung_anchor(rung), name, question, "", [], [], kpis))
            continue
        out.append(RungView(
            rung, w.rung_anchor(rung), name, Markup(w.inline(own.question)) if own.question else "",
            Markup(w.block(own.description)) if own.description else "",
            [Markup(w.inline(x)) for x in own.evaluation], [Markup(w.inline(x)) for x in own.improvements], kpis))
    return out


def metrics_page(w: _Writer) -> GeneratedPage:
    """The evaluation ladder with each rung's KPIs, every KPI in one SMART table, and the 未定 targets."""
    t, site = w.t, w.site
    here = w.paths.doc("metrics")
    ids = w.sorted_ids("kpis")
    front = w.front(t["metrics"])
    rungs = ladder_views(w, ids)

    def kpi_item(i: str) -> Markup:
        seen = site.kpis[i].seen_from
        return Markup(w.a("kpis", i, here) + (f' {w.p.seen_from(t["seen_from"], t["seen_from." + seen])}' if seen else ""))

    def rows() -> list[list[Markup]]:
        out = []
        for i in ids:
            kpi = site.kpis[i]
            journeys = w.sorted_ids("journeys", w.index.journeys_using("kpis", i))
            roadmaps = w.sorted_ids("roadmaps", {u.roadmap for u in w.index.in_roadmaps("kpis", i)})
            used = t["list.sep"].join([w.a("journeys", j, here) for j in journeys]
                                      + [w.a("roadmaps", r, here) for r in roadmaps])
            cells = [w.a("kpis", i, here), wrap_html(w.block(kpi.definition)), w.kpi_target(kpi),
                     w.kpi_baseline(kpi), escape(kpi.deadline.isoformat()) if kpi.deadline else "",
                     w.a("departments", kpi.owner, here) if kpi.owner else "", w.rung_link(kpi, here), used]
            out.append([Markup(c) for c in cells])
        return out

    markdown = w.render(
        "metrics.md.j2", here, title=t["metrics"], front=Markup(front), rungs=rungs,
        unassigned=[i for i in ids if not site.kpis[i].rung],
        head=[t[k] for k in ("kpi", "definition", "target", "baseline", "deadline", "owner", "rung", "used_in")],
        kpi_item=kpi_item, rows=rows, undecided=lambda: Markup(undecided_section(w, here, ids)))
    # its edit button opens the site's ladder, when the catalog has one
    source = site.source_file("ladder", next(iter(site.ladder))) if site.ladder else None
    return GeneratedPage(here, markdown, t["metrics"], source)


def undecided_section(w: _Writer, here: str, kpi_order: list[str]) -> str:
    """Every target and threshold not set yet (未定), in one table; nothing when there is none."""
    items = undecided_items(w.site, kpi_order)
    if not items:
        return ""
    t = w.t
    meaning = {"target": t["threshold.target"], "checkpoint": t["threshold.checkpoint"],
               "condition": t["threshold.trigger"]}
    rows = []
    for item in items:
        metric = Markup(w.a("kpis", item.metric, here)) if item.metric in w.site.kpis else item.metric
        if item.kind == "target":  # the KPI's own target, set on its page
            where = [t["catalog.kpi.where"], metric]
        else:
            where = [w.name("roadmaps", item.roadmap), Markup(w.stage_link(item.roadmap, item.stage, here))]
            if item.action:
                where.append(Markup(w.item_link(item.roadmap, item.action, here)))
        said = meaning[item.kind] + (t["undecided.change_amount"] if item.field == "by" else "")
        rows.append((said, metric, Markup(w.target_value(m.Undecided(undecided=item.words), None)), where))
    head = [t[k] for k in ("threshold.meaning", "kpi", "undecided.what", "threshold.where")]
    return (w.heading(t["undecided.section"], "undecided") + "\n"
            + str(w.p.undecided_list(t["undecided.intro"], head, rows)) + "\n")


# ------------------------------------------------------------------ for new CS staff


def start_page(w: _Writer) -> GeneratedPage:
    """はじめに: personas → journeys → roadmap stages → playbook → glossary, a reading list each
    (``start.md.j2``); a step is shown only when the map has what it lists."""
    t, site = w.t, w.site
    here = w.paths.doc("start")
    steps = ["personas", "journeys"] + (["stages", "playbook"] if site.roadmaps else []) \
        + (["glossary"] if site.glossary else [])
    more = ([("health", t["health"])] if site.roadmaps else [])
    more += [("roles", t["customer_roles"])] if site.roles else []
    more += [("departments", t["departments"])]
    markdown = w.render(
        "start.md.j2", here, title=t["start"], front=Markup(w.front(t["start"], boost=3)), steps=steps,
        personas=w.sorted_ids("personas"), journeys=w.sorted_ids("journeys"), roadmaps=w.sorted_ids("roadmaps"),
        terms=glossary_order(w) if site.glossary else [], site=site,
        more=[(w.paths.href(w.paths.doc(c), here), label) for c, label in more],
        stage_link=lambda rid, sid: Markup(w.stage_link(rid, sid, here)),
        playbook=lambda rid: w.paths.href(w.paths.doc("playbooks", rid), here),
        find=lambda: Markup(w.find_links(here)))
    return GeneratedPage(here, markdown, t["start"])


def roles_page(w: _Writer) -> GeneratedPage:
    t = w.t
    here = w.paths.doc("roles")
    title = t["customer_roles"]
    front = w.front(title)
    used = lambda kind: lambda rid: Markup(w.roadmap_usage_list(  # noqa: E731
        [u for u in w.index.in_roadmaps("roles", rid) if u.kind == kind], here))
    markdown = w.render("roles.md.j2", here, title=title, front=Markup(front), roles=w.sorted_ids("roles"),
                        site=w.site, tasks=used("task"), actions=used("action"))
    return GeneratedPage(here, markdown, title)


def glossary_order(w: _Writer) -> list[str]:
    """Japanese: by reading (よみ); other languages: by the term (``order.ordered``)."""
    return w.sorted_ids("glossary")


def glossary_page(w: _Writer) -> GeneratedPage:
    t = w.t
    here = w.paths.doc("glossary")
    title = t["glossary"]
    front = w.front(title)
    markdown = w.render("glossary.md.j2", here, title=title, front=Markup(front), terms=glossary_order(w),
                        site=w.site, definition=lambda text: Markup(markdown_block(localize(text, w.lang))))
    return GeneratedPage(here, markdown, title)


# ------------------------------------------------------------------ all of them


def build_roadmap_pages(w: _Writer, keys: Callable[[m.Roadmap], tuple[str, ...]] | None = None) -> RoadmapPages:
    """The pages above, their standalone SVGs, and nav nodes by section name. ``keys`` (serve)
    says what a roadmap's page and playbook are made from: they are kept while it is the same."""
    site, paths, t = w.site, w.paths, w.t
    out = RoadmapPages()
    out.pages.append(start_page(w))
    out.nav["start"] = NavNode(t["start"], paths.doc("start"))
    if site.roadmaps:
        for rid in sorted(site.roadmaps):
            roadmap = site.roadmaps[rid]
            made_of = keys(roadmap) if keys else ()
            page, svg = w.cache.page("roadmap", made_of, lambda: roadmap_page(w, roadmap))
            out.pages.append(page)
            out.assets[paths.asset(rid, "roadmaps")] = svg
            out.pages.append(w.cache.page("playbook", made_of, lambda: playbook_page(w, roadmap)))
        out.pages.append(roadmaps_index(w))
        out.pages.append(health_page(w))
        ids = w.sorted_ids("roadmaps")
        out.nav["roadmaps"] = NavNode(t["roadmaps"], paths.doc("roadmaps"),
                                      [NavNode(w.name("roadmaps", i), paths.doc("roadmaps", i)) for i in ids])
        out.nav["playbooks"] = NavNode(t["playbooks"], None, [
            NavNode(t["playbook.title"].format(title=w.name("roadmaps", i)), paths.doc("playbooks", i)) for i in ids])
        out.nav["health"] = NavNode(t["health"], paths.doc("health"))
    out.pages.append(metrics_page(w))
    out.nav["metrics"] = NavNode(t["metrics"], paths.doc("metrics"))
    if site.roles:
        out.pages.append(roles_page(w))
        out.nav["roles"] = NavNode(t["customer_roles"], paths.doc("roles"))
    if site.glossary:
        out.pages.append(glossary_page(w))
        out.nav["glossary"] = NavNode(t["glossary"], paths.doc("glossary"))
    return out
