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

from markupsafe import Markup

from tabiji.core import model as m
from tabiji.render.conditions import change_words, condition_task, event_html, event_text
from tabiji.render.evidence import is_hypothesis, mark_html, mark_text
from tabiji.core.labels import labels_for
from tabiji.core.paths import Paths
from tabiji.render.swimlane import Linker, PrintRow, _html, _name, fit_print_font, num
from tabiji.core.lang import localize
from tabiji.render.templating import environment, render
from tabiji.render.text import escape, plain, wrap_html

if TYPE_CHECKING:  # only for annotations: keeps this module free of import cycles
    import jinja2

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


# What the template draws (templates/roadmap_swimlane.html.j2): writer's
# text and links as Markup, every choice made here; the markup of the table, its headers and
# rows is the template's, that of the task and action cards is made here (for speed).


@dataclass(frozen=True, slots=True)
class StageHead:
    id: str
    number: str  # '段階 1'
    name: Markup
    desc: Markup | str
    phases: list[Markup]  # links to the journey phases the stage corresponds to
    ordered: bool  # its tasks are numbered across the lanes (a note says so)


@dataclass(frozen=True, slots=True)
class CheckpointView:
    condition: Markup
    label: Markup | str
    mark: Markup | str  # the hypothesis mark (evidence), or ''


@dataclass(frozen=True, slots=True)
class WideRow:
    first: bool  # the first such row carries id="all-stages"
    cards: Markup  # the action cards (<li>s), made in Python: see LaneRow


@dataclass(frozen=True, slots=True)
class LaneRow:
    lane: str
    icon: str  # an action lane's icon path, '' for a task lane
    # per stage, its cards (<li>s; '' for none). The cards' markup is made in Python (the methods
    # above): they are most of a roadmap's HTML, and macros for them made the roadmap twice as slow.
    cells: list[Markup]
    wide: WideRow | None = None


class _Renderer(Linker):
    def __init__(self, roadmap: m.Roadmap, site: Site, lang: str, paths: Paths, from_doc: str) -> None:
        super().__init__(site, lang, paths, from_doc)
        self.roadmap = roadmap
        self.plain = Plain(site, lang, roadmap)

    def html(self, value: m.Text | None) -> Markup:
        return Markup(_html(value, self.lang))

    def condition(self, cond: m.Condition) -> Markup:
        """'DAU ≥ 50 人（30日以内）' with the metric linked to its KPI page; an event in words,
        its task (when it names one) linked to the task in this swimlane."""
        if m.is_event(cond):
            task = condition_task(self.site, cond, self.roadmap)
            return Markup(f'<span class="tabiji-event">{event_html(self.labels, self.lang, cond, task, _wrap_text)}</span>')
        return Markup(self.ref("kpis", cond.metric) + _wrap_text(self.plain.condition_rest(cond)))

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

    def phase_ref(self, ref: str) -> Markup:
        journey_id, _, phase_id = ref.partition("/")
        # each name on its own: BudouX would cut the phase's first word off after the ›
        text = " › ".join(_wrap_text(part) for part in self.plain.phase_ref(ref).split(" › "))
        if journey_id not in self.site.journeys:  # validation reports it; no dead link
            return Markup(f'<span class="tabiji-missing">{text}</span>')
        href = self.paths.link("journeys", journey_id, self.from_doc) + (f"#phase-{phase_id}" if phase_id else "")
        return Markup(f'<a href="{escape(href)}">{text}</a>')

    def stage_header(self, stage: m.Stage, n: int) -> StageHead:
        return StageHead(stage.id, self.labels["rs.stage_n"].format(n=n), self.html(stage.name),
                         self.html(stage.description) if stage.description else "",
                         [self.phase_ref(p) for p in stage.phases], bool(m.task_order(stage)))

    def checkpoints(self, stage: m.Stage) -> list[CheckpointView]:
        out = []
        for cp in stage.checkpoints:
            mark = mark_html(getattr(cp, "evidence", None), self.labels, self.lang)  # evidence (issue 13)
            out.append(CheckpointView(self.condition(cp), self.html(cp.label) if cp.label else "",
                                      Markup(mark) if mark else ""))
        return out

    def key(self, label: str) -> str:
        return f'<span class="tabiji-key">{escape(self.labels[label])}</span>'

    def label(self, key: str) -> Markup:
        """A label as HTML, breakable at its soft breaks."""
        return Markup("<wbr>".join(escape(part) for part in label_parts(self.labels, key)))

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

    def lane_row(self, lane: str, per_stage: tuple[tuple[Item, ...], ...], wide: WideRow | None) -> LaneRow:
        card = self.action if lane in ACTION_KINDS else self.task
        return LaneRow(lane, ICON_PATHS[lane] if lane in ACTION_KINDS else "",
                       [Markup("".join(card(item) for item in items)) for items in per_stage], wide)


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
    env: jinja2.Environment | None = None,
) -> str:
    """The swimlane of ``roadmap`` as one HTML fragment without blank lines, drawn by
    ``roadmap_swimlane.html.j2`` of ``env`` (the site's templates; the package's when None)."""
    r = _Renderer(roadmap, site, lang, paths, from_doc)
    g = grid(roadmap)
    lanes = []
    for lane, per_stage in g.lanes:
        wide = g.wide_of(lane)
        lanes.append(r.lane_row(lane, per_stage, WideRow(lane == g.wide[0][0], Markup("".join(r.action(a) for a in wide)))
                                if wide else None))
    template = (env or environment(None)).get_template("roadmap_swimlane.html.j2")
    html = render(template, {
        "roadmap_id": roadmap.id, "t": r.labels, "sep": r.sep, "n": len(g.stages), "label": r.label,
        "caption": r.labels["rs.caption"].format(title=plain(localize(roadmap.title, lang))),
        "print_font": num(print_font_pt(g, site, lang)),
        "stages": [r.stage_header(s, i + 1) for i, s in enumerate(g.stages)],
        "states": [r.html(s.state) for s in g.stages],
        "checkpoints": [r.checkpoints(s) for s in g.stages] if g.has_checkpoints else None,
        "lanes": lanes, "svg_href": svg_href,
    })
    return html[:-1] if html.endswith("\n") else html  # a fragment: the template's last newline is not part of it
