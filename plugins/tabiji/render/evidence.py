"""Evidence: what the map knows and what it only assumes (issue 13 §2).

A lane cell (``lanes[].evidence`` keyed like ``cells``) and a roadmap checkpoint
(``checkpoints[].evidence``) can say where they come from. This module holds the plain
functions every front end shares: the status of a thing, the hypotheses of a site in the
order the "assumptions to verify" page lists them, the mark the diagrams draw (an icon and
a word, never colour alone), the journey page's list of sources and the diff's words.

It imports no page module: the diagrams, the page writer and the diff all call into it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tabiji.core import model as m
from tabiji.core.labels import labels_for
from tabiji.core.lang import localize
from tabiji.render.text import escape, plain, wrap_html, nowrap

if TYPE_CHECKING:  # annotations only: keeps this module free of import cycles
    from tabiji.source.validate import Site

ICON = "?"  # the hypothesis mark's icon; the word beside it says the same for screen readers
WEB = re.compile(r"^https?://[^\s<>\"']+$")  # a source typed as a bare web address becomes a link
EXCERPT = 40  # characters of a cell's text shown on the assumptions page


def status(evidence: list[m.Evidence] | None) -> str | None:
    """'verified' when any evidence verifies it, 'hypothesis' when it has evidence but none
    verified, None when the writer gave none (shown as today: no mark)."""
    if not evidence:
        return None
    return "verified" if any(e.status == "verified" for e in evidence) else "hypothesis"


def is_hypothesis(evidence: list[m.Evidence] | None) -> bool:
    return status(evidence) == "hypothesis"


def earliest(evidence: list[m.Evidence]) -> datetime.date | None:
    dates = [e.date for e in evidence if e.date]
    return min(dates) if dates else None


# ------------------------------------------------------------------ words


def describe(e: m.Evidence, t: dict[str, str], lang: str) -> str:
    """One evidence as plain words: 'インタビュー・2026-04-20・導入企業 5 社' (kind, date, source)."""
    bits = [t["evidence.kind." + e.kind]] if e.kind else []
    if e.date:
        bits.append(e.date.isoformat())
    source = plain(localize(e.source, lang)) if e.source else (e.url or "")
    if source:
        bits.append(source)
    return t["evidence.sep"].join(bits)


def summary(evidence: list[m.Evidence] | None, t: dict[str, str], lang: str) -> str:
    """The status word, then what each evidence is: '仮説（ワークショップでの仮定・2026-05-20）'."""
    state = status(evidence)
    if state is None:
        return t["evidence.none"]
    details = t["list.sep"].join(d for d in (describe(e, t, lang) for e in evidence or []) if d)
    word = t["evidence." + state]
    return t["evidence.with"].format(status=word, details=details) if details else word


def mark_html(evidence: list[m.Evidence] | None, t: dict[str, str], lang: str) -> str:
    """The hypothesis mark of a diagram cell (empty unless it is a hypothesis): an icon and
    the word, with what the evidence is as the tooltip."""
    if not is_hypothesis(evidence):
        return ""
    tip = summary(evidence, t, lang)
    return (f'<span class="tabiji-hypothesis" title="{escape(tip)}">'
            f'<span class="tabiji-hypothesis-icon" aria-hidden="true">{ICON}</span>'
            f'{escape(t["evidence.hypothesis"])}</span>')


def mark_text(evidence: list[m.Evidence] | None, t: dict[str, str]) -> str:
    """The same mark as plain text, for SVG and print: '? 仮説'."""
    return f"{ICON} {t['evidence.hypothesis']}" if is_hypothesis(evidence) else ""


def source_html(e: m.Evidence, lang: str, href: Any) -> str:
    """The source as HTML: a link when a ``url`` is given or the source is a web address;
    ``href(url)`` turns a docs-relative path into a link from the page."""
    text = plain(localize(e.source, lang)) if e.source else ""
    url = e.url or (text if WEB.match(text) else "")
    if not url:
        return wrap_html(escape(text))
    if not url.startswith(("http://", "https://", "mailto:")):
        url = href(url)
    return f'<a href="{escape(url)}">{wrap_html(escape(text or e.url or url))}</a>'


# ------------------------------------------------------------------ what has evidence, where


@dataclass(frozen=True)
class Evidenced:
    """A thing with evidence: a journey cell or a roadmap checkpoint."""

    collection: str  # journeys or roadmaps
    doc_id: str
    kind: str  # cell or checkpoint
    lane: Any  # the lane (cells)
    column: str  # phase or step id (cells), stage id (checkpoints)
    index: int  # the checkpoint's position in its stage (cells: the lane's position)
    value: Any  # the cell's value, or the checkpoint
    evidence: tuple[m.Evidence, ...]
    owners: tuple[str, ...]  # department ids that answer for it
    order: int  # position in the document, as a reader meets it


def _columns(journey: m.Journey) -> list[tuple[m.Phase, str]]:
    return [(p, c) for p in journey.phases for c in [p.id] + [s.id for s in p.steps]]


def journey_evidence(journey: m.Journey) -> list[Evidenced]:
    """Every cell of ``journey`` with evidence, lane by lane, in column order. Owners: the
    phase's owners, else the journey's owner."""
    columns = _columns(journey)
    found = []
    for li, lane in enumerate(journey.lanes):
        if not lane.evidence:
            continue
        for phase, column in columns:
            evidence = lane.evidence.get(column)
            if evidence and column in lane.cells:
                owners = tuple(phase.owners) or (journey.owner,)
                found.append(Evidenced("journeys", journey.id, "cell", lane, column, li, lane.cells[column],
                                       tuple(evidence), owners, len(found)))
    return found


def roadmap_evidence(roadmap: m.Roadmap) -> list[Evidenced]:
    """Every checkpoint of ``roadmap`` with evidence, in stage order; owner: the roadmap's."""
    found = []
    for stage in roadmap.stages:
        for ci, cp in enumerate(stage.checkpoints):
            if getattr(cp, "evidence", None):
                found.append(Evidenced("roadmaps", roadmap.id, "checkpoint", None, stage.id, ci, cp,
                                       tuple(cp.evidence), (roadmap.owner,), len(found)))
    return found


