"""Loops in a journey: where customers go back to (``returns_to`` on a phase or a step),
in column order; shared by the swimlane (HTML and SVG) and the pages' list of loops."""

from __future__ import annotations

from dataclasses import dataclass

from tabiji.core import model as m


@dataclass(frozen=True)
class Loop:
    """Customers go back from one phase or step to an earlier one."""

    from_id: str
    from_phase: str  # the phase holding it (the page's anchor is #phase-<id>)
    from_name: m.Text
    to_id: str
    to_phase: str
    to_name: m.Text
    reason: m.Text | None


def loops(journey: m.Journey) -> list[Loop]:
    """Every loop, in the order of its source column; one that names an unknown id is left
    out (validation reports it)."""
    places: dict[str, tuple[m.Phase, m.Phase | m.Step]] = {}
    for phase in journey.phases:
        places[phase.id] = (phase, phase)
        for step in phase.steps:
            places.setdefault(step.id, (phase, step))
    found = []
    for phase, item in places.values():
        target = places.get(item.returns_to) if item.returns_to else None
        if target is not None:
            found.append(Loop(item.id, phase.id, item.name, target[1].id, target[0].id, target[1].name,
                              item.returns_when))
    return found


def target_name(journey: m.Journey, id_: str) -> m.Text | None:
    """The name of the phase or step ``id_`` (None when there is none)."""
    for phase in journey.phases:
        if phase.id == id_:
            return phase.name
        for step in phase.steps:
            if step.id == id_:
                return step.name
    return None
