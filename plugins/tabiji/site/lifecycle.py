"""The lifecycle overview: every journey's phases in one row, in the customer's order, with
one continuous emotion curve across them.

Drawn from the same model as the journeys (the phases in the writer's order, the journeys in
``order.journey_order``), so it cannot disagree with them. The curve is inline SVG made
here: the page shows it without JavaScript, and every phase name links to its phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from tabiji.core import model as m
from tabiji.site.order import display_name
from tabiji.render.svg import wrap
from tabiji.render.swimlane import signed
from tabiji.core.lang import localize
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


def lifecycle_svg(w, pts: list[Point], title: str) -> str:
    """The curve, its scale and the feelings, in the columns of the phase row above it."""
    n = len(pts)
    width = LEFT + n * COL
    top = 22  # room for a score above +2
    y = lambda score: top + (2 - score) * UNIT_H  # noqa: E731 (a scale, read at a glance)
    labels_top = y(-2) + 34  # and below -2
    height = labels_top + LABEL_LINES * LINE
    body: list[str] = [f"<title>{escape(title)}</title>"]
    for s in range(2, -3, -1):  # the scale: +2..-2, the zero line stronger
        cls = "tabiji-lc-zero" if s == 0 else "tabiji-lc-grid"
        body.append(f'<line class="{cls}" x1="{LEFT}" x2="{width}" y1="{y(s):g}" y2="{y(s):g}"/>')
        body.append(f'<text class="tabiji-lc-scale" x="{LEFT - 6}" y="{y(s) + 4:g}" text-anchor="end">'
                    f"{escape(signed(s))}</text>")
    for first, _ in _spans(pts)[1:]:  # a rule between journeys
        x0 = LEFT + first * COL
        body.append(f'<line class="tabiji-lc-rule" x1="{x0}" x2="{x0}" y1="0" y2="{height:g}"/>')
    for i, p in enumerate(pts):
        cx = LEFT + i * COL + COL / 2
        label = p.label if p.score is not None or p.label else w.t["lifecycle.no_score"]
        if label:
            lines = _cut(wrap(label, 8), LABEL_LINES)
            tspans = "".join(f'<tspan x="{cx:g}" dy="{0 if k == 0 else LINE}">{escape(line)}</tspan>'
                             for k, line in enumerate(lines))
            body.append(f'<text class="tabiji-lc-label" x="{cx:g}" y="{labels_top}" text-anchor="middle">'
                        f"{tspans}</text>")
    known = [(LEFT + i * COL + COL / 2, p.score) for i, p in enumerate(pts) if p.score is not None]
    if len(known) > 1:
        path = " ".join(f"{'M' if k == 0 else 'L'}{x:g},{y(s):g}" for k, (x, s) in enumerate(known))
        body.append(f'<path class="tabiji-lc-curve" d="{path}"/>')
    for k, (x, s) in enumerate(known):
        tone = "pos" if s > 0 else "neg" if s < 0 else "neu"
        dx, dy, anchor = _score_place(known[k - 1][1] if k else None, s,
                                      known[k + 1][1] if k + 1 < len(known) else None)
        body.append(f'<circle class="tabiji-lc-dot tabiji-lc-dot--{tone}" cx="{x:g}" cy="{y(s):g}" r="5"/>'
                    f'<text class="tabiji-lc-score" x="{x + dx:g}" y="{y(s) + dy:g}" text-anchor="{anchor}">'
                    f"{escape(_score_text(s))}</text>")
    return (f'<svg class="tabiji-lc-svg" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:g}" '
            f'viewBox="0 0 {width} {height:g}" role="img">{"".join(body)}</svg>')


def lifecycle_row(w, pts: list[Point], title: str) -> str:
    """Journeys over their phases, phase names as links (HTML: they wrap and link like any text),
    then the curve in the same columns."""
    bands = "".join(
        f'<a class="tabiji-lc-journey" style="grid-column: span {count}" href="{escape(pts[first].href.split("#")[0])}">'
        f"{escape(display_name(w.site.journeys[pts[first].journey], w.lang))}</a>" for first, count in _spans(pts))
    starts = {first for first, _ in _spans(pts)}
    start = ' class="tabiji-lc-start"'
    phases = "".join(f'<li{start if i in starts else ""}><a href="{escape(p.href)}">{escape(p.name)}</a></li>'
                     for i, p in enumerate(pts))
    return (f'<div class="tabiji-lc-row" style="--tabiji-lc-cols: {len(pts)}">'
            f'<div class="tabiji-lc-bands"><span></span>{bands}</div>'
            f'<ol class="tabiji-lc-phases"><li aria-hidden="true"></li>{phases}</ol>'
            f"{lifecycle_svg(w, pts, title)}</div>")


def phase_list(w, pts: list[Point]) -> str:
    """The same row as text: journeys in order, each with its phases and feelings (and links)."""
    items, current = [], None
    for p in pts:
        if p.journey != current:
            if current is not None:
                items.append("</ol></li>")
            current = p.journey
            href = p.href.split("#")[0]
            items.append(f'<li><a href="{escape(href)}">{escape(display_name(w.site.journeys[p.journey], w.lang))}'
                         "</a><ol>")
        feel = f"{_score_text(p.score)} {p.label}".strip() if p.score is not None else (p.label or w.t["lifecycle.no_score"])
        items.append(f'<li><a href="{escape(p.href)}">{escape(p.name)}</a> '
                     f'<span class="tabiji-meta">{escape(feel)}</span></li>')
    if current is not None:
        items.append("</ol></li>")
    return f'<ol class="tabiji-list tabiji-lc-list">{"".join(items)}</ol>'


def lifecycle_doc(w) -> str:
    return f"{w.paths.prefix}/lifecycle.md"


def lifecycle_block(w, journey_ids: list[str], here: str, title: str) -> str:
    pts = points(w, journey_ids, here)
    if not pts:
        return f"<p>{escape(w.t['none'])}</p>"
    curve = w.t["lifecycle.curve"].format(first=pts[0].name, last=pts[-1].name)
    return (f'<figure class="tabiji-lifecycle"><div class="tabiji-lc-scroll" tabindex="0" role="region" '
            f'aria-label="{escape(title)}">{lifecycle_row(w, pts, f"{title}: {curve}")}</div>'
            f"<figcaption>{escape(curve)}</figcaption></figure>"
            f'<details class="tabiji-lc-details"><summary>{escape(w.t["lifecycle.list"])}</summary>'
            f"{phase_list(w, pts)}</details>")


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
