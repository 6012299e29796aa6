"""The journey swimlane as one HTML fragment: phases and steps across, lanes down.

The fragment is embedded as a raw HTML block in Markdown, so it never contains a blank
line, and MkDocs does not rewrite links inside it: every link comes from ``Paths.link``.
The emotion curve needs no JS: each emotion cell draws its own piece of the curve in a
stretched SVG, and neighbouring pieces meet at the shared cell border because both ends are
interpolated from the same scored points (in column units, independent of pixel widths).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

from markupsafe import Markup

from tabiji.core import model as m
from tabiji.render.journey_loops import target_name
from tabiji.render.evidence import mark_html
from tabiji.core.labels import labels_for
from tabiji.core.paths import Paths
from tabiji.render.phrase import LONG, WIDE
from tabiji.core.lang import localize
from tabiji.render.templating import environment, render
from tabiji.render.text import display_width, escape, markdown_inline, plain, wrap_html

if TYPE_CHECKING:  # only for annotations: keeps this module free of import cycles
    import jinja2

    from tabiji.source.validate import Site

REF_COLLECTIONS = {"touchpoints", "departments", "kpis"}
# Vertical room kept above +2 and below -2 in the curve band, in viewBox units (0..100),
# so dots and the stroke are never cut at the band's edges.
CURVE_PAD = 14.0


# ------------------------------------------------------------------ layout (shared with svg)


@dataclass(frozen=True)
class Slot:
    """One cell of a lane row: the columns it covers and its value (None when empty)."""

    start: int
    span: int
    key: str
    value: Any = None

    @property
    def centre(self) -> float:
        return self.start + self.span / 2


@dataclass(frozen=True)
class Layout:
    """Column layout of a journey, computed once and used by both renderers."""

    columns: tuple[tuple[m.Phase, m.Step | None], ...]
    phase_starts: tuple[int, ...]  # first column of each phase, in journey order
    has_steps: bool
    rows: tuple[tuple[Slot, ...], ...]  # one per lane, in journey order

    @property
    def n_cols(self) -> int:
        return len(self.columns)


def phase_width(phase: m.Phase) -> int:
    return len(phase.steps) or 1


def lane_slots(journey: m.Journey, phase_starts: tuple[int, ...], cells: dict[str, Any]) -> tuple[Slot, ...]:
    """Cells of one lane in column order; a phase-level cell spans its phase's columns."""
    slots: list[Slot] = []
    for phase, start in zip(journey.phases, phase_starts):
        if phase.id in cells or not phase.steps:
            # The model forbids phase- and step-level cells together; phase-level wins.
            slots.append(Slot(start, phase_width(phase), phase.id, cells.get(phase.id)))
            continue
        slots.extend(Slot(start + i, 1, step.id, cells.get(step.id)) for i, step in enumerate(phase.steps))
    return tuple(slots)


def layout(journey: m.Journey) -> Layout:
    columns: list[tuple[m.Phase, m.Step | None]] = []
    starts: list[int] = []
    for phase in journey.phases:
        starts.append(len(columns))
        if phase.steps:
            columns.extend((phase, step) for step in phase.steps)
        else:
            columns.append((phase, None))
    phase_starts = tuple(starts)
    rows = tuple(lane_slots(journey, phase_starts, lane.cells) for lane in journey.lanes)
    return Layout(tuple(columns), phase_starts, any(p.steps for p in journey.phases), rows)


# ------------------------------------------------------------------ emotion curve geometry


def emotion_points(slots: tuple[Slot, ...]) -> list[tuple[float, int | None]]:
    """(x in column units, score) of each emotion cell, left to right; the score is None for
    a feeling given only in words, where the curve has a gap."""
    return [(s.centre, s.value.score) for s in slots if s.value is not None]


def interpolate(points: list[tuple[float, int | None]], xs: list[float], x: float) -> float | None:
    """The curve's score at ``x``; None before the first or after the last score, and between
    a score and a feeling without one (a gap, not a made-up value)."""
    if not points or x < xs[0] or x > xs[-1]:
        return None
    i = bisect_right(xs, x)
    if xs[i - 1] == x or i >= len(xs):
        y = points[i - 1][1]
        return None if y is None else float(y)
    (x0, y0), (x1, y1) = points[i - 1], points[i]
    if y0 is None or y1 is None:
        return None
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def score_y(score: float) -> float:
    """Score -> vertical position in a 0..100 band (top is the best score)."""
    span = m.EMOTION_MAX - m.EMOTION_MIN
    return CURVE_PAD + (m.EMOTION_MAX - score) / span * (100 - 2 * CURVE_PAD)


