"""The map's logic, checked: what a CS lead checks by hand on a map that validates.

Validation says whether the files are well formed; these rules say whether the map makes
sense (a pain point nobody addresses, a KPI nothing measures, a stage with no checkpoint).
Each rule is a plain function over the validated site that yields findings located like
validation problems (file:line:column). Every rule is documented, with its reason, in the
writer's guide (docs/guide/writing.md); ``tabiji check`` and the build run them, and
mkdocs.yml can set each one to ``warn``, ``error`` or ``off``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from tabiji.core import model as m
from tabiji.source.loader import DataPath, Document
from tabiji.core.problems import Position, suggest
from tabiji.source.validate import Site

SEVERITIES = ("warn", "error", "off")


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    position: Position
    field: str
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.position.line}:{self.position.column}: {self.field}: {self.message} [{self.rule}]"


def _dotted(path: DataPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _at(rule: str, doc: Document, path: DataPath, message: str, key: bool = False) -> Finding:
    return Finding(doc.path, doc.position(path, key=key), _dotted(path), message, rule)


def _origin(site: Site, collection: str, id_: str) -> tuple[Document, DataPath]:
    return site.origins[(collection, id_)]


def _texts(text: Any) -> list[str]:
    """Every language's text of a Text value (or of a list of them)."""
    if text is None:
        return []
    if isinstance(text, str):
        return [text]
    if isinstance(text, dict):
        return [t for t in text.values() if isinstance(t, str)]
    return [t for item in text for t in _texts(item)]


# ------------------------------------------------------------------ journeys: columns


def _parent_of(journey: m.Journey) -> dict[str, str]:
    """Step id -> its phase id (a phase is its own parent)."""
    out = {}
    for phase in journey.phases:
        out[phase.id] = phase.id
        for step in phase.steps:
            out.setdefault(step.id, phase.id)
    return out


def _covers(cells: dict, column: str, parent: dict[str, str]) -> bool:
    """Whether a lane has a cell in ``column``'s place on the grid: the same column, the
    phase a step belongs to (its cell spans the step), or a step of a phase."""
    if column in cells or parent.get(column) in cells:
        return True
    return any(parent.get(key) == column for key in cells)


def _lane(journey: m.Journey, kind: str) -> tuple[int, Any] | None:
    return next(((i, lane) for i, lane in enumerate(journey.lanes) if lane.kind == kind), None)


def _filled(value: Any) -> bool:
    return bool(value) and any(t.strip() for t in _texts(value))


def pain_point_measure(site: Site) -> Iterator[Finding]:
    for id_, journey in site.journeys.items():
        doc, _ = _origin(site, "journeys", id_)
        pains, measures = _lane(journey, "pain_points"), _lane(journey, "measures")
        if pains is None:
            continue
        cells = {k: v for k, v in measures[1].cells.items() if _filled(v)} if measures else {}
        parent = _parent_of(journey)
        for key, value in pains[1].cells.items():
            if _filled(value) and not _covers(cells, key, parent):
                yield _at("pain-point-measure", doc, ("lanes", pains[0], "cells", key),
                          f"a pain point in '{key}' with no measure in the same column "
                          "(add a 'measures' cell for it)", key=True)


def measure_owner(site: Site) -> Iterator[Finding]:
    for id_, journey in site.journeys.items():
        doc, _ = _origin(site, "journeys", id_)
        measures = _lane(journey, "measures")
        if measures is None:
            continue
        departments = _lane(journey, "departments")
        owned = {k: v for k, v in departments[1].cells.items() if v} if departments else {}
        owned |= {p.id: p.owners for p in journey.phases if p.owners}  # a phase's owners own its columns
        parent = _parent_of(journey)
        for key, value in measures[1].cells.items():
            if _filled(value) and not _covers(owned, key, parent):
                yield _at("measure-owner", doc, ("lanes", measures[0], "cells", key),
                          f"a measure in '{key}' with no owner department (name one in the 'departments' lane "
                          "or in the phase's owners)", key=True)


