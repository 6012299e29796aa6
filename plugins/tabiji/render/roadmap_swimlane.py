"""The roadmap swimlane: stages across; achievement states, task lanes and guided actions down.

One HTML table, built like the journey swimlane (same wrapper, scroll region, sticky lane
titles, phrase-wrapped Japanese, print stylesheet) so it has the same qualities:

- header rows: each stage (``id="stage-<id>"``) with its number, name, description and the
  journey phases it corresponds to; then its achievement state (達成状態); then its
  checkpoints, a metric linked to its KPI page with comparison, threshold, unit and window
  (the checkpoint row is left out when no stage has a checkpoint);
- body rows: the joint, customer and our task lanes (an ordered list per stage, in time
  order, each task ``id="task-<id>"``), then the positive and the challenge action lanes
  (a card per action, ``id="action-<id>"``: kind shown by icon, a visible word and colour;
  "trigger → action", "team → customer role", touch model, follow-up).

All five lanes are always drawn, even when empty in every stage: the roadmap's form is
fixed, and an empty lane (no challenge actions planned yet) is itself worth seeing.
Roadmap-wide actions (no ``stage``) get a row of their own below their kind's lane, one
cell across every stage; a roadmap without them draws no such row.

The fragment is embedded as a raw HTML block in Markdown: it never contains a blank line,
and every link is computed with ``Paths`` (MkDocs does not rewrite links in raw HTML).
``render_roadmap_svg`` (in ``roadmap_svg``) draws the same content as a standalone SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union
from urllib.parse import urlsplit

from tabiji.core import model as m
from tabiji.render.conditions import change_words, condition_task, event_html, event_text
from tabiji.render.evidence import is_hypothesis, mark_html, mark_text
from tabiji.core.labels import labels_for
from tabiji.core.paths import Paths
from tabiji.render.swimlane import Linker, PrintRow, _html, _name, fit_print_font, map_tools, num
from tabiji.core.lang import localize
from tabiji.render.text import escape, plain, wrap_html

if TYPE_CHECKING:  # only for annotations: keeps this module free of import cycles
    from tabiji.source.validate import Site

ACTION_KINDS = ("positive", "challenge")
LANES = (*m.TASK_LANES, *ACTION_KINDS)
COMPARISON = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
# Icons in a 16x16 box, shared by the HTML and the SVG: an up arrow for an opportunity,
# a warning triangle with a cut-out '!' for a risk. Different shapes, so the kinds differ
# without colour (colour-blind readers, greyscale print).
ICON_PATHS = {
    "positive": "M8 1 15 8.5H10.5V15H5.5V8.5H1Z",
    "challenge": "M8 1 15.5 14.5H0.5ZM7 5.5V10H9V5.5ZM7 11.2V13H9V11.2Z",
}
# Extra printed height of one item, in em (padding, margins, borders), for the print estimate.
PRINT_EXTRA_EM = {"task": 0.4, "action": 1.4}

Item = Union[m.Task, m.GuidedAction]


# ------------------------------------------------------------------ layout (shared with the SVG)


@dataclass(frozen=True)
class Grid:
    """The roadmap as a grid: stages in order, and per lane the items of each stage."""

    stages: tuple[m.Stage, ...]
    lanes: tuple[tuple[str, tuple[tuple[Item, ...], ...]], ...]  # (lane, items per stage)
    # per action kind, the roadmap-wide actions (no stage): a row across every stage, after its lane
    wide: tuple[tuple[str, tuple[m.GuidedAction, ...]], ...] = ()

    def wide_of(self, lane: str) -> tuple[m.GuidedAction, ...]:
        return next((actions for kind, actions in self.wide if kind == lane), ())

    @property
    def has_checkpoints(self) -> bool:
        return any(s.checkpoints for s in self.stages)


def grid(roadmap: m.Roadmap) -> Grid:
    """Tasks stay in their written (time) order; actions in roadmap order within each stage.

    An action naming an unknown stage is left out here (validation reports it)."""
    stages = tuple(roadmap.stages)
    lanes: list[tuple[str, tuple[tuple[Item, ...], ...]]] = [
        (lane, tuple(tuple(getattr(s.tasks, lane)) for s in stages)) for lane in m.TASK_LANES
    ]
    for kind in ACTION_KINDS:
        lanes.append((kind, tuple(tuple(a for a in roadmap.actions if a.kind == kind and a.stage == s.id)
                                  for s in stages)))
    wide = tuple((kind, tuple(a for a in roadmap.actions if a.kind == kind and a.stage is None))
                 for kind in ACTION_KINDS)
    return Grid(stages, tuple(lanes), tuple((k, a) for k, a in wide if a))


class Plain:
    """Each element's text as (style, text) paragraphs: what the SVG draws and the print
    estimate measures, so both follow the HTML's content."""

    def __init__(self, site: Site, lang: str, roadmap: m.Roadmap | None = None) -> None:
        self.site, self.lang = site, lang
        self.roadmap = roadmap  # where a checkpoint's task is looked up
        self.labels = labels_for(lang)
        self.sep = self.labels.get("list.sep", ", ")

    def text(self, value: m.Text | None) -> str:
        return plain(localize(value, self.lang))

    def name(self, collection: str, id_: str) -> str:
        entry = getattr(self.site, collection).get(id_)
        return self.text(entry.name) if entry is not None else id_

    def condition_rest(self, cond: m.Condition) -> str:
        """What follows the metric's name: ' ≥ 50 人（30日以内）'."""
        kpi = self.site.kpis.get(cond.metric)
        unit = cond.unit if cond.unit is not None else (kpi.unit if kpi is not None else None) or ""
        space = "" if not unit or unit == "%" else "\u00a0"  # the number and its unit on one line
        window = self.labels["rs.window"].format(window=self.text(cond.window)) if cond.window else ""
        if cond.change is not None:  # '↘ 30% 減少（4週間）'
            amount = "" if cond.by is None else self.amount(cond.by, unit, space)
            return f" {change_words(self.labels, cond, amount)}{window}"
        if isinstance(cond.value, m.Undecided):  # 未定: the team's words, no unit after them
            words = self.labels["undecided.words"].format(words=self.text(cond.value.undecided))
            return f" {COMPARISON[cond.comparison]}\u00a0{self.labels['undecided']}{words}{window}"
        return f" {COMPARISON[cond.comparison]}\u00a0{num(cond.value)}{space}{unit}{window}"

    def amount(self, value: m.TargetValue, unit: str, space: str) -> str:
        if isinstance(value, m.Undecided):
            return self.labels["undecided"] + self.labels["undecided.words"].format(words=self.text(value.undecided))
        return f"{num(value)}{space}{unit}"

    def condition(self, cond: m.Condition) -> str:
        if m.is_event(cond):
            return self.event(cond)
        return self.name("kpis", cond.metric) + self.condition_rest(cond)

    def event(self, cond: m.Condition) -> str:
        """'出来事：初期設定完了', '起きていない：NPSサーベイへの回答（配信から14日）'."""
        return event_text(self.labels, self.lang, cond, condition_task(self.site, cond, self.roadmap))

    def phase_ref(self, ref: str) -> str:
        """'journey/phase' as 'Journey › Phase' (a missing one as its id)."""
        journey_id, _, phase_id = ref.partition("/")
        journey = self.site.journeys.get(journey_id)
        if journey is None:
            return ref
        title = self.text(journey.title)
        phase = next((p for p in journey.phases if p.id == phase_id), None)
        return f"{title} › {self.text(phase.name)}" if phase else (f"{title} › {phase_id}" if phase_id else title)

    def stage(self, stage: m.Stage, n: int) -> list[tuple[str, str]]:
        lbl = self.labels
        out = [("muted", lbl["rs.stage_n"].format(n=n)), ("bold", self.text(stage.name))]
        if stage.description:
            out.append(("muted", self.text(stage.description)))
        if stage.phases:
            out.append(("muted", f"{lbl['rs.journey']}: " + self.sep.join(self.phase_ref(p) for p in stage.phases)))
        if m.task_order(stage):
            out.append(("muted", lbl["rs.order_note"]))
        return out

    def checkpoints(self, stage: m.Stage) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for cp in stage.checkpoints:
            out.append(("bullet", self.condition(cp)))
            if cp.label:
                out.append(("muted", self.text(cp.label)))
            if is_hypothesis(getattr(cp, "evidence", None)):  # evidence (issue 13)
                out.append(("muted", mark_text(cp.evidence, self.labels)))
        return out

    def meta(self, department: str | None, role: str | None, touch: str | None, partners: tuple[str, ...] = ()) -> str:
        """'CS ＋ 営業 → 事務局 · ハイタッチ': who does it (the lead, then the partners), for whom, how."""
        team = " ＋ ".join(self.name("departments", d) for d in (department, *partners) if d)
        who = " → ".join(t for t in (team, self.name("roles", role) if role else "") if t)
        how = self.labels[f"touch.{touch}"] if touch else ""
        return " · ".join(t for t in (who, how) if t)

    def task(self, task: m.Task, n: int) -> list[tuple[str, str]]:
        n = task.order if task.order is not None else n  # one order across the lanes, when given
        out = [("bold", f"{n}.\u00a0{self.text(task.name)}")]  # the number stays with the name
        if task.description:
            out.append(("text", self.text(task.description)))
        meta = self.meta(task.department, task.role, task.touch_model, tuple(task.partners))
        if meta:
            out.append(("muted", meta))
        out += [("muted", "↗ " + self.text(link.title)) for link in task.links]
        return out

    def action(self, action: m.GuidedAction) -> list[tuple[str, str]]:
        lbl = self.labels
        out = [(action.kind, "".join(label_parts(lbl, f"rs.kind.{action.kind}"))),
               ("text", f"{lbl['rs.trigger']}: {self.text(action.trigger)}")]
        if action.condition:
            out.append(("muted", self.condition(action.condition)))
        out.append(("bold", f"→ {self.text(action.action)}"))
        out.append(("muted", self.meta(action.department, action.role, action.touch_model, tuple(action.partners))))
        if action.follow_up:
            out.append(("text", f"{lbl['rs.follow_up']}: {self.text(action.follow_up)}"))
        out += [("muted", "↗ " + self.text(link.title)) for link in action.links]
        return out

    def item(self, item: Item, n: int) -> list[tuple[str, str]]:
        return self.action(item) if isinstance(item, m.GuidedAction) else self.task(item, n)