def segment(slot: Slot, points: list[tuple[float, int]], xs: list[float]) -> list[tuple[float, float]]:
    """The curve inside one cell as (x, y) in its 0..100 box: left edge, centre, right edge."""
    ends = (slot.start, slot.centre, slot.start + slot.span)
    out: list[tuple[float, float]] = []
    for box_x, x in zip((0.0, 50.0, 100.0), ends):
        y = interpolate(points, xs, x)
        if y is not None:
            out.append((box_x, score_y(y)))
    return out


def label_side(points: list[tuple[float, int | None]], xs: list[float], x: float) -> str:
    """"above", "below" or "": where a point's score and label sit so the curve never runs through them: the label is
    beside the dot (to the right; in the last column to the left), above it where the curve
    on that side goes down or stays level, below it where the curve goes up."""
    i = bisect_left(xs, x)
    if i >= len(points) or points[i][0] != x or points[i][1] is None:
        return ""
    score = points[i][1]
    beside = points[i + 1][1] if i + 1 < len(points) else (points[i - 1][1] if i > 0 else None)
    if beside is None:  # a lone point or a gap beside it: nothing to cross
        return ""
    return "below" if beside > score else "above"


@lru_cache(maxsize=8192)
def num(value: float) -> str:
    """A short, deterministic number for SVG and CSS (cached: coordinates repeat a lot)."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def signed(score: int) -> str:
    """+1, 0, −1 (a real minus sign, which screen readers read as minus)."""
    return f"+{score}" if score > 0 else (f"\u2212{-score}" if score < 0 else "0")


# ------------------------------------------------------------------ HTML pieces


def _html(text: Any, lang: str, long: int = WIDE) -> str:
    """User text as inline HTML: Markdown, escaped, phrase-wrapped, on one line."""
    return _inline_html(localize(text, lang), long)


@lru_cache(maxsize=65536)
def _inline_html(text: str, long: int) -> str:
    rendered = wrap_html(markdown_inline(text), long)
    # A newline inside <pre> must survive, and a blank line would end the raw HTML block.
    return rendered.replace("\n", "&#10;") if "\n" in rendered else rendered


def _name(text: Any, lang: str, long: int = WIDE) -> str:
    """A catalog name for use inside a link: plain text (a link may not contain a link)."""
    return wrap_html(escape(plain(localize(text, lang))), long)


def _text_cell(value: Any, lang: str, long: int = WIDE) -> str:
    if isinstance(value, list):
        return '<ul class="tabiji-list">' + "".join(f"<li>{_html(v, lang, long)}</li>" for v in value) + "</ul>"
    return _html(value, lang, long)


class Linker:
    """Links from one page to catalog entries, with the labels of its language
    (shared by the journey and the roadmap swimlanes)."""

    long = WIDE  # the longest phrase kept whole (phrase.LONG in the journey's narrow columns)

    def __init__(self, site: Site, lang: str, paths: Paths, from_doc: str) -> None:
        self.site, self.lang, self.paths, self.from_doc = site, lang, paths, from_doc
        self.labels = labels_for(lang)
        self.sep = self.labels.get("list.sep", ", ")
        self.refs: dict[tuple[str, str], str] = {}

    def ref(self, collection: str, id_: str) -> str:
        """A link to a catalog entry; memoised because relpath is slow and ids repeat."""
        key = (collection, id_)
        if key not in self.refs:
            entry = getattr(self.site, collection).get(id_)
            if entry is None:  # validation reports it; show the id rather than a dead link
                self.refs[key] = f'<span class="tabiji-missing">{escape(id_)}</span>'
            else:
                href = escape(self.paths.link(collection, id_, self.from_doc))
                # one character less: a separator (、) follows the name in a list
                self.refs[key] = f'<a href="{href}">{_name(entry.name, self.lang, self.long - 1)}</a>'
        return self.refs[key]



# ------------------------------------------------------------------ what the template draws
# (templates/swimlane.html.j2; swimlane_macros.j2 has the shared pieces): writer's text and links as Markup,
# numbers as text, every choice made here; the markup is the template's.


@dataclass(frozen=True, slots=True)
class LoopMark:
    """'↩ 戻る先：初期設定' under a phase or a step: the target linked on the journey's page."""

    arrow: str
    words: str
    href: str
    name: Markup


@dataclass(frozen=True, slots=True)
class PhaseHead:
    name: Markup
    goal: Markup | str
    owners: list[Markup]
    loop: LoopMark | None
    colspan: int
    rowspan: int


@dataclass(frozen=True, slots=True)
class StepHead:
    name: Markup
    desc: Markup | str
    loop: LoopMark | None