# ------------------------------------------------------------------ catalog use


def _kpi_uses(site: Site) -> set[str]:
    used: set[str] = set()
    for journey in site.journeys.values():
        used.update(journey.kpis)
        for lane in journey.lanes:
            if lane.kind == "kpis":
                used.update(i for ids in lane.cells.values() for i in ids)
    for roadmap in site.roadmaps.values():
        for stage in roadmap.stages:
            used.update(c.metric for c in stage.checkpoints if c.metric)
        used.update(a.condition.metric for a in roadmap.actions if a.condition and a.condition.metric)
    # The two lowest rungs measure the roadmap's own tasks and actions (how many were done):
    # a roadmap with tasks, or with actions, is what they measure.
    tasks = any(getattr(s.tasks, lane) for r in site.roadmaps.values() for s in r.stages for lane in m.TASK_LANES)
    actions = any(r.actions for r in site.roadmaps.values())
    used.update(id_ for id_, kpi in site.kpis.items()
                if kpi.rung == "standard_tasks" and tasks or kpi.rung == "guided_actions" and actions)
    return used


def kpi_used(site: Site) -> Iterator[Finding]:
    used = _kpi_uses(site)
    for id_ in site.kpis:
        if id_ not in used:
            doc, path = _origin(site, "kpis", id_)
            yield _at("kpi-used", doc, path + ("id",),
                      f"KPI '{id_}' is used by no journey, stage or action (put it in a journey's 'kpis' lane, "
                      "a stage's checkpoints or an action's condition, or remove it)")


def stage_checkpoint(site: Site) -> Iterator[Finding]:
    for id_, roadmap in site.roadmaps.items():
        doc, _ = _origin(site, "roadmaps", id_)
        for si, stage in enumerate(roadmap.stages):
            if not stage.checkpoints:
                yield _at("stage-checkpoint", doc, ("stages", si, "id"),
                          f"stage '{stage.id}' has no checkpoint (how would you know it is reached?)")


def challenge_condition(site: Site) -> Iterator[Finding]:
    for id_, roadmap in site.roadmaps.items():
        doc, _ = _origin(site, "roadmaps", id_)
        for ai, action in enumerate(roadmap.actions):
            if action.kind == "challenge" and action.condition is None:
                yield _at("challenge-condition", doc, ("actions", ai, "trigger"),
                          f"challenge action '{action.id}' has no measurable condition (add 'condition' with a "
                          "metric, so the risk can be watched)")


def persona_in_journey(site: Site) -> Iterator[Finding]:
    drawn = {p for journey in site.journeys.values() for p in journey.personas}
    for id_ in site.personas:
        if id_ not in drawn:
            doc, path = _origin(site, "personas", id_)
            yield _at("persona-in-journey", doc, path + ("id",),
                      f"persona '{id_}' appears in no journey (add it to a journey's 'personas')")


def journey_in_roadmap(site: Site) -> Iterator[Finding]:
    if not site.roadmaps:
        return
    mapped = {ref.partition("/")[0] for roadmap in site.roadmaps.values()
              for stage in roadmap.stages for ref in stage.phases}
    for id_ in site.journeys:
        if id_ not in mapped:
            doc, path = _origin(site, "journeys", id_)
            yield _at("journey-in-roadmap", doc, path + ("id",),
                      f"journey '{id_}' maps to no roadmap stage (add '{id_}' or '{id_}/<phase>' to a stage's "
                      "'phases')")


# ------------------------------------------------------------------ emotions

# Words whose feeling is plain in any context; a label holding words of both kinds, or a
# negation ("不安が解消", "no longer worried"), is never flagged: the rule only catches the
# obvious slip of a sign (a 前向き on -1). Kept short on purpose: a false finding costs trust.
POSITIVE_JA = ("前向き", "期待", "安心", "満足", "嬉しい", "うれしい", "楽しい", "喜び", "信頼", "納得", "わくわく",
               "ワクワク", "感動", "快適", "達成感", "好感", "ほっと", "ホッと", "希望")