# In a label, where a long Japanese compound may break ("ポジティブ\u200bアクション"):
# BudouX keeps katakana compounds whole, which is too wide for the lane-title column.
SOFT_BREAK = "\u200b"


def label_parts(labels: dict[str, str], key: str) -> list[str]:
    """A label split at its soft breaks (one part when it has none)."""
    return labels[key].split(SOFT_BREAK)


# ------------------------------------------------------------------ print size


def print_font_pt(g: Grid, site: Site, lang: str) -> float:
    """The largest print font (pt) at which the whole roadmap fits one A3 landscape page."""
    p = Plain(site, lang)
    rows: list[PrintRow] = [
        [(1, [t for _, t in p.stage(s, i + 1)], 0.0) for i, s in enumerate(g.stages)],
        [(1, [p.text(s.state)], 0.0) for s in g.stages],
    ]
    if g.has_checkpoints:
        rows.append([(1, [t for _, t in p.checkpoints(s)], 0.0) for s in g.stages])
    for lane, per_stage in g.lanes:
        extra = PRINT_EXTRA_EM["action" if lane in ACTION_KINDS else "task"]
        rows.append([(1, [t for i, item in enumerate(items) for _, t in p.item(item, i + 1)], extra * len(items))
                     for items in per_stage])
        wide = g.wide_of(lane)
        if wide:  # cards side by side across the stages: about one stage column each
            per_col = -(-len(wide) // max(len(g.stages), 1))
            rows.append([(1, [t for a in wide[:per_col] for _, t in p.action(a)], extra * per_col)])
    return fit_print_font(rows, len(g.stages))


# ------------------------------------------------------------------ HTML


def icon(kind: str) -> str:
    return (f'<svg class="tabiji-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">'
            f'<path d="{ICON_PATHS[kind]}" fill-rule="evenodd"/></svg>')


class _Renderer(Linker):
    def __init__(self, roadmap: m.Roadmap, site: Site, lang: str, paths: Paths, from_doc: str) -> None:
        super().__init__(site, lang, paths, from_doc)
        self.roadmap = roadmap
        self.plain = Plain(site, lang, roadmap)

    def html(self, value: m.Text | None) -> str:
        return _html(value, self.lang)

    def key(self, label: str) -> str:
        return f'<span class="tabiji-key">{escape(self.labels[label])}</span>'

    def condition(self, cond: m.Condition) -> str:
        """'DAU ≥ 50 人（30日以内）' with the metric linked to its KPI page; an event in words,
        its task (when it names one) linked to the task in this swimlane."""
        if m.is_event(cond):
            task = condition_task(self.site, cond, self.roadmap)
            return f'<span class="tabiji-event">{event_html(self.labels, self.lang, cond, task, _wrap_text)}</span>'
        return self.ref("kpis", cond.metric) + _wrap_text(self.plain.condition_rest(cond))

    def url(self, url: str) -> str:
        """A link's address: web and mail addresses as written, docs paths relative to this page."""
        if urlsplit(url).scheme or url.startswith(("/", "#")):
            return url
        path, hash_, fragment = url.partition("#")
        return self.paths.href(path, self.from_doc, hash_ + fragment) if path else url

    def links(self, links: list[m.Link]) -> str:
        if not links:
            return ""
        items = "".join(f'<li><a href="{escape(self.url(link.url))}">{_name(link.title, self.lang)}</a></li>'
                        for link in links)
        return f'<ul class="tabiji-links">{items}</ul>'

    def touch(self, model: str | None) -> str:
        if not model:
            return ""
        return f'<span class="tabiji-touch tabiji-touch--{model}">{escape(self.labels[f"touch.{model}"])}</span>'

    def phase_ref(self, ref: str) -> str:
        journey_id, _, phase_id = ref.partition("/")
        # each name on its own: BudouX would cut the phase's first word off after the ›
        text = " › ".join(_wrap_text(part) for part in self.plain.phase_ref(ref).split(" › "))
        if journey_id not in self.site.journeys:  # validation reports it; no dead link
            return f'<span class="tabiji-missing">{text}</span>'
        href = self.paths.link("journeys", journey_id, self.from_doc) + (f"#phase-{phase_id}" if phase_id else "")
        return f'<a href="{escape(href)}">{text}</a>'

    # ---- header rows

    def stage_header(self, stage: m.Stage, n: int) -> str:
        parts = [f'<div class="tabiji-stage-n">{escape(self.labels["rs.stage_n"].format(n=n))}</div>',
                 f'<div class="tabiji-phase-name">{self.html(stage.name)}</div>']
        if stage.description:
            parts.append(f'<div class="tabiji-step-desc">{self.html(stage.description)}</div>')
        if stage.phases:
            refs = escape(self.sep).join(self.phase_ref(p) for p in stage.phases)
            parts.append(f'<div class="tabiji-stage-phases">{self.key("rs.journey")}{refs}</div>')
        if m.task_order(stage):
            parts.append(f'<div class="tabiji-stage-order">{escape(self.labels["rs.order_note"])}</div>')
        return (f'<th scope="col" id="stage-{escape(stage.id)}" class="tabiji-stage">'
                + "".join(parts) + "</th>")

    def checkpoints(self, stage: m.Stage) -> str:
        if not stage.checkpoints:
            return ""
        items = []
        for cp in stage.checkpoints:
            label = f'<div class="tabiji-checkpoint-label">{self.html(cp.label)}</div>' if cp.label else ""
            mark = mark_html(getattr(cp, "evidence", None), self.labels, self.lang)  # evidence (issue 13)
            if mark:
                label += f'<div class="tabiji-hypothesis-mark">{mark}</div>'
            css = "tabiji-checkpoint tabiji-checkpoint--hypothesis" if mark else "tabiji-checkpoint"
            items.append(f'<li class="{css}">{self.condition(cp)}{label}</li>')
        return '<ul class="tabiji-checkpoints">' + "".join(items) + "</ul>"

    def label(self, key: str) -> str:
        """A label as HTML, breakable at its soft breaks."""
        return "<wbr>".join(escape(part) for part in label_parts(self.labels, key))

    def header_row(self, css: str, title_key: str, cells: list[str]) -> str:
        return (f'<tr class="{css}"><th scope="row" class="tabiji-lane-title"><span class="tabiji-lane-name">{self.label(title_key)}</span></th>'
                + "".join(f'<td class="tabiji-cell{"" if c else " tabiji-empty"}">{c}</td>' for c in cells)
                + "</tr>")

    # ---- lanes

    def who(self, department: str | None, role: str | None, touch: str | None, partners: tuple[str, ...] = ()) -> str:
        """Team (the lead ＋ its partners) → customer role, then the touch model; screen readers
        hear 'by: …, with: …, for: …'."""
        lbl = self.labels
        parts = []
        if department:
            parts.append(f'<span class="tabiji-sr-only">{escape(lbl["rs.by"])}</span>' + self.ref("departments", department))
        for partner in partners:
            parts.append(f'<span class="tabiji-partner"><span aria-hidden="true"> ＋ </span>'
                         f'<span class="tabiji-sr-only">{escape(self.sep + lbl["rs.partners"])}</span>'
                         + self.ref("departments", partner) + "</span>")
        if role:
            lead = escape(self.sep + lbl["rs.for"]) if department else escape(lbl["rs.for"])
            arrow = '<span class="tabiji-arrow" aria-hidden="true"> → </span>' if department else ""
            parts.append(f'{arrow}<span class="tabiji-sr-only">{lead}</span>' + self.ref("roles", role))
        if touch:
            parts.append((" " if parts else "") + self.touch(touch))
        return "".join(parts)

    def task(self, task: m.Task) -> str:
        parts = [f'<div class="tabiji-task-name">{self.html(task.name)}</div>']
        if task.description:
            parts.append(f'<div class="tabiji-task-desc">{self.html(task.description)}</div>')
        who = self.who(task.department, task.role, task.touch_model, tuple(task.partners))
        if who:
            parts.append(f'<div class="tabiji-who">{who}</div>')
        parts.append(self.links(task.links))
        value = f' value="{task.order}"' if task.order is not None else ""  # the number across the lanes
        return f'<li id="task-{escape(task.id)}" class="tabiji-task"{value}>' + "".join(parts) + "</li>"

    def action(self, action: m.GuidedAction) -> str:
        lbl = self.labels
        parts = [
            f'<div class="tabiji-action-kind">{icon(action.kind)}{self.label(f"rs.kind.{action.kind}")}</div>',
            f'<div class="tabiji-action-when">{self.key("rs.trigger")}{self.html(action.trigger)}</div>',
        ]
        if action.condition:
            parts.append(f'<div class="tabiji-action-condition">{self.condition(action.condition)}</div>')
        parts.append(
            '<div class="tabiji-action-do"><span class="tabiji-arrow" aria-hidden="true">→ </span>'
            f'<span class="tabiji-sr-only">{escape(lbl["rs.action"])}: </span>{self.html(action.action)}</div>'
        )
        parts.append(f'<div class="tabiji-who">{self.who(action.department, action.role, action.touch_model, tuple(action.partners))}</div>')
        if action.follow_up:
            parts.append(f'<div class="tabiji-action-follow">{self.key("rs.follow_up")}{self.html(action.follow_up)}</div>')
        parts.append(self.links(action.links))
        return (f'<li id="action-{escape(action.id)}" class="tabiji-action tabiji-action--{action.kind}">'
                + "".join(parts) + "</li>")

    def lane_row(self, lane: str, per_stage: tuple[tuple[Item, ...], ...]) -> str:
        title = self.label(f"rs.lane.{lane}")
        if lane in ACTION_KINDS:
            title = icon(lane) + title
        cells = [f'<tr class="tabiji-lane tabiji-lane--{lane}"><th scope="row" class="tabiji-lane-title">'
                 f'<span class="tabiji-lane-name">{title}</span></th>']
        for items in per_stage:
            if not items:
                cells.append('<td class="tabiji-cell tabiji-empty"></td>')
                continue
            if lane in ACTION_KINDS:
                body = '<ul class="tabiji-actions">' + "".join(self.action(a) for a in items) + "</ul>"
            else:
                body = '<ol class="tabiji-tasks">' + "".join(self.task(t) for t in items) + "</ol>"
            cells.append(f'<td class="tabiji-cell">{body}</td>')
        cells.append("</tr>")
        return "".join(cells)

    def wide_row(self, lane: str, actions: tuple[m.GuidedAction, ...], n: int, first: bool) -> str:
        """The roadmap-wide actions of a kind: one cell across every stage (``id="all-stages"``
        on the first such row, where the stage links of these actions point)."""
        anchor = ' id="all-stages"' if first else ""
        title = (icon(lane) + self.label(f"rs.lane.{lane}")
                 + f'<span class="tabiji-wide-note">{escape(self.labels["rs.wide"])}</span>')
        body = '<ul class="tabiji-actions tabiji-actions--wide">' + "".join(self.action(a) for a in actions) + "</ul>"
        return (f'<tr class="tabiji-lane tabiji-lane--{lane} tabiji-lane--wide"><th scope="row"{anchor} '
                f'class="tabiji-lane-title">{title}</th><td class="tabiji-cell" colspan="{n}">{body}</td></tr>')


def _wrap_text(text: str) -> str:
    """Plain text as HTML: escaped, phrase-wrapped."""
    return wrap_html(escape(text))


def render_roadmap_swimlane(
    roadmap: m.Roadmap,
    site: Site,
    lang: str,
    paths: Paths,
    from_doc: str,
    svg_href: str | None = None,
) -> str:
    """The swimlane of ``roadmap`` as one HTML fragment without blank lines."""
    r = _Renderer(roadmap, site, lang, paths, from_doc)
    g = grid(roadmap)
    lbl = r.labels
    caption = lbl["rs.caption"].format(title=plain(localize(roadmap.title, lang)))
    n = len(g.stages)
    out = [
        f'<div class="tabiji-swimlane-wrap tabiji-roadmap-wrap" data-roadmap="{escape(roadmap.id)}">',
        map_tools(lbl),
        f'<div class="tabiji-scroll" role="region" tabindex="0" aria-label="{escape(caption)}">',
        f'<table class="tabiji-swimlane tabiji-roadmap" style="--tabiji-cols: {n}; '
        f'--tabiji-print-font: {num(print_font_pt(g, site, lang))}pt">',
        f'<caption class="tabiji-sr-only">{escape(caption)}</caption>',
        '<colgroup class="tabiji-cols-lane"><col class="tabiji-col-lane"></colgroup>'
        f'<colgroup class="tabiji-cols-stage">{"<col>" * n}</colgroup>',
        "<thead>",
        f'<tr class="tabiji-stages"><th scope="col" class="tabiji-corner">'
        f'<span class="tabiji-sr-only">{escape(lbl["lane"])}</span></th>'
        + "".join(r.stage_header(s, i + 1) for i, s in enumerate(g.stages)) + "</tr>",
        r.header_row("tabiji-states", "rs.state", [r.html(s.state) for s in g.stages]),
    ]
    if g.has_checkpoints:
        out.append(r.header_row("tabiji-checkpoint-row", "rs.checkpoints", [r.checkpoints(s) for s in g.stages]))
    out.append("</thead>")
    out.append("<tbody>")
    for lane, per_stage in g.lanes:
        out.append(r.lane_row(lane, per_stage))
        if g.wide_of(lane):
            out.append(r.wide_row(lane, g.wide_of(lane), n, first=lane == g.wide[0][0]))
    out.append("</tbody>")
    out.append("</table>")
    out.append("</div>")
    if svg_href:
        out.append(f'<p class="tabiji-download"><a href="{escape(svg_href)}" download>'
                   f'{escape(lbl["swimlane.download"])}</a></p>')
    out.append("</div>")
    return "\n".join(out)