@dataclass(frozen=True, slots=True)
class LaneView:
    kind: str
    title: Markup | str
    scale: list[tuple[str, str]] | None  # the emotion lane's scale: (height in %, '+2')
    cells: Markup  # the row's <td>s (made in Python: see _Renderer.lane_row)


class _Renderer(Linker):
    """Holds what every cell needs, so cell functions stay small."""

    long = LONG  # journey columns are narrow

    def __init__(self, journey: m.Journey, site: Site, lang: str, paths: Paths, from_doc: str) -> None:
        super().__init__(site, lang, paths, from_doc)
        self.journey = journey

    def ref_cell(self, collection: str, ids: list[str], people: dict[str, Any] | None = None) -> str:
        if people:  # the people beside each department (担当者): '営業（担当: 佐藤）'
            beside = self.labels["people.beside"]
            refs = [self.ref(collection, i) + (f'<span class="tabiji-people">{escape(beside.format(people=plain(localize(people[i], self.lang))))}</span>'
                                               if i in people else "") for i in ids]
        else:
            refs = [self.ref(collection, i) for i in ids]
        if len(ids) == 1:
            return refs[0]
        items = "".join(f"<li>{r}</li>" for r in refs)
        return f'<ul class="tabiji-refs tabiji-refs--{collection}">{items}</ul>'

    def emotion_cell(self, slot: Slot, points: list[tuple[float, int]], xs: list[float]) -> str:
        """The band (gridlines from CSS), its curve piece, the dot with the score and label
        beside it, then the thought below; an unscored cell keeps the band's gridlines."""
        seg = segment(slot, points, xs)
        curve = ""
        if len(seg) > 1:
            pts = " ".join(f"{num(x)},{num(y)}" for x, y in seg)
            curve = (
                '<svg class="tabiji-curve-line" viewBox="0 0 100 100" preserveAspectRatio="none" '
                'aria-hidden="true" focusable="false">'
                f'<polyline points="{pts}" fill="none" vector-effect="non-scaling-stroke"/></svg>'
            )
        emotion: m.Emotion | None = slot.value
        if emotion is None:
            return f'<div class="tabiji-curve">{curve}</div>'
        score = emotion.score
        if score is None:  # the feeling in words only: no dot, no number, a gap in the curve
            label = _html(emotion.label, self.lang) if emotion.label else ""
            thought = f'<div class="tabiji-thought">{_text_cell(emotion.thought, self.lang)}</div>' \
                if emotion.thought else ""
            return (f'<div class="tabiji-curve">{curve}</div>'
                    f'<div class="tabiji-emotion tabiji-emotion--words"><span class="tabiji-emotion-label">{label}'
                    f'</span><span class="tabiji-sr-only"> ({escape(self.labels["emotion.no_score"])})</span>'
                    f'</div>{thought}')
        mood = "pos" if score > 0 else ("neg" if score < 0 else "zero")
        alt = self.labels["emotion.alt"].format(
            score=signed(score), min=signed(m.EMOTION_MIN), max=m.EMOTION_MAX
        )
        top = num(score_y(score))
        dot = (
            f'<span class="tabiji-dot tabiji-dot--{mood}" style="top:{top}%">'
            f'<span class="tabiji-sr-only">{escape(alt)}</span></span>'
        )
        label = f" {_html(emotion.label, self.lang, self.long)}" if emotion.label else ""
        # The number is hidden from screen readers: the dot's text already says it.
        side = label_side(points, xs, slot.centre)
        side = f" tabiji-emotion--{side}" if side else ""
        point = (f'<span class="tabiji-emotion tabiji-emotion--{mood}{side}" style="top:{top}%">'
                 f'<span class="tabiji-score" aria-hidden="true">{signed(score)}</span>{label}</span>')
        thought = f'<div class="tabiji-thought">{_text_cell(emotion.thought, self.lang, self.long)}</div>' if emotion.thought else ""
        return f'<div class="tabiji-curve">{curve}{dot}{point}</div>{thought}'

    def scale(self) -> list[tuple[str, str]]:
        """The score scale beside the band, in the sticky lane title: +2 … −2 at the
        heights of the gridlines."""
        return [(num(score_y(v)), signed(v)) for v in range(m.EMOTION_MAX, m.EMOTION_MIN - 1, -1)]

    def lane_row(self, lane: Any, slots: tuple[Slot, ...]) -> LaneView:
        """A lane's title and its cells. The cells' markup is made here, not in the template:
        they are most of a map's HTML, and a macro per cell made the swimlane twice as slow."""
        title = Markup(_html(lane.title, self.lang, self.long)) if lane.title else self.labels[f"lane.{lane.kind}"]
        content: Callable[[Slot], str]
        if lane.kind == "emotions":
            points = emotion_points(slots)
            xs = [x for x, _ in points]
            content = lambda s: self.emotion_cell(s, points, xs)  # noqa: E731
        elif lane.kind in REF_COLLECTIONS:
            people = getattr(lane, "people", None) or {}
            content = lambda s: self.ref_cell(lane.kind, s.value, people.get(s.key)) if s.value else ""  # noqa: E731
        else:
            content = lambda s: _text_cell(s.value, self.lang, self.long) if s.value is not None else ""  # noqa: E731
        cells = []
        for slot in slots:
            span = f' colspan="{slot.span}"' if slot.span > 1 else ""
            body = content(slot)
            css = "tabiji-cell" if body else "tabiji-cell tabiji-empty"
            mark = mark_html(lane.evidence.get(slot.key), self.labels, self.lang) if body else ""
            if mark:  # a hypothesis: an icon and the word, not colour alone (issue 13)
                body, css = f'{body}<div class="tabiji-hypothesis-mark">{mark}</div>', css + " tabiji-cell--hypothesis"
            cells.append(f'<td class="{css}"{span}>{body}</td>')
        return LaneView(lane.kind, title, self.scale() if lane.kind == "emotions" else None, Markup("".join(cells)))

    def phase_header(self, phase: m.Phase, rowspan: int) -> PhaseHead:
        return PhaseHead(Markup(_html(phase.name, self.lang, self.long)),
                         Markup(_html(phase.goal, self.lang, self.long)) if phase.goal else "",
                         [Markup(self.ref("departments", d)) for d in phase.owners],
                         self.loop_marker(phase), phase_width(phase), rowspan)

    def step_header(self, step: m.Step) -> StepHead:
        return StepHead(Markup(_html(step.name, self.lang, self.long)),
                        Markup(_html(step.description, self.lang, self.long)) if step.description else "",
                        self.loop_marker(step))

    def loop_marker(self, item: m.Phase | m.Step) -> LoopMark | None:
        """Where a phase or step loops back to, linked to that phase on the journey's page (None without a loop)."""
        if not item.returns_to:
            return None
        name = target_name(self.journey, item.returns_to)
        if name is None:  # validation reports it
            return None
        phase = next((p.id for p in self.journey.phases
                      if p.id == item.returns_to or any(s.id == item.returns_to for s in p.steps)), "")
        href = self.paths.link("journeys", self.journey.id, self.from_doc) + f"#phase-{phase}"
        arrow, _, words = self.labels["loop.back"].partition(" ")
        return LoopMark(arrow, words, href, Markup(_html(name, self.lang, self.long)))


