"""The "assumptions to verify" page (検証待ちの仮説): every hypothesis of the map, by owner
department, oldest first, each linked to where it is written.

Built only when the sources give evidence somewhere, so a site without evidence keeps
exactly its pages and navigation. ``pages`` adds it with one call (``assumptions``).
"""

from __future__ import annotations

from tabiji.core import model as m
from tabiji.render.evidence import Evidenced, describe, excerpt, hypotheses, site_evidence, source_html, _href, _lane_title
from tabiji.render.text import escape, markdown_literal, wrap_html
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


def assumptions_page(w: _Writer) -> GeneratedPage:
    t, site = w.t, w.site
    here = page_doc(w)
    found = hypotheses(site)
    parts = [w.front(t["evidence.page"]), f"# {markdown_literal(t['evidence.page'])}\n",
             f"<p>{escape(t['evidence.page.intro'])}</p>\n"]
    if not found:
        parts.append(f"<p>{escape(t['evidence.page.none'])}</p>\n")
        return GeneratedPage(here, "\n".join(parts), t["evidence.page"])
    by_owner: dict[str, list[Evidenced]] = {}
    for x in found:
        for owner in x.owners:
            by_owner.setdefault(owner, []).append(x)
    parts.append(f"<p>{escape(t['evidence.page.count'].format(n=len(found)))}</p>\n")
    head = "".join(f"<th>{escape(t[k])}</th>" for k in ("evidence.date", "evidence.what", "evidence.basis"))
    known = [d for d in w.sorted_ids("departments") if d in by_owner]
    for owner in known + sorted(set(by_owner) - set(known)):
        title = w.name("departments", owner) if owner in site.departments else owner
        parts.append(w.heading(title, f"owner-{owner}"))
        rows = "".join(_row(w, x, here) for x in by_owner[owner])
        parts.append(f'<table class="tabiji-table tabiji-hypotheses"><thead><tr>{head}</tr></thead>'
                     f"<tbody>{rows}</tbody></table>\n")
    return GeneratedPage(here, "\n".join(parts), t["evidence.page"])


def _row(w: _Writer, x: Evidenced, here: str) -> str:
    t, lang = w.t, w.lang
    dates = sorted(e.date for e in x.evidence if e.date)
    date = escape(dates[0].isoformat()) if dates else escape(t["evidence.undated"])
    what = f'<span class="tabiji-hypothesis"><span class="tabiji-hypothesis-icon" aria-hidden="true">?</span>' \
           f'{escape(t["evidence.hypothesis"])}</span> {wrap_html(escape(excerpt(x, w.site, t, lang)))}'
    if x.collection == "journeys":
        journey = w.site.journeys[x.doc_id]
        href = w.paths.link("journeys", x.doc_id, here) + f"#phase-{w._phase_of(journey, x.column)}"
        where = (f'{w.a("journeys", x.doc_id, here)} › <a href="{escape(href)}">'
                 f'{escape(w.phase_name(journey, x.column))}</a> › {escape(_lane_title(x.lane, t, lang))}')
    else:
        where = (f'{w.a("roadmaps", x.doc_id, here)} › {w.stage_link(x.doc_id, x.column, here)} › '
                 f'{escape(t["checkpoint"])}')
    basis = "".join(f"<li>{_basis(w, e, here)}</li>" for e in x.evidence)
    return (f'<tr><td class="tabiji-nowrap">{date}</td><td>{what}<div class="tabiji-meta">{where}</div></td>'
            f'<td><ul class="tabiji-list">{basis}</ul></td></tr>')


def _basis(w: _Writer, e: m.Evidence, here: str) -> str:
    """What the hypothesis rests on: kind and date, the source (a link when it is one), the note."""
    t, lang = w.t, w.lang
    head = escape(describe(e.model_copy(update={"source": None, "url": None}), t, lang))
    source = source_html(e, lang, lambda u: _href(w, u, here)) if (e.source or e.url) else ""
    note = f' <span class="tabiji-meta">{w.inline(e.note)}</span>' if e.note else ""
    state = "" if e.status == "hypothesis" else f' ({escape(t["evidence." + e.status])})'
    return t["evidence.sep"].join(p for p in (head, source) if p) + state + note if head or source \
        else escape(t["evidence.hypothesis"]) + note


__all__ = ["assumptions", "assumptions_page", "page_doc"]
