"""The lifecycle overview: every journey's phases in one row, in the customer's order, with
one continuous emotion curve across them.

Drawn from the same model as the journeys (the phases in the writer's order, the journeys in
``order.journey_order``), so it cannot disagree with them. The curve is inline SVG
(``lifecycle.svg.j2``) in the row (``lifecycle.html.j2``), positioned here: the page shows it
without JavaScript, and every phase name links to its phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from markupsafe import Markup

from tabiji.core import model as m
from tabiji.site.order import display_name
from tabiji.render.svg import wrap
from tabiji.render.swimlane import signed
from tabiji.core.lang import localize
from tabiji.render.templating import render, svg_environment
from tabiji.render.text import escape, plain
from tabiji.site.writer import GeneratedPage

COL = 58  # px per phase: 19 phases fit a 1,440 px window without the sidebars
LEFT = 40  # the scale
LINE = 14
UNIT_H = 36  # px per emotion point: -2..+2 is 144 px
LABEL_LINES = 3


@dataclass(frozen=True)
class Point:
    """One phase on the lifecycle: where it is, how the customer feels there."""

    journey: str
    phase: str
    name: str
    score: float | None  # None: no emotion written for the phase or its steps
    label: str
    href: str


def phase_emotion(journey: m.Journey, phase: m.Phase, lang: str) -> tuple[float | None, str]:
    """The phase's own emotion cell, else the mean of its steps' (labelled by the strongest step)."""
    lane = next((lane for lane in journey.lanes if lane.kind == "emotions"), None)
    if lane is None:
        return None, ""
    own = lane.cells.get(phase.id)
    if own is not None:  # a feeling in words only has no place on the curve
        return (None if own.score is None else float(own.score)), plain(localize(own.label, lang)) if own.label else ""
    steps = [lane.cells[s.id] for s in phase.steps if s.id in lane.cells and lane.cells[s.id].score is not None]
    if not steps:
        return None, ""
    strongest = max(steps, key=lambda e: abs(e.score))  # first of the strongest: stable
    mean = round(sum(e.score for e in steps) / len(steps), 1)
    return mean, plain(localize(strongest.label, lang)) if strongest.label else ""


def points(w, journey_ids: list[str], here: str) -> list[Point]:
    out = []
    for jid in journey_ids:
        journey = w.site.journeys[jid]
        for phase in journey.phases:
            score, label = phase_emotion(journey, phase, w.lang)
            href = w.paths.link("journeys", jid, here) + f"#phase-{phase.id}"
            out.append(Point(jid, phase.id, localize(phase.name, w.lang), score, label, href))
    return out


def _score_text(score: float) -> str:
    return signed(int(score)) if float(score).is_integer() else f"{score:+.1f}".replace("-", "\u2212")


def _cut(lines: tuple[str, ...], n: int) -> list[str]:
    return list(lines[:n - 1]) + [lines[n - 1] + ("…" if len(lines) > n else "")] if len(lines) >= n \
        else list(lines)


def _spans(pts: list[Point]) -> list[tuple[int, int]]:
    """(first, count) of each journey's run of phases."""
    out: list[tuple[int, int]] = []
    for i, p in enumerate(pts):
        if i and pts[i - 1].journey == p.journey:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((i, 1))
    return out


def _score_place(before: float | None, score: float, after: float | None) -> tuple[int, int, str]:
    """Where a point's score goes so the curve never runs through it: above a peak, below a
    dip, and on a slope above the dot on the side where the curve is below it."""
    around = [v for v in (before, after) if v is not None]
    if all(v <= score for v in around):
        return 0, -9, "middle"
    if all(v >= score for v in around):
        return 0, 19, "middle"
    return (-6, -7, "end") if before is not None and before < score else (6, -7, "start")


class Scale(NamedTuple):
    zero: bool  # the 0 line, drawn stronger
    y: str
    text_y: str
    text: str


class Label(NamedTuple):
    x: str
    y: str
    lines: list[tuple[str, str]]  # (dy, text)


class Dot(NamedTuple):
    tone: str  # pos, neg, neu
    x: str
    y: str
    score_x: str
    score_y: str
    anchor: str
    text: str


class Band(NamedTuple):
    """A journey over its run of phases."""

    href: str
    name: str
    span: int


class Phase(NamedTuple):
    href: str
    name: str
    start: bool  # the first phase of its journey
    feel: str  # the score and the feeling, as words


class Group(NamedTuple):
    """A journey and its phases, for the list under the row."""

    href: str
    name: str
    phases: list[Phase]


