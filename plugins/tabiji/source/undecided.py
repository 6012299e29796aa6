"""Targets and thresholds not set yet (未定): every one in the sources, in one list.

A workshop writes 「DAU ◯人以上」 before anyone has picked the number; the map keeps those
words (``{undecided: ...}``) instead of a made-up value; so does a change's amount (``by``:
「利用量が◯%減る」). The metrics page lists them and
``tabiji validate --stale`` reports them as notes, each located at its value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tabiji.core import model as m
from tabiji.source.loader import DataPath, _dotted
from tabiji.core.problems import Problem
from tabiji.core.lang import localize
from tabiji.source.validate import Site


@dataclass(frozen=True)
class UndecidedItem:
    kind: Literal["target", "checkpoint", "condition"]
    metric: str  # KPI id
    words: m.Text
    roadmap: str | None  # for a checkpoint or an action's condition
    stage: str | None
    action: str | None  # guided action id, for a condition
    collection: str  # where it is written: "kpis" or "roadmaps"
    id: str
    path: DataPath  # from the entry's path in its file to the value
    field: Literal["value", "by"] = "value"  # a threshold, or the amount of a change


def _undecided_fields(cond: m.Condition) -> list[tuple[str, m.Undecided]]:
    """A condition's threshold (``value``) and change amount (``by``) that are not set yet."""
    return [(name, getattr(cond, name)) for name in ("value", "by") if isinstance(getattr(cond, name), m.Undecided)]


def undecided_items(site: Site, kpi_order: list[str] | None = None) -> list[UndecidedItem]:
    """KPI targets (in ``kpi_order``, else as defined), then roadmaps' checkpoints and action
    conditions in roadmap, stage and written order."""
    found = []
    for kid in kpi_order if kpi_order is not None else list(site.kpis):
        target = site.kpis[kid].target
        if isinstance(target, m.Undecided):
            found.append(UndecidedItem("target", kid, target.undecided, None, None, None, "kpis", kid, ("target",)))
    for rid in sorted(site.roadmaps):
        roadmap = site.roadmaps[rid]
        for si, stage in enumerate(roadmap.stages):
            for ci, cp in enumerate(stage.checkpoints):
                for name, value in _undecided_fields(cp):
                    found.append(UndecidedItem("checkpoint", cp.metric, value.undecided, rid, stage.id, None,
                                               "roadmaps", rid, ("stages", si, "checkpoints", ci, name), name))
        for ai, action in enumerate(roadmap.actions):
            cond = action.condition
            for name, value in _undecided_fields(cond) if cond is not None else []:
                found.append(UndecidedItem("condition", cond.metric, value.undecided, rid, action.stage,
                                           action.id, "roadmaps", rid, ("actions", ai, "condition", name), name))
    return found


def undecided_notes(site: Site) -> list[Problem]:
    """One located note per undecided value (for ``tabiji validate --stale``)."""
    notes = []
    for item in undecided_items(site):
        doc, base = site.origins[(item.collection, item.id)]
        path = base + item.path
        notes.append(Problem(doc.path, doc.position(path), _dotted(path), "a number once it is decided",
                             f"undecided{' change amount' if item.field == 'by' else ''}: "
                             f"{localize(item.words, 'en')!r} (metric '{item.metric}')"))
    return sorted(notes)
