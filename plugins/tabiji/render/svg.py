"""The journey swimlane as a standalone SVG 1.1 document, for slides.

Slide tools do not wrap SVG text, so lines are wrapped here: Japanese between BudouX
phrases, Latin at spaces, an over-long phrase by character. Widths are measured in
``wcwidth`` units (East Asian wide = 2) and row heights grow to fit, so nothing is clipped.
Only presentation attributes are used (no CSS), which slide tools render most reliably.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2

from wcwidth import wcwidth

from tabiji.core import model as m
from tabiji.render.evidence import mark_text
from tabiji.core.labels import labels_for
from tabiji.render.phrase import NO_END, NO_START
from tabiji.render.journey_loops import loops, target_name
from tabiji.render.swimlane import (REF_COLLECTIONS, Layout, Slot, emotion_points, label_side, layout, num, phase_width,
                                     score_y, signed, with_people)
from tabiji.core.lang import localize
from tabiji.render.templating import environment, render, svg_environment
from tabiji.render.text import display_width, escape, phrases, plain

if TYPE_CHECKING:  # only for annotations: keeps this module free of import cycles
    from tabiji.source.validate import Site

FONT = 13  # px, cell text
LINE = 19  # px, line height
PAD = 8  # px, inside each cell
COL_W = 168  # px, one step column
LANE_W = 128  # px, lane-title column
TITLE_FONT, TITLE_LINE = FONT + 5, 26  # px, the journey title above the grid
BAND = 168  # px, the emotion curve band (the map's centrepiece: one score step is ~29 px)
UNIT = FONT * 0.56  # px per wcwidth unit; a little wide for Latin so lines never overflow
FONT_FAMILY = "'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif"

DOT_GAP = 12  # px, from a point's centre to its label

# Characters XML 1.0 forbids (YAML escapes can produce them); tabs become spaces.
_XML_BAD = {c: None for c in range(32) if c not in (9, 10, 13)} | {9: 32, 13: None}

# A line to draw: (text, style, indent in px); style picks weight and colour.
Line = tuple[str, str, float]


# ------------------------------------------------------------------ wrapping


def _tokens(paragraph: str) -> list[str]:
    """Words and single spaces; a word with Japanese is split into BudouX phrases."""
    out: list[str] = []
    for i, word in enumerate(paragraph.split(" ")):
        if i:
            out.append(" ")
        if word:
            out.extend(phrases(word))
    return out


@lru_cache(maxsize=16384)
def wrap(text: str, max_units: int) -> tuple[str, ...]:
    """Greedy line filling at phrase or word boundaries; only over-long phrases are cut."""
    max_units = max(max_units, 2)
    lines: list[str] = []
    for paragraph in text.translate(_XML_BAD).split("\n"):
        cur, cw = "", 0
        for tok in _tokens(paragraph):
            if tok == " ":
                if cur:
                    cur, cw = cur + " ", cw + 1
                continue
            tw = display_width(tok)
            if cw + tw <= max_units:
                cur, cw = cur + tok, cw + tw
                continue
            if tw <= max_units:
                if cur.strip():
                    lines.append(cur.rstrip())
                cur, cw = tok, tw
                continue
            for ch in tok:  # wider than a line: fills the current line, then the next ones
                chw = max(wcwidth(ch), 0)
                if cw + chw > max_units and cur:
                    # kinsoku: the line's last characters move down with ``ch`` rather
                    # than ``ch`` (ッ, 。) starting a line or an opening bracket ending one
                    keep, nxt = len(cur), ch
                    while keep > 1 and (nxt in NO_START or cur[keep - 1] in NO_END):
                        keep -= 1
                        nxt = cur[keep]
                    lines.append(cur[:keep])
                    cur = cur[keep:]
                    cw = display_width(cur)
                cur, cw = cur + ch, cw + chw
        if cur.strip() or not lines:
            lines.append(cur.rstrip())
    return tuple(lines)


# Cells repeat the same texts (lists copied across phases): convert and escape each once.
_plain = lru_cache(maxsize=65536)(plain)
_escape = lru_cache(maxsize=65536)(escape)


def _units(px: float) -> int:
    return int((px - 2 * PAD) / UNIT)


# ------------------------------------------------------------------ cell contents as lines


class _Lines:
    """Turns model values into wrapped lines for a box of a given width."""

    def __init__(self, site: Site, lang: str) -> None:
        self.site, self.lang = site, lang
        self.labels = labels_for(lang)
        self.sep = self.labels.get("list.sep", ", ")
        self.journey: m.Journey | None = None

    def text(self, value: Any) -> str:
        return _plain(localize(value, self.lang))

    def para(self, text: str, box: float, style: str = "text") -> list[Line]:
        return [(line, style, 0.0) for line in wrap(text, _units(box))]

    def items(self, texts: list[str], box: float) -> list[Line]:
        """One text as is; several as bullets with a hanging indent."""
        if len(texts) == 1:
            return self.para(texts[0], box)
        out: list[Line] = []
        indent = 2 * UNIT
        for text in texts:
            lines = wrap(text, _units(box - indent))
            out.append(("• " + lines[0], "text", 0.0))
            out.extend((line, "text", indent) for line in lines[1:])
        return out

    def cell(self, kind: str, value: Any, box: float, people: dict[str, Any] | None = None) -> list[Line]:
        if value is None:
            return []
        if kind == "emotions":
            return self.emotion(value, box)
        if kind in REF_COLLECTIONS:
            catalog = getattr(self.site, kind)
            names = [self.text(catalog[i].name) if i in catalog else i for i in value]
            return self.items(with_people(names, value, people, self.lang) if people else names, box)
        values = value if isinstance(value, list) else [value]
        return self.items([self.text(v) for v in values], box)

    def emotion(self, emotion: m.Emotion, box: float) -> list[Line]:
        """The thought below the band; the score and label are drawn beside the point. A
        feeling given only in words has no point: its words lead the cell instead."""
        lines: list[Line] = []
        if emotion.score is None and emotion.label:
            lines += self.para(self.text(emotion.label), box, "score")
        if emotion.thought is not None:
            thought = emotion.thought if isinstance(emotion.thought, list) else [emotion.thought]
            lines += self.items([self.text(t) for t in thought], box)
        return lines

    def point_label(self, emotion: m.Emotion, box: float) -> list[str]:
        """'+1 期待' wrapped into the room right of the point: up to the next cell's point,
        which is a column away (the band holds no other text)."""
        head = signed(emotion.score) + (" " + self.text(emotion.label) if emotion.label else "")
        return list(wrap(head, int((box - DOT_GAP - 2 * PAD) / UNIT)))

    def phase(self, phase: m.Phase, box: float) -> list[Line]:
        lines = self.para(self.text(phase.name), box, "bold")
        if phase.goal:
            lines += self.para(f"{self.labels['goal']}: {self.text(phase.goal)}", box, "muted")
        if phase.owners:
            names = [self.text(self.site.departments[d].name) if d in self.site.departments else d for d in phase.owners]
            lines += self.para(f"{self.labels['owners']}: {self.sep.join(names)}", box, "muted")
        return lines + self.loop(phase, box)

    def loop(self, item: m.Phase | m.Step, box: float) -> list[Line]:
        """'↩ 戻る先：初期設定' under a phase or step that customers go back from."""
        name = target_name(self.journey, item.returns_to) if item.returns_to and self.journey else None
        return self.para(self.labels["loop.back"] + self.text(name), box, "bold") if name is not None else []

    def step(self, step: m.Step, box: float) -> list[Line]:
        lines = self.para(self.text(step.name), box, "bold")
        if step.description:
            lines += self.para(self.text(step.description), box, "muted")
        return lines + self.loop(step, box)


# ------------------------------------------------------------------ drawing
# Python places every line and box (the geometry: wrapping decides the heights); the
# templates ``journey.svg.j2`` and ``roadmap.svg.j2`` draw them, in the colours and styles of
# ``svg_theme.j2``, so a site restyles or adds to a drawing by overriding a template.
# Every text reaches them escaped, here (``Text``, ``document``), and they render without
# autoescape: a drawing holds thousands of coordinates, and escaping each made it 3x slower.


class Text(NamedTuple):
    """One line of text, its first baseline at (x, y); ``style`` names a style of the theme."""

    x: str
    y: str
    style: str
    text: str


class Box(NamedTuple):
    """A cell: its rectangle, its fill (a name in the theme's ``fill``) and its lines."""

    x: str
    y: str
    w: str
    h: str
    fill: str
    texts: tuple[Text, ...]


def _height(lines: list[Line]) -> float:
    return 2 * PAD + max(len(lines), 1) * LINE


def texts(x: float, top: float, lines: list[Line]) -> tuple[Text, ...]:
    """The lines of a box whose first line's box starts at (x, top)."""
    base = top + FONT
    tx = num(x)
    return tuple(Text(num(x + indent) if indent else tx, num(base + i * LINE), style, _escape(text))
                 for i, (text, style, indent) in enumerate(lines))


def box(x: float, y: float, w: float, h: float, fill: str, lines: list[Line], top: float = 0.0) -> Box:
    return Box(num(x), num(y), num(w), num(h), fill, texts(x + PAD, y + top + PAD, lines))


def title_texts(title: str, total_w: float) -> tuple[tuple[Text, ...], float]:
    """The diagram's title above the grid, wrapped (a narrow diagram may have a long title);
    returns its lines and the height they take."""
    lines = wrap(title, int((total_w - 2 * PAD) / (TITLE_FONT * 0.56)))
    found = tuple(Text(str(PAD), num(PAD + TITLE_FONT + i * TITLE_LINE), "title", escape(line))
                  for i, line in enumerate(lines))
    return found, float(2 * PAD + len(lines) * TITLE_LINE)


def document(env: jinja2.Environment | None, name: str, total_w: float, height: float, title: str, desc: str,
             **context: Any) -> str:
    """A standalone SVG 1.1 document (UTF-8 text): the template ``name`` with the frame's values
    (``title`` and ``desc`` are escaped here; so must be any text in ``context``)."""
    template = svg_environment(env or environment(None)).get_template(name)
    return render(template, {"width": num(total_w), "height": num(height), "font": FONT, "font_family": FONT_FAMILY,
                             "title": escape(title.translate(_XML_BAD)), "desc": escape(desc.translate(_XML_BAD)),
                             **context})


class Dot(NamedTuple):
    """A point of the emotion curve, its mood (``pos``/``neg``/``zero``) and its label's lines."""

    cx: str
    cy: str
    mood: str
    label: tuple[tuple[str, str, str], ...]  # (x, y, text) per line


class Curve(NamedTuple):
    """The emotion band: its scale lines, the curve's runs (a gap where a feeling has no score), the dots."""

    x1: str
    x2: str
    scale_x: str  # the right edge of the scale's numbers
    scale: tuple[tuple[str, str, str, bool], ...]  # (y of the line, y of its text, the score, is zero)
    runs: tuple[str, ...]  # polyline points
    dots: tuple[Dot, ...]


def _curve(lay: Layout, slots: tuple[Slot, ...], top: float, ln: "_Lines") -> Curve:
    """A gridline and its label per score (−2..+2, 0 stronger), the curve as polylines through
    the cell centres, dots on top, each with its score and label. A feeling given only in
    words breaks the line (a gap, never a made-up score)."""
    def y_of(score: float) -> float:
        return top + PAD / 2 + score_y(score) / 100 * BAND

    right = LANE_W + lay.n_cols * COL_W
    scale = tuple((num(y_of(score)), num(y_of(score) + FONT * 0.35), signed(score), score == 0)
                  for score in range(m.EMOTION_MAX, m.EMOTION_MIN - 1, -1))
    runs: list[list[tuple[float, float, Slot]]] = [[]]
    for s in slots:
        if s.value is None:
            continue
        if s.value.score is None:
            runs.append([])
            continue
        runs[-1].append((LANE_W + s.centre * COL_W, y_of(s.value.score), s))
    points = emotion_points(slots)
    xs = [x for x, _ in points]
    dots = []
    for x, y, slot in (p for run in runs for p in run):
        score = slot.value.score
        lines = ln.point_label(slot.value, slot.span * COL_W)
        side = label_side(points, xs, slot.centre)  # off the curve, as on the page
        first = (y - FONT * 0.5 - (len(lines) - 1) * LINE if side == "above" else y + FONT * 1.2 if side == "below"
                 else y + FONT * 0.35 - (len(lines) - 1) * LINE / 2)
        dots.append(Dot(num(x), num(y), "pos" if score > 0 else ("neg" if score < 0 else "zero"),
                        tuple((num(x + DOT_GAP), num(first + i * LINE), _escape(line)) for i, line in enumerate(lines))))
    polylines = tuple(" ".join(f"{num(x)},{num(y)}" for x, y, _ in run) for run in runs if len(run) > 1)
    return Curve(str(LANE_W), num(right), num(LANE_W - PAD), scale, polylines, tuple(dots))


LOOP_BAND = 28  # px above the header rows, for the back-arrows of the loops (none: no band)


class Arc(NamedTuple):
    """A back-arrow from the column customers leave (x1) to the one they go back to (x2)."""

    x1: str
    x2: str
    top: str
    bottom: str
    tip: str  # where the curve ends, above the arrowhead
    head: str  # the arrowhead's path


def _loop_arcs(journey: m.Journey, lay: Layout, y: float) -> tuple[Arc, ...]:
    """A back-arrow per loop, in a band above the headers (no loops: no band, the same drawing as before)."""
    found = loops(journey)
    centre = {}
    for i, (phase, step) in enumerate(lay.columns):
        centre.setdefault((step or phase).id, LANE_W + (i + 0.5) * COL_W)
        centre.setdefault(phase.id, LANE_W + (i + 0.5) * COL_W)
    for phase, start in zip(journey.phases, lay.phase_starts):  # a phase's own arrow leaves its middle
        centre[phase.id] = LANE_W + (start + phase_width(phase) / 2) * COL_W
    bottom, top = y + LOOP_BAND - 2, y + 6
    arcs = []
    for loop in found:
        x1, x2 = centre[loop.from_id], centre[loop.to_id]
        arcs.append(Arc(num(x1), num(x2), num(top), num(bottom), num(bottom - 6),
                        f"M{num(x2 - 4)} {num(bottom - 7)} L{num(x2)} {num(bottom)} L{num(x2 + 4)} {num(bottom - 7)}Z"))
    return tuple(arcs)


def _hypothesis(lane: Any, slot: Slot, labels: dict[str, str]) -> list[Line]:
    """The hypothesis mark ('? 仮説') as the last line of a cell the writer marked as assumed."""
    mark = mark_text(lane.evidence.get(slot.key), labels) if slot.value is not None else ""
    return [(mark, "hypothesis", 0.0)] if mark else []


class Row(NamedTuple):
    """A row of the grid: its boxes (the title first), and the emotion band on the emotions lane."""

    kind: str  # "header", or the lane's kind
    boxes: tuple[Box, ...]
    curve: Curve | None


def render_svg(journey: m.Journey, site: Site, lang: str, env: jinja2.Environment | None = None) -> str:
    """The swimlane of ``journey`` as a standalone SVG document (UTF-8 text), drawn by
    ``journey.svg.j2`` of ``env`` (the site's templates; the package's when None)."""
    lay = layout(journey)
    ln = _Lines(site, lang)
    ln.journey = journey  # loops name their target phase or step
    labels = ln.labels
    total_w = LANE_W + lay.n_cols * COL_W
    title = ln.text(journey.title)
    title_lines, y = title_texts(title, total_w)

    arcs = _loop_arcs(journey, lay, y)
    y += LOOP_BAND if arcs else 0.0
    # Header rows: phases (spanning both rows when a phase has no steps), then steps.
    phase_lines = [ln.phase(p, phase_width(p) * COL_W) for p in journey.phases]
    step_lines = {s.id: ln.step(s, COL_W) for p in journey.phases for s in p.steps}
    h1 = max(_height(lines) for lines in phase_lines)
    h2 = max((_height(lines) for lines in step_lines.values()), default=0.0)
    head_h = h1 + h2
    head = [box(0, y, LANE_W, head_h, "lane", [])]
    for phase, start, lines in zip(journey.phases, lay.phase_starts, phase_lines):
        x = LANE_W + start * COL_W
        head.append(box(x, y, phase_width(phase) * COL_W, h1 if phase.steps else head_h, "phase", lines))
        head.extend(box(x + i * COL_W, y + h1, COL_W, h2, "step", step_lines[step.id])
                    for i, step in enumerate(phase.steps))
    rows = [Row("header", tuple(head), None)]
    y += head_h

    # One row per lane; its height fits the tallest cell (plus the curve band for emotions).
    for lane, slots in zip(journey.lanes, lay.rows):
        band = BAND if lane.kind == "emotions" else 0.0
        people = getattr(lane, "people", None) or {}
        cells = [(s, ln.cell(lane.kind, s.value, s.span * COL_W, people.get(s.key))) for s in slots]
        cells = [(s, lines + _hypothesis(lane, s, labels)) for s, lines in cells]  # evidence (issue 13)
        lane_title = ln.text(lane.title) if lane.title else labels[f"lane.{lane.kind}"]
        title_cell = ln.para(lane_title, LANE_W, "bold")
        h = max([_height(title_cell)] + [band + _height(lines) for _, lines in cells])
        boxes = [box(0, y, LANE_W, h, "lane", title_cell)]
        boxes.extend(box(LANE_W + slot.start * COL_W, y, slot.span * COL_W, h,
                         "cell" if slot.value is not None else "empty", lines, band) for slot, lines in cells)
        rows.append(Row(lane.kind, tuple(boxes), _curve(lay, slots, y, ln) if band else None))
        y += h

    caption = labels["swimlane.caption"].format(title=title)
    return document(env, "journey.svg.j2", total_w, y, title, f"{caption} / {labels['emotion']}: {labels['score_scale']}",
                    journey_id=journey.id, title_lines=title_lines, loops=arcs, rows=rows)
