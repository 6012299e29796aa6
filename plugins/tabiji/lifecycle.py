"""The lifecycle overview: every journey's phases in one row, in the customer's order, with
one continuous emotion curve across them.

Drawn from the same model as the journeys (the phases in the writer's order, the journeys in
``order.journey_order``), so it cannot disagree with them. The curve is inline SVG made
here: the page shows it without JavaScript, and every phase name links to its phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .order import display_name
from .svg import wrap
from .swimlane import signed
from .text import escape, localize, markdown_literal, plain

COL = 62  # px per phase: 19 phases fit a 1,440 px window without the sidebars
LEFT = 40  # the scale
BAND_H = 26  # the journey band
NAME_LINES = 3
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
    if own is not None:
        return float(own.score), plain(localize(own.label, lang)) if own.label else ""
    steps = [lane.cells[s.id] for s in phase.steps if s.id in lane.cells]
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


def lifecycle_svg(w, pts: list[Point], title: str) -> str:
    """The row of phases, the journeys above them, the curve and its scale."""
    n = len(pts)
    width = LEFT + n * COL + 8
    names_top = BAND_H + 6
    curve_top = names_top + NAME_LINES * LINE + 16
    y = lambda score: curve_top + (2 - score) * UNIT_H  # noqa: E731 (a scale, read at a glance)
    labels_top = y(-2) + 22
    height = labels_top + LABEL_LINES * LINE + 6
    body: list[str] = []
    # the scale: +2..-2, the zero line stronger
    for s in range(2, -3, -1):
        cls = "tabiji-lc-zero" if s == 0 else "tabiji-lc-grid"
        body.append(f'<line class="{cls}" x1="{LEFT}" x2="{width - 8}" y1="{y(s):g}" y2="{y(s):g}"/>')
        body.append(f'<text class="tabiji-lc-scale" x="{LEFT - 6}" y="{y(s) + 4:g}" text-anchor="end">'
                    f"{escape(signed(s))}</text>")
    # journeys: a band over their phases, a rule between them
    start = 0
    while start < n:
        end = start
        while end + 1 < n and pts[end + 1].journey == pts[start].journey:
            end += 1
        x0, span = LEFT + start * COL, (end - start + 1) * COL
        jid = pts[start].journey
        name = display_name(w.site.journeys[jid], w.lang)
        units = max(int((span - 10) / 6.2), 2)
        shown = wrap(name, units)
        text = shown[0] + ("…" if len(shown) > 1 else "")
        href = pts[start].href.split("#")[0]
        body.append(f'<a href="{escape(href)}"><rect class="tabiji-lc-band" x="{x0 + 1}" y="0" width="{span - 2}" '
                    f'height="{BAND_H}" rx="4"/><text class="tabiji-lc-journey" x="{x0 + 6}" y="17">'
                    f"<title>{escape(name)}</title>{escape(text)}</text></a>")
        if start:
            body.append(f'<line class="tabiji-lc-rule" x1="{x0}" x2="{x0}" y1="0" y2="{height:g}"/>')
        start = end + 1
    # phase names (links), score beside each point, the label below the scale
    for i, p in enumerate(pts):
        cx = LEFT + i * COL + COL / 2
        lines = _cut(wrap(p.name, 9), NAME_LINES)
        tspans = "".join(f'<tspan x="{cx:g}" dy="{0 if k == 0 else LINE}">{escape(line)}</tspan>'
                         for k, line in enumerate(lines))
        body.append(f'<a href="{escape(p.href)}"><text class="tabiji-lc-phase" x="{cx:g}" y="{names_top + 11}" '
                    f'text-anchor="middle"><title>{escape(p.name)}</title>{tspans}</text></a>')
        if p.label or p.score is None:
            label = p.label or w.t["lifecycle.no_score"]
            lines = _cut(wrap(label, 9), LABEL_LINES)
            tspans = "".join(f'<tspan x="{cx:g}" dy="{0 if k == 0 else LINE}">{escape(line)}</tspan>'
                             for k, line in enumerate(lines))
            body.append(f'<text class="tabiji-lc-label" x="{cx:g}" y="{labels_top}" text-anchor="middle">'
                        f"{tspans}</text>")
    known = [(LEFT + i * COL + COL / 2, p.score) for i, p in enumerate(pts) if p.score is not None]
    if len(known) > 1:
        path = " ".join(f"{'M' if k == 0 else 'L'}{x:g},{y(s):g}" for k, (x, s) in enumerate(known))
        body.append(f'<path class="tabiji-lc-curve" d="{path}"/>')
    for x, s in known:
        tone = "pos" if s > 0 else "neg" if s < 0 else "neu"
        ty = y(s) - 9 if s < 2 else y(s) + 19
        body.append(f'<circle class="tabiji-lc-dot tabiji-lc-dot--{tone}" cx="{x:g}" cy="{y(s):g}" r="5"/>'
                    f'<text class="tabiji-lc-score" x="{x:g}" y="{ty:g}" text-anchor="middle">'
                    f"{escape(_score_text(s))}</text>")
    return (f'<svg class="tabiji-lc-svg" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:g}" '
            f'viewBox="0 0 {width} {height:g}" aria-label="{escape(title)}">{"".join(body)}</svg>')


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
        feel = f"{_score_text(p.score)} {p.label}".strip() if p.score is not None else w.t["lifecycle.no_score"]
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
            f'aria-label="{escape(title)}">{lifecycle_svg(w, pts, f"{title}: {curve}")}</div>'
            f"<figcaption>{escape(curve)}</figcaption></figure>"
            f'<details class="tabiji-lc-details"><summary>{escape(w.t["lifecycle.list"])}</summary>'
            f"{phase_list(w, pts)}</details>")


def lifecycle_page(w):
    """The whole map, then one row per persona (their journeys only) when there are several."""
    from .pages import GeneratedPage  # the page type; this module is imported by ``pages``

    t = w.t
    here = lifecycle_doc(w)
    title = t["lifecycle"]
    parts = [w.front(title, boost=2, hide=("navigation", "toc")), f"# {markdown_literal(title)}\n",
             f"<p>{escape(t['lifecycle.intro'])}</p>\n"]
    journeys = w.sorted_ids("journeys")
    parts.append(w.section(t["lifecycle.all"], "all", lifecycle_block(w, journeys, here, t["lifecycle.all"])))
    if len(w.site.personas) > 1:
        for pid in w.sorted_ids("personas"):
            mine = [j for j in journeys if pid in w.site.journeys[j].personas]
            if mine:
                label = t["lifecycle.persona"].format(name=w.name("personas", pid))
                parts.append(w.section(label, f"persona-{pid}", lifecycle_block(w, mine, here, label)))
    return GeneratedPage(here, "\n".join(parts), title)

