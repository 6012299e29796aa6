"""The cross-reference index: for every entity, everything that mentions it.

Built once from the validated ``Site``; pages read it to link back to their users. Also
finds ``kind:id`` references written by hand in Markdown pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tabiji.core import model as m
from tabiji.core.problems import Position, Problem, suggest
from tabiji.source.validate import Site

# Markdown written by hand refers to entities as [text](journey:id); ![](journey:id) embeds.
REF_KINDS = {"journey": "journeys", "persona": "personas", "department": "departments", "kpi": "kpis",
             "touchpoint": "touchpoints", "segment": "segments", "channel": "channels", "roadmap": "roadmaps",
             "role": "roles"}
REF_PATTERN = re.compile(r"(!?)\[([^\]\n]*)\]\((" + "|".join(REF_KINDS) + r"):([^)\s#]*)(#[^)\s]*)?\)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_META_TITLE = re.compile(r"\A---\s*\n(?:.*\n)*?title:\s*(.+?)\s*\n(?:.*\n)*?---", re.MULTILINE)


@dataclass(frozen=True, order=True)
class Usage:
    """One place in a journey that refers to an entity."""

    journey: str
    phase: str  # '' when the reference is on the journey itself
    column: str  # the phase or step id the cell is attached to ('' for journey level)
    role: str  # 'owner', 'phase_owner', 'persona', 'segment', or a lane kind


@dataclass(frozen=True, order=True)
class RoadmapUsage:
    """One place in a roadmap that refers to an entity."""

    roadmap: str
    stage_no: int  # the stage's position (stages are in time order); -1 for the roadmap itself
    stage: str  # '' when the reference is on the roadmap itself
    kind: str  # 'roadmap', 'stage', 'checkpoint', 'task', 'action'
    item: str  # the task or action id ('' for a roadmap or a stage)
    role: str  # 'owner', 'persona', 'segment', 'department', 'role', 'metric', 'phase', or a task lane


@dataclass(frozen=True, order=True)
class Mention:
    """A hand-written page that links to an entity."""

    doc: str  # docs-relative path of the page
    title: str


@dataclass
class Index:
    usages: dict[tuple[str, str], list[Usage]] = field(default_factory=lambda: defaultdict(list))
    personas_by_segment: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    personas_by_kpi: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    touchpoints_by_channel: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    touchpoints_by_owner: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    kpis_by_owner: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[tuple[str, str], list[Mention]] = field(default_factory=lambda: defaultdict(list))
    # (collection, id) -> places in roadmaps; journeys are keyed by 'journey' and 'journey/phase'
    roadmap_usages: dict[tuple[str, str], list[RoadmapUsage]] = field(default_factory=lambda: defaultdict(list))

    def used(self, collection: str, id_: str) -> list[Usage]:
        return self.usages.get((collection, id_), [])

    def journeys_using(self, collection: str, id_: str) -> list[str]:
        return sorted({u.journey for u in self.used(collection, id_)})

    def in_roadmaps(self, collection: str, id_: str) -> list[RoadmapUsage]:
        return self.roadmap_usages.get((collection, id_), [])


_LANE_COLLECTION = {"touchpoints": "touchpoints", "departments": "departments", "kpis": "kpis"}


def build_index(site: Site) -> Index:
    index = Index()
    for journey in site.journeys.values():
        phase_of = {}
        for phase in journey.phases:
            phase_of[phase.id] = phase.id
            for step in phase.steps:
                phase_of[step.id] = phase.id
        for persona in journey.personas:
            index.usages[("personas", persona)].append(Usage(journey.id, "", "", "persona"))
        for segment in journey.segments:
            index.usages[("segments", segment)].append(Usage(journey.id, "", "", "segment"))
        index.usages[("departments", journey.owner)].append(Usage(journey.id, "", "", "owner"))
        for kpi in journey.kpis:  # the journey's goal is measured by it
            index.usages[("kpis", kpi)].append(Usage(journey.id, "", "", "goal_kpi"))
        for phase in journey.phases:
            for owner in phase.owners:
                index.usages[("departments", owner)].append(Usage(journey.id, phase.id, phase.id, "phase_owner"))
        for lane in journey.lanes:
            collection = _LANE_COLLECTION.get(lane.kind)
            if not collection:
                continue
            for column, refs in lane.cells.items():
                for ref in refs:
                    index.usages[(collection, ref)].append(Usage(journey.id, phase_of[column], column, lane.kind))
    for persona in site.personas.values():
        for segment in persona.segments:
            index.personas_by_segment[segment].append(persona.id)
        for kpi in persona.kpis:
            index.personas_by_kpi[kpi].append(persona.id)
    for tp in site.touchpoints.values():
        if tp.channel:
            index.touchpoints_by_channel[tp.channel].append(tp.id)
        if tp.owner:
            index.touchpoints_by_owner[tp.owner].append(tp.id)
    for kpi in site.kpis.values():
        if kpi.owner:
            index.kpis_by_owner[kpi.owner].append(kpi.id)
    for roadmap in site.roadmaps.values():
        _index_roadmap(index, roadmap)
    for usages in index.usages.values():
        usages.sort()
    for found in index.roadmap_usages.values():
        found.sort()
    return index


def _index_roadmap(index: Index, roadmap: m.Roadmap) -> None:
    def add(collection: str, id_: str | None, no: int, stage: str, kind: str, item: str, role: str) -> None:
        if id_:
            index.roadmap_usages[(collection, id_)].append(RoadmapUsage(roadmap.id, no, stage, kind, item, role))

    add("departments", roadmap.owner, -1, "", "roadmap", "", "owner")
    for persona in roadmap.personas:
        add("personas", persona, -1, "", "roadmap", "", "persona")
    for segment in roadmap.segments:
        add("segments", segment, -1, "", "roadmap", "", "segment")
    stage_no = {stage.id: no for no, stage in enumerate(roadmap.stages)}
    for no, stage in enumerate(roadmap.stages):
        for ref in stage.phases:  # both 'journey/phase' and the journey as a whole
            add("journeys", ref, no, stage.id, "stage", "", "phase")
            if "/" in ref:
                add("journeys", ref.split("/")[0], no, stage.id, "stage", "", "phase")
        for checkpoint in stage.checkpoints:
            add("kpis", checkpoint.metric, no, stage.id, "checkpoint", "", "metric")
        for lane in m.TASK_LANES:
            for task in getattr(stage.tasks, lane):
                add("departments", task.department, no, stage.id, "task", task.id, lane)
                for partner in task.partners:  # the department pages list it for each team
                    add("departments", partner, no, stage.id, "task", task.id, lane)
                add("roles", task.role, no, stage.id, "task", task.id, lane)
    for action in roadmap.actions:  # a roadmap-wide action (no stage: '') comes after the stages
        no = stage_no.get(action.stage, len(roadmap.stages)) if action.stage else len(roadmap.stages)
        stage = action.stage or ""
        add("departments", action.department, no, stage, "action", action.id, action.kind)
        for partner in action.partners:
            add("departments", partner, no, stage, "action", action.id, action.kind)
        add("roles", action.role, no, stage, "action", action.id, action.kind)
        if action.condition:
            add("kpis", action.condition.metric, no, stage, "action", action.id, action.kind)


@dataclass(frozen=True)
class Reference:
    """``[text](kind:id)`` in a hand-written page."""

    embed: bool
    text: str
    collection: str
    id: str
    fragment: str
    start: int
    end: int
    position: Position


def find_references(markdown: str) -> list[Reference]:
    """Entity references in Markdown, outside fenced code blocks and inline code."""
    found = []
    fence = ""
    offset = 0
    for number, line in enumerate(markdown.splitlines(keepends=True), 1):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        elif "](" in line:
            code = [(m_.start(), m_.end()) for m_ in re.finditer(r"`+[^`]*`+", line)]
            for match in REF_PATTERN.finditer(line):
                if any(a <= match.start() < b for a, b in code):
                    continue
                bang, text, kind, id_, fragment = match.groups()
                found.append(Reference(bool(bang), text, REF_KINDS[kind], id_, fragment or "",
                                       offset + match.start(), offset + match.end(),
                                       Position(number, match.start() + 1)))
        offset += len(line)
    return found


def check_references(doc_file: str, references: list[Reference], site: Site) -> list[Problem]:
    """Unknown ids in hand-written pages, located, with the closest valid ids."""
    problems = []
    for ref in references:
        known = getattr(site, ref.collection)
        kind = next(k for k, c in REF_KINDS.items() if c == ref.collection)
        if not site.knows(ref.collection, ref.id):
            problems.append(Problem(doc_file, ref.position, f"link to {kind}:{ref.id}", f"the id of a {kind}",
                                    f"unknown {kind} '{ref.id}'", suggest(ref.id, known)))
        elif ref.embed and ref.collection != "journeys":
            problems.append(Problem(doc_file, ref.position, f"embed of {kind}:{ref.id}",
                                    "a journey id (only journeys can be embedded with ![](journey:id))",
                                    f"a {kind}"))
    return problems


def journeys_for_persona(site: Site, persona_id: str) -> list[m.Journey]:
    return [j for j in site.journeys.values() if persona_id in j.personas]


def read_references(docs_dir: Path) -> dict[str, tuple[list[Reference], str]]:
    """Hand-written pages that refer to entities: docs path -> (references, page title)."""
    found = {}
    for file in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        rel = file.relative_to(docs_dir)
        if any((docs_dir / part).is_symlink() for part in (rel, *rel.parents[:-1])):
            continue  # refused with a location by the build and validate; never read through
        text = file.read_text(encoding="utf-8-sig", errors="replace")
        refs = find_references(text)
        if refs:
            match = _META_TITLE.search(text) or _TITLE.search(text)
            title = match.group(1).strip("\"'") if match else file.stem
            found[file.relative_to(docs_dir).as_posix()] = (refs, title)
    return found