def lifecycle_svg(w, pts: list[Point], title: str) -> dict[str, Any]:
    """The curve, its scale and the feelings, in the columns of the phase row above it: the
    positions for ``lifecycle.svg.j2``, its text escaped here (the SVG templates do not escape:
    a drawing writes thousands of numbers)."""
    n = len(pts)
    width = LEFT + n * COL
    top = 22  # room for a score above +2
    y = lambda score: top + (2 - score) * UNIT_H  # noqa: E731 (a scale, read at a glance)
    labels_top = y(-2) + 34  # and below -2
    height = labels_top + LABEL_LINES * LINE
    scale = [Scale(s == 0, f"{y(s):g}", f"{y(s) + 4:g}", escape(signed(s))) for s in range(2, -3, -1)]  # +2..-2
    rules = [str(LEFT + first * COL) for first, _ in _spans(pts)[1:]]  # a rule between journeys
    labels = []
    for i, p in enumerate(pts):
        cx = LEFT + i * COL + COL / 2
        label = p.label if p.score is not None or p.label else w.t["lifecycle.no_score"]
        if label:
            lines = _cut(wrap(label, 8), LABEL_LINES)
            labels.append(Label(f"{cx:g}", str(labels_top),
                                [(str(0 if k == 0 else LINE), escape(line)) for k, line in enumerate(lines)]))
    known = [(LEFT + i * COL + COL / 2, p.score) for i, p in enumerate(pts) if p.score is not None]
    path = " ".join(f"{'M' if k == 0 else 'L'}{x:g},{y(s):g}" for k, (x, s) in enumerate(known)) \
        if len(known) > 1 else ""
    dots = []
    for k, (x, s) in enumerate(known):
        tone = "pos" if s > 0 else "neg" if s < 0 else "neu"
        dx, dy, anchor = _score_place(known[k - 1][1] if k else None, s,
                                      known[k + 1][1] if k + 1 < len(known) else None)
        dots.append(Dot(tone, f"{x:g}", f"{y(s):g}", f"{x + dx:g}", f"{y(s) + dy:g}", anchor, escape(_score_text(s))))
    return {"width": str(width), "height": f"{height:g}", "title": escape(title), "left": str(LEFT),
            "scale_x": str(LEFT - 6), "scale": scale, "rules": rules, "labels": labels, "path": path, "dots": dots}


def _feel(w, p: Point) -> str:
    if p.score is not None:
        return f"{_score_text(p.score)} {p.label}".strip()
    return p.label or w.t["lifecycle.no_score"]


def lifecycle_row(w, pts: list[Point], title: str, label: str, curve: str) -> str:
    """Journeys over their phases, phase names as links (HTML: they wrap and link like any text),
    then the curve in the same columns, then the same row as text (``lifecycle.html.j2``; no
    phases: the words 'none'). Like the curve, the row's text is escaped here: its template
    places a thousand values on a large map, and autoescaping each made the page a third slower."""
    spans = _spans(pts)
    starts = {first for first, _ in spans}
    phases = [Phase(escape(p.href), escape(p.name), i in starts, escape(_feel(w, p))) for i, p in enumerate(pts)]
    names = {first: escape(display_name(w.site.journeys[pts[first].journey], w.lang)) for first, _ in spans}
    bands = [Band(escape(pts[first].href.split("#")[0]), names[first], count) for first, count in spans]
    journeys = [Group(band.href, band.name, phases[first:first + count]) for band, (first, count) in zip(bands, spans)]
    raw = svg_environment(w.env)  # every value below arrives escaped
    svg = render(raw.get_template("lifecycle.svg.j2"), {"svg": lifecycle_svg(w, pts, title)}).rstrip("\n") \
        if pts else ""
    return render(raw.get_template("lifecycle.html.j2"), {
        "label": escape(label), "curve": escape(curve), "n": len(pts), "bands": bands, "phases": phases,
        "journeys": journeys, "svg": svg, "list": escape(w.t["lifecycle.list"]), "none": escape(w.t["none"])
    }).rstrip("\n")


def lifecycle_doc(w) -> str:
    return f"{w.paths.prefix}/lifecycle.md"


def lifecycle_block(w, journey_ids: list[str], here: str, title: str) -> str:
    pts = points(w, journey_ids, here)
    curve = w.t["lifecycle.curve"].format(first=pts[0].name, last=pts[-1].name) if pts else ""
    return lifecycle_row(w, pts, f"{title}: {curve}", title, curve)


def lifecycle_page(w):
    """The whole map, then one row per persona (their journeys only) when there are several."""
    t = w.t
    here = lifecycle_doc(w)
    title = t["lifecycle"]
    front = w.front(title, boost=2, hide=("navigation", "toc"))
    journeys = w.sorted_ids("journeys")
    rows = [(t["lifecycle.all"], "all", journeys)]
    if len(w.site.personas) > 1:
        for pid in w.sorted_ids("personas"):
            mine = [j for j in journeys if pid in w.site.journeys[j].personas]
            if mine:
                rows.append((t["lifecycle.persona"].format(name=w.name("personas", pid)), f"persona-{pid}", mine))
    markdown = w.render("lifecycle.md.j2", here, title=title, front=Markup(front), rows=rows,
                        block=lambda ids, label: Markup(lifecycle_block(w, ids, here, label)))
    return GeneratedPage(here, markdown, title)