NEGATIVE_JA = ("期待外れ", "期待はずれ", "不満足", "不安", "不満", "困惑", "混乱", "苛立", "イライラ", "怒り", "失望",
               "がっかり", "面倒", "心配", "焦り", "不信", "疲れ", "後悔", "落胆", "ストレス", "戸惑", "憂鬱", "負担", "諦め",
               "後ろ向き", "モヤモヤ", "もやもや")
POSITIVE_EN = ("hopeful", "happy", "excited", "relieved", "satisfied", "confident", "pleased", "delighted", "glad",
               "optimistic", "positive", "enthusiastic", "grateful", "proud", "curious", "eager", "reassured")
NEGATIVE_EN = ("anxious", "frustrated", "confused", "angry", "disappointed", "worried", "annoyed", "unsure",
               "stressed", "overwhelmed", "upset", "negative", "afraid", "sceptical", "skeptical", "irritated",
               "tired", "lost", "unhappy", "nervous", "doubtful")
NEGATIONS_JA = ("ない", "なく", "なし", "無し", "無い", "ず", "解消", "消え", "減", "和ら", "薄れ", "不要", "フリー")
NEGATIONS_EN = ("not", "no", "never", "less", "without", "longer", "n't", "hardly", "barely")
_EN_WORD = re.compile(r"[a-z']+")


def feeling(label: str) -> int:
    """+1 or -1 when every feeling word in ``label`` is of one kind, 0 when unclear."""
    lowered = label.lower()
    words = set(_EN_WORD.findall(lowered))
    if any(n in label for n in NEGATIONS_JA) or words & set(NEGATIONS_EN) or "n't" in lowered:
        return 0
    bad = any(w in label for w in NEGATIVE_JA) or bool(words & set(NEGATIVE_EN))
    rest = label  # 期待外れ and 不満足 hold 期待 and 満足: a negative word is not read as a positive one too
    for w in NEGATIVE_JA:
        rest = rest.replace(w, " ")
    good = any(w in rest for w in POSITIVE_JA) or bool(words & set(POSITIVE_EN))
    return 0 if good == bad else (1 if good else -1)


def emotion_label(site: Site) -> Iterator[Finding]:
    for id_, journey in site.journeys.items():
        doc, _ = _origin(site, "journeys", id_)
        for li, lane in enumerate(journey.lanes):
            if lane.kind != "emotions":
                continue
            for key, emotion in lane.cells.items():
                if not emotion.score:  # zero, or a feeling in words only
                    continue
                for text in _texts(emotion.label):
                    sign = feeling(text)
                    if sign and (sign > 0) != (emotion.score > 0):
                        yield _at("emotion-label", doc, ("lanes", li, "cells", key, "label"),
                                  f"the label '{text}' reads {'positive' if sign > 0 else 'negative'} but the score "
                                  f"is {emotion.score:+d} (fix the score or the label)")
                        break


# ------------------------------------------------------------------ catalog entries nobody uses


def touchpoint_used(site: Site) -> Iterator[Finding]:
    used = {t for journey in site.journeys.values() for lane in journey.lanes if lane.kind == "touchpoints"
            for ids in lane.cells.values() for t in ids}
    for id_ in site.touchpoints:
        if id_ not in used:
            doc, path = _origin(site, "touchpoints", id_)
            yield _at("touchpoint-used", doc, path + ("id",),
                      f"touchpoint '{id_}' appears in no journey (add it to a journey's 'touchpoints' lane, or "
                      "remove it)")