# ------------------------------------------------------------------ print size

A3_CONTENT_MM = (400.0, 277.0)  # A3 landscape less the 10 mm margins of @page tabiji-a3
PT_MM = 0.3528
PRINT_PT = (9.0, 3.5)  # largest and smallest print font size
PRINT_BAND_EM = 8.0  # the emotion band's printed height (tabiji.css, @media print)


def _cell_texts(kind: str, value: Any, site: Site, lang: str, people: dict[str, Any] | None = None) -> list[str]:
    """The plain text a cell prints, one string per paragraph or list item."""
    if value is None:
        return []
    if kind in REF_COLLECTIONS:
        table = getattr(site, kind)
        names = [plain(localize(table[i].name, lang)) if i in table else i for i in value]
        return with_people(names, value, people, lang) if people else names
    if kind == "emotions":
        thought = value.thought if isinstance(value.thought, list) else [value.thought] if value.thought else []
        return [plain(localize(t, lang)) for t in thought]  # the label sits beside the point
    items = value if isinstance(value, list) else [value]
    return [plain(localize(v, lang)) for v in items]


def with_people(names: list[str], ids: list[str], people: dict[str, Any], lang: str) -> list[str]:
    """Department names with the people beside them (SVG and print estimate): '営業（佐藤）'."""
    beside = labels_for(lang)["people.beside"]
    return [name + (beside.format(people=plain(localize(people[i], lang))) if i in people else "")
            for name, i in zip(names, ids)]


def _em(text: str) -> float:
    """Printed width in em: East Asian wide characters are 1 em, others about 0.55.

    With w display columns over n characters, wide = w - n and narrow = 2n - w."""
    w, n = display_width(text), len(text)
    return (w - n) + 0.55 * (2 * n - w)


