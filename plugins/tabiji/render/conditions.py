"""Conditions in words: a checkpoint's or a guided action's trigger as HTML, in its three
forms (a measure ``DAU ≥ 50 人（30日以内）``, a change ``利用日数 ↘ 30% 減少``, an event
``出来事：初期設定完了`` or its absence ``起きていない：…``), and every measure or change by
metric (the health-score candidates). Used by the KPI pages of ``writer``, by
``roadmap_pages`` and by the roadmap swimlane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tabiji.core import model as m
from tabiji.core.lang import localize
from tabiji.render.text import escape, plain

COMPARISON = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def condition_html(w: Any, cond: m.Condition, here: str) -> str:
    """``DAU ≥ 50 人（30日以内）``, the metric linked to its KPI page; a change
    (``利用量 ↘ 30% 減少（4週間）``) or an event (``出来事：初期設定完了``) in words. ``w`` is
    the page writer (``writer._Writer``), which imports this module."""
    if m.is_event(cond):
        roadmap = _roadmap_at(w, here) if getattr(cond, "task", None) else None
        return event_html(w.t, w.lang, cond, condition_task(w.site, cond, roadmap))
    kpi = w.site.kpis.get(cond.metric)
    unit = cond.unit if cond.unit is not None else (kpi.unit if kpi and kpi.unit else "")
    metric = w.a("kpis", cond.metric, here) if kpi else escape(cond.metric)
    if cond.change is not None:
        text = f"{metric} {change_words(w.t, cond, _amount_html(w, cond.by, unit) if cond.by is not None else '')}"
    else:
        text = f"{metric} {escape(COMPARISON[cond.comparison])}\u00a0{_amount_html(w, cond.value, unit)}"
    if cond.window:
        text += escape(w.t["window"].format(window=plain(localize(cond.window, w.lang))))
    return text


def _amount_html(w: Any, value: m.TargetValue, unit: str) -> str:
    if isinstance(value, m.Undecided):
        return w.target_value(value, unit)
    return escape(f"{value:g}" + (unit if unit == "%" else f"\u00a0{unit}" if unit else ""))  # 5 日 on one line


def change_words(labels: dict[str, str], cond: m.Condition, amount: str) -> str:
    """'↘ 30% 減少' / '↘ down by 30%' (``amount`` already formatted, '' when any change counts)."""
    key = f"cond.{cond.change}" + (".by" if amount else "")
    return labels[key].replace("{by}", amount)  # amount may hold HTML: no str.format on it


def condition_task(site: Any, cond: m.Condition, roadmap: m.Roadmap | None) -> m.Task | None:
    """The task a checkpoint's event is (``task: id``), looked up in its roadmap."""
    task_id = getattr(cond, "task", None)
    if not task_id or roadmap is None:
        return None
    return next((t for s in roadmap.stages for lane in m.TASK_LANES for t in getattr(s.tasks, lane)
                 if t.id == task_id), None)


def event_parts(labels: dict[str, str], lang: str, cond: m.Condition, task: m.Task | None) -> list[tuple[str, bool]]:
    """The words of an event as (text, is the task's name) pieces, so HTML can link the task:
    '出来事：初期設定完了（タスク：初期設定を行う）', '起きていない：NPSサーベイへの回答（配信から14日）'."""
    task_name = plain(localize(task.name, lang)) if task else ""
    what = plain(localize(cond.event, lang)) if cond.event is not None else task_name or getattr(cond, "task", "") or ""
    before, _, after = labels["cond.absent" if cond.happened is False else "cond.event"].partition("{event}")
    parts = [(before, False), (what, cond.event is None and task is not None), (after, False)]
    if task is not None and cond.event is not None:
        before, _, after = labels["cond.task"].partition("{task}")
        parts += [(before, False), (task_name, True), (after, False)]
    if cond.window:
        parts.append((labels["window"].format(window=plain(localize(cond.window, lang))), False))
    return [(text, linked) for text, linked in parts if text]


def event_text(labels: dict[str, str], lang: str, cond: m.Condition, task: m.Task | None) -> str:
    return "".join(text for text, _ in event_parts(labels, lang, cond, task))


def event_html(labels: dict[str, str], lang: str, cond: m.Condition, task: m.Task | None,
               wrap: Any = escape) -> str:
    """An event in words, its task's name linked to the task in the roadmap swimlane (``#task-<id>``)."""
    return "".join(f'<a href="#task-{escape(task.id)}">{wrap(text)}</a>' if linked and task else wrap(text)
                   for text, linked in event_parts(labels, lang, cond, task))


def _roadmap_at(w: Any, here: str) -> m.Roadmap | None:
    """The roadmap whose page ``here`` is (a checkpoint's task is linked on that page)."""
    return next((r for rid, r in w.site.roadmaps.items() if w.paths.doc("roadmaps", rid) == here), None)


def event_candidates(site: Any) -> list[tuple[str, m.GuidedAction]]:
    """(roadmap id, action) for every guided action whose trigger is an event (or an absence):
    watchable too, but with no metric, so not in ``health_candidates``. For the health page."""
    return [(rid, a) for rid in sorted(site.roadmaps) for a in site.roadmaps[rid].actions
            if a.condition is not None and m.is_event(a.condition)]


@dataclass(frozen=True)
class Candidate:
    """One measurable condition in a roadmap: a stage's checkpoint or a guided action's trigger."""

    roadmap: str
    stage: str  # '' for a roadmap-wide action
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
                if m.is_event(checkpoint):  # an event has no metric to score
                    continue
                found.setdefault(checkpoint.metric, []).append(Candidate(rid, stage.id, checkpoint, None, si, n))
                n += 1
            for action in roadmap.actions:
                if action.stage == stage.id and action.condition and not m.is_event(action.condition):
                    found.setdefault(action.condition.metric, []).append(
                        Candidate(rid, stage.id, action.condition, action, si, n))
                    n += 1
        n = 0
        for action in roadmap.actions:  # roadmap-wide actions (no stage) after the stages
            if action.stage is None and action.condition and not m.is_event(action.condition):
                found.setdefault(action.condition.metric, []).append(
                    Candidate(rid, "", action.condition, action, len(roadmap.stages), n))
                n += 1
    return found
