"""Measurable conditions in words: a checkpoint's or a guided action's trigger as HTML
(``DAU ≥ 50 人（30日以内）``), and every one of them by metric (the health-score
candidates). Used by the KPI pages of ``writer`` and by ``roadmap_pages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import model as m
from .text import escape, localize, plain

COMPARISON = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def condition_html(w: Any, cond: m.Condition, here: str) -> str:
    """``DAU ≥ 50 人（30日以内）``, the metric linked to its KPI page. ``w`` is the page
    writer (``writer._Writer``), which imports this module."""
    kpi = w.site.kpis.get(cond.metric)
    unit = cond.unit if cond.unit is not None else (kpi.unit if kpi and kpi.unit else "")
    value = w.target_value(cond.value, unit) if isinstance(cond.value, m.Undecided) \
        else escape(f"{cond.value:g}" + (unit if unit == "%" else f"\u00a0{unit}" if unit else ""))  # 5 日 on one line
    metric = w.a("kpis", cond.metric, here) if kpi else escape(cond.metric)
    text = f"{metric} {escape(COMPARISON[cond.comparison])}\u00a0{value}"
    if cond.window:
        text += escape(w.t["window"].format(window=plain(localize(cond.window, w.lang))))
    return text


@dataclass(frozen=True)
class Candidate:
    """One measurable condition in a roadmap: a stage's checkpoint or a guided action's trigger."""

    roadmap: str
    stage: str
    condition: m.Condition
    action: m.GuidedAction | None  # None for a checkpoint
    stage_index: int = 0  # the stage's place in its roadmap
    index: int = 0  # the place in its stage: checkpoints as written, then the actions as written


def health_candidates(site) -> dict[str, list[Candidate]]:
    """Metric id -> every measurable checkpoint and trigger on it, in roadmap and stage order."""
    found: dict[str, list[Candidate]] = {}
    for rid in sorted(site.roadmaps):
        roadmap = site.roadmaps[rid]
        for si, stage in enumerate(roadmap.stages):
            n = 0
            for checkpoint in stage.checkpoints:
                found.setdefault(checkpoint.metric, []).append(Candidate(rid, stage.id, checkpoint, None, si, n))
                n += 1
            for action in roadmap.actions:
                if action.stage == stage.id and action.condition:
                    found.setdefault(action.condition.metric, []).append(
                        Candidate(rid, stage.id, action.condition, action, si, n))
                    n += 1
    return found