def print_font_pt(journey: m.Journey, lay: Layout, site: Site, lang: str) -> float:
    """The largest print font (pt) at which the whole journey fits one A3 landscape page."""
    rows: list[PrintRow] = [
        [(phase_width(p), [plain(localize(p.name, lang)), plain(localize(p.goal, lang))], 1.0)
         for p in journey.phases]]
    if lay.has_steps:
        rows.append([(1, [plain(localize(s.name, lang)), plain(localize(s.description, lang))], 0.0)
                     for p in journey.phases for s in p.steps])
    for lane, slots in zip(journey.lanes, lay.rows):
        extra = PRINT_BAND_EM + 0.3 if lane.kind == "emotions" else 0.0
        people = getattr(lane, "people", None) or {}
        rows.append([(sl.span, _cell_texts(lane.kind, sl.value, site, lang, people.get(sl.key)), extra) for sl in slots])
    return fit_print_font(rows, lay.n_cols)


# A printed table row: per cell (columns spanned, its paragraphs, extra height in em).
PrintRow = list[tuple[int, list[str], float]]


def fit_print_font(rows: list[PrintRow], n_cols: int) -> float:
    """The largest print font (pt) at which a swimlane table fits one A3 landscape page.

    CSS cannot shrink text to fit a page's height, so the height is estimated here from
    the text of every cell at the fixed column widths the print stylesheet uses (the
    lane-title column is 1.5 columns wide).
    """
    width_mm, height_mm = A3_CONTENT_MM
    col_mm = width_mm / (n_cols + 1.5)
    em_per_row = [[(sl_span, [_em(t) for t in texts if t], extra) for sl_span, texts, extra in row]
                  for row in rows]

    def table_mm(size: float) -> float:
        """Estimated printed height of the table at ``size`` pt."""
        font_mm = size * PT_MM
        total = 0.0
        for row in em_per_row:
            tallest = 1.0
            for span, widths, extra in row:
                line_em = max(span * col_mm / font_mm - 1.2, 2.0)  # less the cell padding
                # phrases are not split (keep-all), so lines end short: count 15% more text
                lines = sum(-(-(w * 1.15) // line_em) for w in widths)
                tallest = max(tallest, lines * 1.6 + extra)
            total += (tallest + 1.0) * font_mm  # plus padding and border
        return total

    # Height grows with the font size, so bisect the 0.25 pt steps for the largest that fits.
    steps = [PRINT_PT[1] + 0.25 * k for k in range(int((PRINT_PT[0] - PRINT_PT[1]) / 0.25) + 1)]
    lo, hi = 0, len(steps) - 1  # steps[lo] is the answer when nothing larger fits
    limit = height_mm * 0.8  # calibrated against Chromium's A3 PDFs of the example
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if table_mm(steps[mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return steps[lo]


def map_tools(lbl: dict[str, str], env: jinja2.Environment | None = None) -> str:
    """The fit-to-width and full-screen buttons and the scroll hint (shared with the
    roadmap; ``swimlane_macros.j2``). All start hidden: tabiji.js shows the buttons, and the
    hint only while the map is wider than its box; without JavaScript the map simply scrolls."""
    macros = (env or environment(None)).get_template("swimlane_macros.j2").module
    return str(macros.map_tools(lbl))


def render_swimlane(
    journey: m.Journey,
    site: Site,
    lang: str,
    paths: Paths,
    from_doc: str,
    svg_href: str | None = None,
    env: jinja2.Environment | None = None,
) -> str:
    """The swimlane of ``journey`` as one HTML fragment without blank lines, drawn by
    ``swimlane.html.j2`` of ``env`` (the site's templates; the package's when None)."""
    r = _Renderer(journey, site, lang, paths, from_doc)
    lay = layout(journey)
    header_rows = 2 if lay.has_steps else 1
    template = (env or environment(None)).get_template("swimlane.html.j2")
    html = render(template, {
        "journey_id": journey.id, "t": r.labels, "n_cols": lay.n_cols,
        "caption": r.labels["swimlane.caption"].format(title=plain(localize(journey.title, lang))),
        "print_font": num(print_font_pt(journey, lay, site, lang)), "header_rows": header_rows,
        "phase_widths": [phase_width(p) for p in journey.phases],
        "phases": [r.phase_header(p, 1 if p.steps else header_rows) for p in journey.phases],
        "steps": [r.step_header(s) for p in journey.phases for s in p.steps],
        "lanes": [r.lane_row(lane, slots) for lane, slots in zip(journey.lanes, lay.rows)],
        "svg_href": svg_href,
    })
    return html[:-1] if html.endswith("\n") else html  # a fragment: the template's last newline is not part of it