def _owners(site: Site) -> set[str]:
    owners: set[str] = set()
    for collection in ("touchpoints", "kpis", "personas"):
        owners.update(e.owner for e in getattr(site, collection).values() if e.owner)
    for journey in site.journeys.values():
        owners.add(journey.owner)
        owners.update(o for phase in journey.phases for o in phase.owners)
        for lane in journey.lanes:
            if lane.kind == "departments":
                owners.update(d for ids in lane.cells.values() for d in ids)
    for roadmap in site.roadmaps.values():
        owners.add(roadmap.owner)
        owners.update(a.department for a in roadmap.actions)
        owners.update(p for a in roadmap.actions for p in a.partners)
        for stage in roadmap.stages:
            for lane in m.TASK_LANES:
                owners.update(t.department for t in getattr(stage.tasks, lane) if t.department)
                owners.update(p for t in getattr(stage.tasks, lane) for p in t.partners)
    return owners


def department_owns(site: Site) -> Iterator[Finding]:
    owners = _owners(site)
    for id_ in site.departments:
        if id_ not in owners:
            doc, path = _origin(site, "departments", id_)
            yield _at("department-owns", doc, path + ("id",),
                      f"department '{id_}' owns nothing: no journey, phase, lane cell, touchpoint, KPI, persona, "
                      "task or action names it")


# ------------------------------------------------------------------ running them

RULES: dict[str, Callable[[Site], Iterator[Finding]]] = {
    "pain-point-measure": pain_point_measure,
    "measure-owner": measure_owner,
    "kpi-used": kpi_used,
    "stage-checkpoint": stage_checkpoint,
    "challenge-condition": challenge_condition,
    "persona-in-journey": persona_in_journey,
    "journey-in-roadmap": journey_in_roadmap,
    "emotion-label": emotion_label,
    "touchpoint-used": touchpoint_used,
    "department-owns": department_owns,
}


def settings(configured: Any) -> tuple[dict[str, str], list[str]]:
    """Each rule's severity from mkdocs.yml's ``checks`` (default ``warn``), and the errors
    in that setting (an unknown rule or severity), worded for the writer."""
    chosen = {rule: "warn" for rule in RULES}
    errors: list[str] = []
    if configured is None:
        return chosen, errors
    if not isinstance(configured, dict):
        return chosen, ["checks: expected a mapping of rule ids (or 'default') to warn, error or off"]
    configured = {rule: _word(v) for rule, v in configured.items()}
    default = configured.get("default", "warn")
    if default not in SEVERITIES:
        errors.append(f"checks.default: expected one of warn, error, off, found '{default}'")
    else:
        chosen = {rule: default for rule in RULES}
    for rule, severity in configured.items():
        if rule == "default":
            continue
        if rule not in RULES:
            errors.append(f"checks: unknown rule '{rule}'; {suggest(str(rule), RULES)}")
        elif severity not in SEVERITIES:
            errors.append(f"checks.{rule}: expected one of warn, error, off, found '{severity}'")
        else:
            chosen[rule] = severity
    return chosen, errors


def _word(severity: Any) -> Any:
    """YAML 1.1 (MkDocs' loader) reads a bare ``off`` as false."""
    return "off" if severity is False else severity


def run(site: Site, chosen: dict[str, str] | None = None) -> list[tuple[str, Finding]]:
    """(severity, finding) for every rule that is not off, sorted by place."""
    chosen = chosen or {rule: "warn" for rule in RULES}
    found = [(chosen[rule], f) for rule, check in RULES.items() if chosen.get(rule, "warn") != "off"
             for f in check(site)]
    return sorted(found, key=lambda pair: pair[1])


def summary(found: list[tuple[str, Finding]]) -> str:
    count = len(found)
    errors = sum(1 for severity, _ in found if severity == "error")
    rules = len({f.rule for _, f in found})
    text = f"{count} finding{'s' if count != 1 else ''} from {rules} rule{'s' if rules != 1 else ''}"
    return text + (f", {errors} of them error{'s' if errors != 1 else ''}" if errors else "")
