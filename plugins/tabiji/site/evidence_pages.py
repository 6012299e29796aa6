"""The "assumptions to verify" page (検証待ちの仮説): every hypothesis of the map, by owner
department, oldest first, each linked to where it is written.

Built only when the sources give evidence somewhere, so a site without evidence keeps
exactly its pages and navigation. ``pages`` adds it with one call (``assumptions``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from markupsafe import Markup

from tabiji.core import model as m
from tabiji.render.evidence import Evidenced, describe, excerpt, hypotheses, site_evidence, source_html, _href, _lane_title
from tabiji.render.text import escape, wrap_html
from tabiji.site.writer import GeneratedPage, NavNode, _Writer

PAGE = "hypotheses.md"  # under the generated pages' prefix


def page_doc(w: _Writer) -> str:
    return f"{w.paths.prefix}/{PAGE}"


def assumptions(w: _Writer, pages: list[GeneratedPage]) -> list[NavNode]:
    """Appends the page to ``pages`` and returns its navigation entry, or does nothing when
    no source gives evidence."""
    if not site_evidence(w.site):
        return []
    pages.append(assumptions_page(w))
    return [NavNode(w.t["evidence.page"], page_doc(w))]


class Hypothesis(NamedTuple):
    """A hypothesis as its page lists it (``hypotheses.md.j2``)."""

    date: str
    excerpt: Markup
    where: list[Any]  # shown "a › b": links (Markup) and text
    basis: list[tuple[Markup, Markup | str]]  # (what it rests on, its note)


def assumptions_page(w: _Writer) -> GeneratedPage:
    t, site = w.t, w.site
    here = page_doc(w)
    found = hypotheses(site)
    by_owner: dict[str, list[Evidenced]] = {}
    for x in found:
        for owner in x.owners:
            by_owner.setdefault(owner, []).append(x)
    known = [d for d in w.sorted_ids("departments") if d in by_owner]
    front = w.front(t["evidence.page"])
    groups = []
    for owner in known + sorted(set(by_owner) - set(known)):
        title = w.name("departments", owner) if owner in site.departments else owner
        groups.append((title, f"owner-{owner}", [_row(w, x, here) for x in by_owner[owner]]))
    markdown = w.render("hypotheses.md.j2", here, title=t["evidence.page"], front=Markup(front), count=len(found),
                        groups=groups)
    return GeneratedPage(here, markdown, t["evidence.page"])


def _row(w: _Writer, x: Evidenced, here: str) -> Hypothesis:
    t, lang = w.t, w.lang
    dates = sorted(e.date for e in x.evidence if e.date)
    date = dates[0].isoformat() if dates else t["evidence.undated"]
    what = Markup(wrap_html(escape(excerpt(x, w.site, t, lang))))
    if x.collection == "journeys":
        journey = w.site.journeys[x.doc_id]
        href = w.paths.link("journeys", x.doc_id, here) + f"#phase-{w._phase_of(journey, x.column)}"
        where = [Markup(w.a("journeys", x.doc_id, here)), Markup(w.a_href(href, w.phase_name(journey, x.column))),
                 _lane_title(x.lane, t, lang)]
    else:
        where = [Markup(w.a("roadmaps", x.doc_id, here)), Markup(w.stage_link(x.doc_id, x.column, here)),
                 t["checkpoint"]]
    return Hypothesis(date, what, where, [_basis(w, e, here) for e in x.evidence])


def _basis(w: _Writer, e: m.Evidence, here: str) -> tuple[Markup, Markup | str]:
    """What the hypothesis rests on: kind and date, the source (a link when it is one); and the note."""
    t, lang = w.t, w.lang
    head = escape(describe(e.model_copy(update={"source": None, "url": None}), t, lang))
    source = source_html(e, lang, lambda u: _href(w, u, here)) if (e.source or e.url) else ""
    note = Markup(w.inline(e.note)) if e.note else ""
    state = "" if e.status == "hypothesis" else f' ({escape(t["evidence." + e.status])})'
    what = t["evidence.sep"].join(p for p in (head, source) if p) + state if head or source \
        else escape(t["evidence.hypothesis"])
    return Markup(what), note


__all__ = ["assumptions", "assumptions_page", "page_doc"]
