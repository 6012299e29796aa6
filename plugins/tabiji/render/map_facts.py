"""HTML pieces for the pages from the schema's newer fields (issue #13 §1): a journey's goal
KPIs, the loops of a journey (where customers go back to), the partners of a task or an
action, the roadmap-wide actions and the event triggers. Pages call these functions; each
takes the page writer ``w`` (``writer._Writer``: ``site``, ``t``, ``lang``, ``a()``,
``kpi_target()``, ``paths``), so this module imports no page module (no import cycles).
"""

from __future__ import annotations

from typing import Any

from tabiji.core import model as m
from tabiji.render.conditions import condition_html, event_candidates
from tabiji.render.journey_loops import loops
from tabiji.core.lang import localize
from tabiji.render.text import escape, plain


def journey_kpis_html(w: Any, journey: m.Journey, here: str) -> str:
    """The KPIs that measure the journey's goal, each linked, with its target: for the facts box
    (a row labelled ``w.t["journey.kpis"]``). '' when the journey names none."""
    items = []
    for kpi_id in journey.kpis:
        kpi = w.site.kpis.get(kpi_id)
        if kpi is None:
            continue
        target = w.kpi_target(kpi)
        items.append(w.a("kpis", kpi_id, here) + (f" ({target})" if target else ""))
    return w.t["list.sep"].join(items)


def partners_html(w: Any, item: m.Task | m.GuidedAction, here: str) -> str:
    """' ＋ 営業' after the lead department of a task or an action ('' without partners)."""
    return "".join(f' <span aria-hidden="true">＋</span><span class="tabiji-sr-only">{escape(w.t["rs.partners"])}'
                   f"</span>{w.a('departments', d, here)}" for d in item.partners if d in w.site.departments)


def wide_actions(roadmap: m.Roadmap) -> list[m.GuidedAction]:
    """The roadmap-wide actions (no stage), as written: the playbook lists them with every stage."""
    return [a for a in roadmap.actions if a.stage is None]


def loops_html(w: Any, journey: m.Journey, here: str) -> str:
    """The journey's loops as a list: 'トレーニング → 初期設定: 理由'. '' when there are none."""
    found = loops(journey)
    if not found:
        return ""
    items = []
    for loop in found:
        reason = f"{w.t['diff.colon']}{w.inline(loop.reason)}" if loop.reason is not None else ""
        items.append(f'<li><a href="#phase-{escape(loop.from_phase)}">{escape(plain(localize(loop.from_name, w.lang)))}'
                     f'</a> <span aria-hidden="true">↩</span><span class="tabiji-sr-only">{escape(w.t["loop.to"])}'
                     f'</span> <a href="#phase-{escape(loop.to_phase)}">{escape(plain(localize(loop.to_name, w.lang)))}'
                     f"</a>{reason}</li>")
    return f'<ul class="tabiji-list tabiji-loops">{"".join(items)}</ul>'


def event_triggers_html(w: Any, here: str) -> str:
    """The guided actions whose trigger is an event or an absence (no metric to score), for the
    health page after the metric triggers. '' when there are none."""
    rows = []
    for rid, action in event_candidates(w.site):
        stage = w.stage_link(rid, action.stage, here)
        rows.append(f"<li>{escape(w.name('roadmaps', rid))} › {stage}: {w.item_link(rid, action.id, here)}"
                    f" — {condition_html(w, action.condition, here)}</li>")
    return f'<ul class="tabiji-list">{"".join(rows)}</ul>' if rows else ""