def site_evidence(site: Site) -> list[Evidenced]:
    """Every thing with evidence: journeys, then roadmaps, by id."""
    found: list[Evidenced] = []
    for jid in sorted(site.journeys):
        found += journey_evidence(site.journeys[jid])
    for rid in sorted(site.roadmaps):
        found += roadmap_evidence(site.roadmaps[rid])
    return found


def hypotheses(site: Site) -> list[Evidenced]:
    """The hypotheses to verify, oldest first (by their earliest date; undated ones last),
    then as the documents list them."""
    found = [x for x in site_evidence(site) if is_hypothesis(list(x.evidence))]
    far = datetime.date.max
    return sorted(found, key=lambda x: (earliest(list(x.evidence)) or far, x.collection, x.doc_id, x.order))


def excerpt(x: Evidenced, site: Site, t: dict[str, str], lang: str) -> str:
    """What the hypothesis says, in plain words cut to EXCERPT characters."""
    value = x.value
    if x.kind == "checkpoint":
        metric = getattr(value, "metric", "")
        text = localize(value.label, lang) if getattr(value, "label", None) else (
            localize(site.kpis[metric].name, lang) if metric in site.kpis else metric)
    elif x.lane.kind == "emotions":
        text = localize(value.label, lang) if value.label else (
            "" if value.score is None else f"{value.score:+d}" if value.score else "0")
    elif x.lane.kind in ("touchpoints", "departments", "kpis"):
        table = getattr(site, x.lane.kind)
        text = t["list.sep"].join(localize(table[i].name, lang) if i in table else i for i in value)
    else:
        items = value if isinstance(value, list) else [value]
        text = t["list.sep"].join(localize(v, lang) for v in items)
    text = " ".join(plain(text).split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


# ------------------------------------------------------------------ the journey page's sources


def sources_html(w: Any, journey: m.Journey, here: str) -> str:
    """The journey page's section listing its sources: each distinct evidence once (in the
    order the map meets it) with its kind, date, status and the cells it supports. Empty
    when the journey gives no evidence (the page stays as it was)."""
    t, lang = w.t, w.lang
    where = lambda x: (f'<a href="#phase-{escape(w._phase_of(journey, x.column))}">'  # noqa: E731
                       f'{escape(_lane_title(x.lane, t, lang))} › {escape(w.phase_name(journey, x.column))}</a>')
    return _sources_section(w, journey_evidence(journey), where, here, t["evidence.sources.intro"],
                            t["evidence.where"])


def roadmap_sources_html(w: Any, roadmap: m.Roadmap, here: str) -> str:
    """The roadmap page's sources: its checkpoints' evidence, as the journey page lists its
    cells' (each checkpoint linked to its stage's details). Empty without evidence."""
    t, lang = w.t, w.lang
    stages = {s.id: (i, s) for i, s in enumerate(roadmap.stages, 1)}

    def where(x: Evidenced) -> str:
        n, stage = stages[x.column]
        return (f'<a href="#detail-{escape(stage.id)}">{n}. {escape(plain(localize(stage.name, lang)))} › '
                f'{escape(excerpt(x, w.site, t, lang))}</a>')
    return _sources_section(w, roadmap_evidence(roadmap), where, here, t["evidence.sources.roadmap_intro"],
                            t["evidence.where.checkpoints"])


def _sources_section(w: Any, found: list[Evidenced], where_html: Any, here: str, intro: str, where_head: str) -> str:
    """The sources table: each distinct evidence once, with the things it supports."""
    if not found:
        return ""
    t, lang = w.t, w.lang
    rows: dict[tuple, list[Evidenced]] = {}
    entries: dict[tuple, m.Evidence] = {}
    for x in found:
        for e in x.evidence:
            key = (e.kind, localize(e.source, lang) if e.source else "", e.url, e.date, e.status,
                   localize(e.note, lang) if e.note else "")
            entries.setdefault(key, e)
            if x not in rows.setdefault(key, []):
                rows[key].append(x)
    head = "".join(f"<th>{escape(h)}</th>" for h in
                   [*(t[k] for k in ("evidence.source", "evidence.kind", "evidence.date", "evidence.status")),
                    where_head])
    body = []
    for key, e in entries.items():
        where = t["list.sep"].join(where_html(x) for x in rows[key])
        note = f'<div class="tabiji-meta">{w.inline(e.note)}</div>' if e.note else ""
        state = (f'<span class="tabiji-evidence tabiji-evidence--{e.status}">'
                 + (f'<span class="tabiji-hypothesis-icon" aria-hidden="true">{ICON}</span>'
                    if e.status == "hypothesis" else "")
                 + f'{escape(t["evidence." + e.status])}</span>')
        cells = [source_html(e, lang, lambda u: _href(w, u, here)) + note,
                 escape(t["evidence.kind." + e.kind]) if e.kind else "",
                 nowrap(e.date.isoformat()) if e.date else "", state, where]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    table = (f'<table class="tabiji-table tabiji-sources"><thead><tr>{head}</tr></thead>'
             f'<tbody>{"".join(body)}</tbody></table>')
    return w.section(t["evidence.sources"], "sources", f'<p>{escape(intro)}</p>{table}')


def _lane_title(lane: Any, t: dict[str, str], lang: str) -> str:
    return plain(localize(lane.title, lang)) if lane.title else t["lane." + lane.kind].replace("\u200b", "")


def _href(w: Any, url: str, here: str) -> str:
    """A docs-relative source path as a link from the page (as links_html does)."""
    path, _, fragment = url.partition("#")
    return w.paths.href(path, here, f"#{fragment}" if fragment else "") if path else f"#{fragment}"


# ------------------------------------------------------------------ the diff's words


def evidence_words(evidence: list[m.Evidence] | None) -> dict[str, str]:
    """The evidence of a thing in words, in ja and en, for the semantic diff."""
    return {lang: summary(evidence, labels_for(lang), lang) for lang in ("ja", "en")}
