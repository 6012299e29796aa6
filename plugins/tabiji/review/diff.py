"""The semantic diff: what a change does to the map, in words, and which departments it touches.

``diff_sites(base, head)`` compares two validated sites entity by entity (never YAML line by
line) and returns ``Change`` records in a stable order: documents by kind and id, and inside
a document in the order a reader meets things (fields, phases, steps, lanes and cells; stages,
tasks, guided actions). ``render`` turns them into text, Markdown or JSON in ja or en.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from pydantic import BaseModel

from tabiji.core import model as m
from tabiji.core.names import shown
from tabiji.review.codeowners import concerned
from tabiji.render.evidence import evidence_words
from tabiji.core.labels import labels_for, package_labels
from tabiji.core.lang import localize
from tabiji.render.text import display_width
from tabiji.source.validate import CATALOGS, Site

# Documents in the order a reviewer reads them: maps first, catalogs last.
DOCUMENTS = ("journeys", "roadmaps", "personas") + CATALOGS
JSON_SCHEMA = "tabiji-diff/1"
MARKER = "<!-- tabiji-diff -->"  # the pull-request workflow finds its comment by this
SHORT = 80  # longer values are cut in messages (display columns)

# Which fields hold ids of other entities, by model: their changes are told as added/removed
# entities (named), and the departments among them are routed.
REFS: dict[type, dict[str, str]] = {
    m.Journey: {"personas": "personas", "segments": "segments", "owner": "departments", "kpis": "kpis"},
    m.Persona: {"segments": "segments", "kpis": "kpis", "owner": "departments"},
    m.Phase: {"owners": "departments"},
    m.Touchpoint: {"channel": "channels", "owner": "departments"},
    m.Kpi: {"owner": "departments"},
    m.GlossaryTerm: {"see": "glossary"},
    m.Roadmap: {"personas": "personas", "segments": "segments", "owner": "departments"},
    m.Task: {"department": "departments", "role": "roles", "partners": "departments"},
    m.GuidedAction: {"department": "departments", "role": "roles", "stage": "stages", "partners": "departments"},
    m.Condition: {"metric": "kpis"},
    m.Checkpoint: {"metric": "kpis"},
}
NAME_FIELDS = ("name", "title", "term")


@dataclass(frozen=True)
class Part:
    """One step of the way from a document to what changed in it (a phase, a lane cell...)."""

    kind: str  # phase, step, lane, cell, stage, task, action
    id: str
    name: Any  # the writer's text (one per language, or plain)


@dataclass(frozen=True)
class Change:
    collection: str  # of the document or catalog entry
    id: str
    name: Any
    file: str
    where: tuple[Part, ...]
    what: str  # added, removed, renamed, id_changed, changed, moved
    field: str = ""  # for 'changed': the field (score, goal, owners, ...)
    before: Any = None  # the old value (text, number, or an id when ``refs`` is set)
    after: Any = None
    added: tuple = ()  # items or ids added to a list field
    removed: tuple = ()
    refs: str = ""  # the collection the ids in before/after/added/removed belong to
    departments: tuple[str, ...] = ()


# ------------------------------------------------------------------ comparing


def _value(v: Any) -> Any:
    """A field's value as shown in a message: text (or one text per language), or a number."""
    if v is None or isinstance(v, (str, dict, int, float)) and not isinstance(v, bool):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, (m.Condition, m.Checkpoint)) and (m.is_event(v) or v.change is not None):
        return _condition_words(v)
    if isinstance(v, (m.Condition, m.Checkpoint)):
        unit = f" {v.unit}" if v.unit else ""
        value = f"{v.value:g}" if m.decided(v.value) else _value(v.value)
        return f"{v.metric} {v.comparison} {value}{unit}"
    if isinstance(v, m.Undecided):
        return f"undecided ({localize(v.undecided, 'en')})"
    if isinstance(v, m.Link):
        return f"{localize(v.title, 'en')} <{v.url}>"
    if isinstance(v, BaseModel):
        return json.dumps(v.model_dump(mode="json", exclude_none=True), ensure_ascii=False, sort_keys=True)
    if isinstance(v, list):
        return [_value(x) for x in v]
    return str(v)


def _condition_words(v: m.Condition) -> dict[str, str]:
    """An event or a change in both languages: '出来事：初期設定完了', 'dau ↘ down by 30 %'."""
    out = {}
    for lang in ("ja", "en"):
        t = labels_for(lang)
        if m.is_event(v):
            what = localize(v.event, lang) if v.event is not None else f"task {v.task}"  # type: ignore[attr-defined]
            text = t["cond.absent" if v.happened is False else "cond.event"].format(event=what)
            if v.event is not None and getattr(v, "task", None):
                text += t["cond.task"].format(task=v.task)  # type: ignore[attr-defined]
        else:
            by = "" if v.by is None else f"{v.by:g}" if m.decided(v.by) else str(_value(v.by))
            unit = f" {v.unit}" if v.unit and by else ""
            text = f"{v.metric} " + t[f"cond.{v.change}" + (".by" if by else "")].replace("{by}", by + unit)
        if v.window:
            text += t["window"].format(window=localize(v.window, lang))
        out[lang] = text
    return out


def _items(v: Any) -> list:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _key(v: Any) -> str:
    return json.dumps(_value(v), ensure_ascii=False, sort_keys=True)


@dataclass
class _Doc:
    """Collects the changes of one document (or catalog entry)."""

    collection: str
    id: str
    name: Any
    file: str
    changes: list[Change] = field(default_factory=list)

    def add(self, where: tuple[Part, ...], what: str, departments: Iterable[str], **kw: Any) -> None:
        self.changes.append(Change(self.collection, self.id, self.name, self.file, where, what,
                                   departments=tuple(sorted(set(d for d in departments if d))), **kw))

    def fields(self, where: tuple[Part, ...], a: BaseModel, b: BaseModel, skip: Iterable[str],
               departments: Iterable[str], prefix: str = "") -> None:
        """One change per field that differs: renamed, changed from → to, or items added/removed."""
        departments = tuple(departments)
        refs = REFS.get(type(b), {})
        for name in type(b).model_fields:
            if name in skip:
                continue
            va, vb = getattr(a, name, None), getattr(b, name, None)
            if va == vb:
                continue
            if name == "checkpoints":  # evidence changes said on their own (issue 13), the rest as before
                va, vb = _checkpoint_evidence(self, where, va, vb, departments)
                if va == vb:
                    continue
            label = prefix + name
            if isinstance(va, BaseModel) and isinstance(vb, BaseModel) and type(va) is type(vb) \
                    and not isinstance(vb, m.Condition):
                self.fields(where, va, vb, (), departments, label + ".")
            elif name == "extra":  # the writer's own facts: one change per label
                for key in list(vb) + [k for k in va if k not in vb]:
                    if va.get(key) != vb.get(key):
                        self.add(where, "changed", departments, field=f"{label}[{key}]",
                                 before=_value(va.get(key)), after=_value(vb.get(key)))
            elif name in NAME_FIELDS and not prefix:
                self.add(where, "renamed", departments, field=label, before=_value(va), after=_value(vb))
            elif isinstance(va, list) or isinstance(vb, list):
                old, new = _items(va), _items(vb)
                old_keys, new_keys = [_key(x) for x in old], [_key(x) for x in new]
                added = tuple(_value(x) for x, k in zip(new, new_keys) if k not in old_keys)
                removed = tuple(_value(x) for x, k in zip(old, old_keys) if k not in new_keys)
                if not added and not removed:  # same items, new order
                    self.add(where, "changed", departments, field=label, before=_value(old), after=_value(new),
                             refs=refs.get(name, ""))
                else:
                    self.add(where, "changed", departments, field=label, added=added, removed=removed,
                             refs=refs.get(name, ""))
            else:
                self.add(where, "changed", departments, field=label, before=_value(va), after=_value(vb),
                         refs=refs.get(name, "") if name != "stage" else "")


def _moved(old: list[str], new: list[str]) -> list[str]:
    """Ids (present in both) that changed place: those outside the longest common order."""
    common = set(old) & set(new)
    a, b = [i for i in old if i in common], [i for i in new if i in common]
    kept: set[str] = set()
    for block in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks():
        kept.update(a[block.a:block.a + block.size])
    return [i for i in b if i not in kept]


def _same_but_id(a: BaseModel, b: BaseModel) -> bool:
    return a.model_dump(exclude={"id"}) == b.model_dump(exclude={"id"})


# ------------------------------------------------------------------ journeys


_column_memo: dict[int, tuple[m.Journey, dict[str, tuple[m.Phase, m.Step | None]]]] = {}


def _columns(j: m.Journey) -> dict[str, tuple[m.Phase, m.Step | None]]:
    """Column id -> (phase, step), computed once per journey during a diff: asked per cell,
    it made a 1,000-phase rewrite quadratic."""
    hit = _column_memo.get(id(j))
    if hit is not None and hit[0] is j:
        return hit[1]
    found: dict[str, tuple[m.Phase, m.Step | None]] = {}
    for phase in j.phases:
        found[phase.id] = (phase, None)
        for step in phase.steps:
            found[step.id] = (phase, step)
    _column_memo[id(j)] = (j, found)
    return found


def _column_name(j: m.Journey, column: str) -> Any:
    phase, step = _columns(j).get(column, (None, None))
    if phase is None:
        return column
    if step is None:
        return phase.name
    return {lang: f"{localize(phase.name, lang)} › {localize(step.name, lang)}" for lang in ("ja", "en")}


def _column_departments(j: m.Journey | None, column: str) -> set[str]:
    """Who answers for a column: the journey's owner, the phase's owners, and the
    departments lane's cells at the column, its phase and its steps."""
    if j is None:
        return set()
    found = {j.owner}
    phase, _ = _columns(j).get(column, (None, None))
    near = {column}
    if phase is not None:
        found |= set(phase.owners)
        near |= {phase.id} | ({s.id for s in phase.steps} if column == phase.id else set())
    for lane in j.lanes:
        if lane.kind == "departments":
            for col in near:
                found |= set(lane.cells.get(col, []))
    return found


def _lane_key(lane: Any) -> str:
    if lane.kind != "text":
        return lane.kind
    return "text:" + json.dumps(lane.title, ensure_ascii=False, sort_keys=True)


def _lane_name(lane: Any) -> Any:
    if lane.title is not None:
        return lane.title
    return {lang: labels_for(lang)[f"lane.{lane.kind}"] for lang in ("ja", "en")}


def _catalog_owners(site: Site, collection: str, ids: Iterable[str]) -> set[str]:
    """Owners of touchpoints or KPIs (a change to where they are used concerns them too)."""
    if collection == "departments":
        return set(ids)
    table = getattr(site, collection, {}) if collection in ("touchpoints", "kpis") else {}
    return {table[i].owner for i in ids if i in table and table[i].owner}


def _pairs(a: dict[str, Any], b: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(id, before or None, after or None): the head's ids in its order, then the removed ones."""
    for id_ in list(b) + [i for i in a if i not in b]:
        yield id_, a.get(id_), b.get(id_)


def _compare(doc: _Doc, where: tuple[Part, ...], old: BaseModel | None, new: BaseModel | None,
             departments: set[str], skip: tuple[str, ...], **kw: Any) -> None:
    """Added, removed, or one change per field that differs (``kw`` describes an addition or removal)."""
    if old is None:
        doc.add(where, "added", departments, **kw)
    elif new is None:
        doc.add(where, "removed", departments, **kw)
    else:
        doc.fields(where, old, new, skip, departments)


def _journey(doc: _Doc, a: m.Journey, b: m.Journey, base: Site, head: Site) -> None:
    owners = {a.owner, b.owner}
    doc.fields((), a, b, ("id", "phases", "lanes"), owners)
    pa, pb = {p.id: p for p in a.phases}, {p.id: p for p in b.phases}
    for pid, old, new in _pairs(pa, pb):
        where = (Part("phase", pid, (new or old).name),)
        depts = owners | set(old.owners if old else ()) | set(new.owners if new else ())
        _compare(doc, where, old, new, depts, ("id", "steps"))
    order_a, order_b = [p.id for p in a.phases], [p.id for p in b.phases]
    for pid in _moved(order_a, order_b):
        doc.add((Part("phase", pid, pb[pid].name),), "moved", owners | set(pb[pid].owners),
                before=order_a.index(pid) + 1, after=order_b.index(pid) + 1)
    _steps(doc, a, b, owners)
    _lanes(doc, a, b, base, head)


def _steps(doc: _Doc, a: m.Journey, b: m.Journey, owners: set[str]) -> None:
    sa = {s.id: (p, s) for p in a.phases for s in p.steps}
    sb = {s.id: (p, s) for p in b.phases for s in p.steps}
    for sid, old, new in _pairs(sa, sb):
        phase, step = new or old
        where = (Part("phase", phase.id, phase.name), Part("step", sid, step.name))
        depts = owners | _column_departments(a if old else None, sid) | _column_departments(b if new else None, sid)
        _compare(doc, where, old and old[1], new and new[1], depts, ("id",))
        if old and new and old[0].id != new[0].id:
            doc.add(where, "moved", depts, field="phase", before=old[0].name, after=new[0].name)
    for phase in b.phases:
        before = next((p for p in a.phases if p.id == phase.id), None)
        if before is None:
            continue
        for sid in _moved([s.id for s in before.steps], [s.id for s in phase.steps]):
            doc.add((Part("phase", phase.id, phase.name), Part("step", sid, sb[sid][1].name)), "moved",
                    owners | _column_departments(b, sid),
                    before=[s.id for s in before.steps].index(sid) + 1,
                    after=[s.id for s in phase.steps].index(sid) + 1)


def _cell_value(kind: str, cell: Any) -> Any:
    if cell is None:
        return None
    if kind == "emotions":
        if cell.label:
            return {lang: f"{_score(cell.score)} {localize(cell.label, lang)}" for lang in ("ja", "en")}
        return _score(cell.score)
    return _value(cell)


def _score(n: int | None) -> str:
    return "–" if n is None else (f"{n:+d}" if n else "0")  # None: the feeling in words only


def _lanes(doc: _Doc, a: m.Journey, b: m.Journey, base: Site, head: Site) -> None:
    la, lb = {_lane_key(x): x for x in a.lanes}, {_lane_key(x): x for x in b.lanes}
    columns = list(_columns(b)) + [c for c in _columns(a) if c not in _columns(b)]
    for _key, old, new in _pairs(la, lb):
        lane = new or old
        where = (Part("lane", lane.kind, _lane_name(lane)),)
        if old is None or new is None:
            cells = (new or old).cells
            depts = {a.owner, b.owner}.union(*(_column_departments(b if new else a, c) for c in cells))
            doc.add(where, "added" if old is None else "removed", depts)
            continue
        if old.title != new.title:
            doc.add(where, "renamed", {a.owner, b.owner}, field="title", before=_lane_name(old),
                    after=_lane_name(new))
        for column in [c for c in columns if c in old.cells or c in new.cells] + \
                sorted((old.cells.keys() | new.cells.keys()) - set(columns)):
            ca, cb = old.cells.get(column), new.cells.get(column)
            if ca == cb:
                continue
            name = _column_name(b if column in _columns(b) else a, column)
            here = where + (Part("cell", column, name),)
            depts = _column_departments(a, column) | _column_departments(b, column)
            if lane.kind in ("touchpoints", "kpis", "departments"):
                ids_a, ids_b = list(ca or []), list(cb or [])
                added = tuple(i for i in ids_b if i not in ids_a)
                removed = tuple(i for i in ids_a if i not in ids_b)
                depts |= _catalog_owners(head, lane.kind, added) | _catalog_owners(base, lane.kind, removed)
                if added or removed:
                    doc.add(here, "changed", depts, field="cells", added=added, removed=removed, refs=lane.kind)
                else:
                    doc.add(here, "changed", depts, field="order", before=ids_a, after=ids_b, refs=lane.kind)
            elif ca is None or cb is None:
                doc.add(here, "added" if ca is None else "removed", depts,
                        field="score" if lane.kind == "emotions" else "",
                        before=_cell_value(lane.kind, ca), after=_cell_value(lane.kind, cb))
            elif lane.kind == "emotions":
                if ca.score != cb.score:
                    doc.add(here, "changed", depts, field="score", before=_score(ca.score), after=_score(cb.score))
                doc.fields(here, ca, cb, ("score",), depts)
            elif isinstance(ca, list) or isinstance(cb, list):
                old_items, new_items = _items(ca), _items(cb)
                doc.add(here, "changed", depts, field="text",
                        added=tuple(_value(x) for x in new_items if x not in old_items),
                        removed=tuple(_value(x) for x in old_items if x not in new_items))
            else:
                doc.add(here, "changed", depts, field="text", before=_value(ca), after=_value(cb))
        if getattr(old, "people", None) != getattr(new, "people", None):
            _people(doc, where, a, b, old.people, new.people)
        _lane_evidence(doc, where, old, new, a, b, columns)  # evidence (issue 13)


def _people(doc: _Doc, where: tuple[Part, ...], a: m.Journey, b: m.Journey,
            old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> None:
    """The people beside a department in a cell: one change per department ('people[cs]')."""
    for column in list(new) + [c for c in old if c not in new]:
        pa, pb = old.get(column, {}), new.get(column, {})
        name = _column_name(b if column in _columns(b) else a, column)
        for dept in list(pb) + [d for d in pa if d not in pb]:
            if pa.get(dept) != pb.get(dept):
                doc.add(where + (Part("cell", column, name),), "changed",
                        _column_departments(a, column) | _column_departments(b, column) | {dept},
                        field=f"people[{dept}]", before=_value(pa.get(dept)), after=_value(pb.get(dept)))


def _lane_evidence(doc: _Doc, where: tuple[Part, ...], old: Any, new: Any, a: m.Journey, b: m.Journey,
                   columns: list[str]) -> None:
    """One change per cell whose evidence changed: '仮説 → 検証済み'."""
    ea, eb = old.evidence, new.evidence
    if ea == eb:
        return
    for column in [c for c in columns if c in ea or c in eb] + sorted((ea.keys() | eb.keys()) - set(columns)):
        if ea.get(column) == eb.get(column):
            continue
        name = _column_name(b if column in _columns(b) else a, column)
        doc.add(where + (Part("cell", column, name),), "evidence",
                _column_departments(a, column) | _column_departments(b, column), field="evidence",
                before=evidence_words(ea.get(column)), after=evidence_words(eb.get(column)))


def _checkpoint_evidence(doc: _Doc, where: tuple[Part, ...], va: Any, vb: Any,
                         departments: Iterable[str]) -> tuple[list, list]:
    """Says the evidence changes of checkpoints kept from ``va`` to ``vb`` (matched by what
    they measure) and returns both lists without evidence, for the usual comparison."""
    old, new = list(va or []), list(vb or [])
    pending = {}
    for cp in old:
        pending.setdefault(_key(cp), []).append(cp)
    for cp in new:
        match = pending.get(_key(cp))
        if not match:
            continue
        before = match.pop(0)
        if getattr(before, "evidence", None) != getattr(cp, "evidence", None):
            name = cp.label or _value(cp)
            doc.add(where + (Part("checkpoint", _value(cp), name),), "evidence", departments, field="evidence",
                    before=evidence_words(before.evidence), after=evidence_words(cp.evidence))
    strip = lambda cps: [c.model_copy(update={"evidence": []}) if getattr(c, "evidence", None) else c  # noqa: E731
                         for c in cps]
    return strip(old), strip(new)


# ------------------------------------------------------------------ roadmaps


def _tasks(r: m.Roadmap) -> dict[str, tuple[m.Stage, str, m.Task]]:
    return {t.id: (s, lane, t) for s in r.stages for lane in m.TASK_LANES for t in getattr(s.tasks, lane)}


def _stage_departments(r: m.Roadmap | None, stage_id: str) -> set[str]:
    if r is None:
        return set()
    found = {r.owner}
    found |= {t.department for s, _, t in _tasks(r).values() if s.id == stage_id and t.department}
    found |= {x.department for x in r.actions if x.stage == stage_id}
    found |= {p for s, _, t in _tasks(r).values() if s.id == stage_id for p in t.partners}
    found |= {p for x in r.actions if x.stage == stage_id for p in x.partners}
    return found


def _roadmap(doc: _Doc, a: m.Roadmap, b: m.Roadmap) -> None:
    owners = {a.owner, b.owner}
    doc.fields((), a, b, ("id", "stages", "actions"), owners)
    sa, sb = {s.id: s for s in a.stages}, {s.id: s for s in b.stages}
    for sid, old, new in _pairs(sa, sb):
        where = (Part("stage", sid, (new or old).name),)
        depts = _stage_departments(a if old else None, sid) | _stage_departments(b if new else None, sid) | owners
        _compare(doc, where, old, new, depts, ("id", "tasks"))
    order_a, order_b = list(sa), list(sb)
    for sid in _moved(order_a, order_b):
        doc.add((Part("stage", sid, sb[sid].name),), "moved", owners,
                before=order_a.index(sid) + 1, after=order_b.index(sid) + 1)
    ta, tb = _tasks(a), _tasks(b)
    for tid, old, new in _pairs(ta, tb):
        stage, lane, task = new or old
        where = (Part("stage", stage.id, stage.name), Part("task", tid, task.name))
        depts = owners | {x[2].department for x in (old, new) if x and x[2].department} \
            | {p for x in (old, new) if x for p in x[2].partners}
        _compare(doc, where, old and old[2], new and new[2], depts, ("id",), field=lane)
        if old and new and (old[0].id, old[1]) != (new[0].id, new[1]):
            doc.add(where, "moved", depts, field="lane",
                    before=_stage_lane(old[0], old[1]), after=_stage_lane(new[0], new[1]))
    for stage in b.stages:
        before = sa.get(stage.id)
        for lane in m.TASK_LANES if before else ():
            ids_a = [t.id for t in getattr(before.tasks, lane)]
            ids_b = [t.id for t in getattr(stage.tasks, lane)]
            for tid in _moved(ids_a, ids_b):
                doc.add((Part("stage", stage.id, stage.name), Part("task", tid, tb[tid][2].name)), "moved",
                        owners | {tb[tid][2].department or ""}, before=ids_a.index(tid) + 1,
                        after=ids_b.index(tid) + 1)
    xa, xb = {x.id: x for x in a.actions}, {x.id: x for x in b.actions}
    for xid, old, new in _pairs(xa, xb):
        where = (Part("action", xid, (new or old).trigger),)
        depts = owners | {x.department for x in (old, new) if x} | {p for x in (old, new) if x for p in x.partners}
        _compare(doc, where, old, new, depts, ("id",), field=(new or old).kind)


def _stage_lane(stage: m.Stage, lane: str) -> dict[str, str]:
    return {lang: f"{localize(stage.name, lang)} › {labels_for(lang)['diff.lane.' + lane]}" for lang in ("ja", "en")}


# ------------------------------------------------------------------ sites


def _departments_of(collection: str, entity: Any) -> set[str]:
    if collection == "departments":
        return {entity.id}
    owner = getattr(entity, "owner", None)
    return {owner} if owner else set()


def diff_sites(base: Site, head: Site, context: Site | None = None) -> list[Change]:
    """Every change from ``base`` to ``head``, in a stable order.

    ``base`` and ``head`` may hold only the files that changed (a diff of git revisions, the
    history); ``context`` is then the whole head site, where catalog owners are looked up.
    """
    try:
        return _diff_sites(base, head, context)
    finally:
        _column_memo.clear()


def _diff_sites(base: Site, head: Site, context: Site | None) -> list[Change]:
    # where the owners of touchpoints and KPIs named in a cell are looked up
    owners_base, owners_head = (base, head) if context is None else \
        (_with_catalogs(base, context), _with_catalogs(head, context))
    changes: list[Change] = []
    for collection in DOCUMENTS:
        old, new = getattr(base, collection), getattr(head, collection)
        removed = sorted(old.keys() - new.keys())
        added = sorted(new.keys() - old.keys())
        renamed_to: dict[str, str] = {}
        for r in removed:  # the same content under a new id is an id change
            match = next((x for x in added if x not in renamed_to.values() and _same_but_id(old[r], new[x])), None)
            if match:
                renamed_to[r] = match
        for id_ in sorted(old.keys() | new.keys()):
            a, b = old.get(id_), new.get(id_)
            if id_ in renamed_to.values() or a == b:
                continue
            entity = b or old.get(id_)
            site = head if b is not None else base
            doc = _Doc(collection, id_, getattr(entity, "title", None) or getattr(entity, "name", None)
                       or getattr(entity, "term", None) or id_, _file(site, collection, id_))
            depts = _departments_of(collection, a) if a is not None else set()
            depts |= _departments_of(collection, b) if b is not None else set()
            if a is not None and b is None and id_ in renamed_to:
                to = renamed_to[id_]
                doc = _Doc(collection, to, doc.name, _file(head, collection, to))
                doc.add((), "id_changed", depts | _departments_of(collection, new[to]), before=id_, after=to)
            elif a is None:
                doc.add((), "added", depts | concerned(collection, b))
            elif b is None:
                doc.add((), "removed", depts | concerned(collection, a))
            elif collection == "journeys":
                _journey(doc, a, b, owners_base, owners_head)
            elif collection == "roadmaps":
                _roadmap(doc, a, b)
            else:
                doc.fields((), a, b, ("id",), depts)
            changes += doc.changes
        if collection == "ladder":
            changes += _ladder_moves(base, head)
    return changes + _label_changes(base, head)


def _label_changes(base: Site, head: Site) -> list[Change]:
    """A site's own wording that changed (labels/<lang>.yml): one change per label key, from
    the text readers saw to the text they will see (the package's words where no override is)."""
    out: list[Change] = []
    for lang in sorted(base.labels.keys() | head.labels.keys()):
        old, new = base.labels.get(lang, {}), head.labels.get(lang, {})
        if old == new:
            continue
        defaults = package_labels(lang)
        path = head.label_files.get(lang) or base.label_files.get(lang, "")
        doc = _Doc("labels", lang, path.rsplit("/", 1)[-1] or f"{lang}.yml", path)
        for key in sorted(old.keys() | new.keys()):
            before, after = old.get(key, defaults.get(key)), new.get(key, defaults.get(key))
            if before != after:
                doc.add((Part("label", key, key),), "changed", (), field="text", before=before, after=after)
        out += doc.changes
    return out


def _ladder_moves(base: Site, head: Site) -> list[Change]:
    """A rung that changed place on the evaluation ladder (its order is its meaning: bottom first)."""
    old, new = list(base.ladder), list(head.ladder)
    out: list[Change] = []
    for id_ in _moved(old, new):
        doc = _Doc("ladder", id_, head.ladder[id_].name, _file(head, "ladder", id_))
        doc.add((), "moved", (), before=old.index(id_) + 1, after=new.index(id_) + 1)
        out += doc.changes
    return out


def _with_catalogs(site: Site, context: Site) -> Site:
    """``site`` whose touchpoints and KPIs fall back to the context's (to route their owners)."""
    return dataclasses.replace(site, touchpoints={**context.touchpoints, **site.touchpoints},
                               kpis={**context.kpis, **site.kpis})


def _file(site: Site, collection: str, id_: str) -> str:
    origin = site.origins.get((collection, id_))
    return origin[0].path if origin else ""


# ------------------------------------------------------------------ words


@dataclass
class Words:
    """Renders changes in one language, naming entities as ``head`` (else ``base``) names them."""

    lang: str
    base: Site
    head: Site
    fallback: Site | None = None  # names what neither side defines (history diffs partial sites)

    def __post_init__(self) -> None:
        self.t = labels_for(self.lang)
        self.ja = self.lang.lower().startswith("ja")
        # the whole site first when there is one: partial sites lack the catalog's order
        self.sites = tuple(s for s in (self.fallback, self.head, self.base) if s is not None)

    def text(self, value: Any) -> str:
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, list):
            return self.t["list.sep"].join(self.text(v) for v in value)
        return _cut(" ".join(localize(value, self.lang).split()) if value is not None else "")

    def full(self, value: Any) -> str:
        return " ".join(localize(value, self.lang).split())

    def q(self, value: Any) -> str:
        return f"「{self.text(value)}」" if self.ja else f"“{self.text(value)}”"

    def entity(self, collection: str, id_: str) -> str:
        for site in self.sites:
            found = getattr(site, collection, {}).get(id_) if collection != "stages" else None
            if found is not None:
                return self.q(getattr(found, "title", None) or getattr(found, "name", None)
                              or getattr(found, "term", None) or id_)
        return self.q(id_)

    def department(self, id_: str) -> str:
        for site in self.sites:
            if id_ in site.departments:
                return self.text(site.departments[id_].name)
        return id_

    def reviewers(self, id_: str) -> list[str]:
        for site in self.sites:
            if id_ in site.departments:
                return list(site.departments[id_].reviewers)
        return []

    def summary(self, changes: list[Change]) -> str:
        n, docs = len(changes), len(_groups(changes))
        return self.t["diff.summary"].format(n=n, docs=docs, s_n="" if n == 1 else "s", s_docs="" if docs == 1 else "s")

    def document(self, change: Change) -> str:
        noun = self.t.get(f"doc.{change.collection}", change.collection)
        return f"{noun}{self.q(change.name)}" if self.ja else f"{noun} {self.q(change.name)}"

    def subject(self, change: Change) -> str:
        if not change.where:
            return self.t.get(f"doc.{change.collection}", change.collection)
        parts = [self.t["part." + p.kind].format(name=self.q(p.name)) for p in change.where]
        return "の".join(parts) if self.ja else " in ".join(reversed(parts))

    def field(self, name: str) -> str:
        last = name.rsplit(".", 1)[-1]
        found = self.t.get("field." + name) or self.t.get("field." + last)
        if found:
            return found
        label = self.t.get(last) or name
        # page labels are capitalised ("Goal"); inside an English sentence they are not ("goal")
        return label[0].lower() + label[1:] if not self.ja and label[1:2].islower() else label

    def order(self, departments: Iterable[str]) -> list[str]:
        """Department ids in the catalog's order."""
        return departments_touched([Change("", "", "", "", (), "", departments=tuple(departments))], *self.sites)

    def items(self, change: Change, values: tuple) -> str:
        shown = [self.value(change, x) for x in values]
        return self.t["list.sep"].join(shown)

    def value(self, change: Change, v: Any) -> str:
        if change.refs and isinstance(v, str):
            return self.entity(change.refs, v)
        if change.refs and isinstance(v, list):
            return self.t["list.sep"].join(self.entity(change.refs, x) for x in v)
        if change.field == "score":
            return self.text(v)
        if isinstance(v, (int, float)):
            return f"{v:g}"
        return self.q(v)

    def sentence(self, change: Change, with_document: bool = False) -> str:
        t, s = self.t, self.subject(change)
        if change.what in ("added", "removed"):
            extra = change.after if change.what == "added" else change.before
            text = t[f"diff.{change.what}"].format(subject=s)
            if extra not in (None, ""):
                text += t["diff.colon"] + self.value(change, extra)
        elif change.what == "renamed":
            if change.where:  # the thing is named as it was called before
                last = change.where[-1]
                s = self.subject(Change(**{**vars(change), "where": change.where[:-1] + (
                    Part(last.kind, last.id, change.before),)}))
            text = t["diff.renamed"].format(subject=s, before=self.q(change.before), after=self.q(change.after))
        elif change.what == "evidence":
            text = t["diff.evidence"].format(subject=s, before=self.text(change.before), after=self.text(change.after))
        elif change.what == "id_changed":
            text = t["diff.id_changed"].format(subject=s, before=change.before, after=change.after)
        elif change.what == "moved" and isinstance(change.before, int):
            text = t["diff.moved"].format(subject=s, before=change.before, after=change.after)
        elif change.what == "moved":
            text = t["diff.moved_to"].format(subject=s, before=self.q(change.before), after=self.q(change.after))
        elif change.added or change.removed:
            bits = []
            added, removed = self.items(change, change.added), self.items(change, change.removed)
            if change.refs and added == removed:  # an entry whose id changed: same name, so say the ids
                added, removed = ", ".join(change.added), ", ".join(change.removed)
            if change.added:
                bits.append(t["diff.items_added"].format(items=added))
            if change.removed:
                bits.append(t["diff.items_removed"].format(items=removed))
            text = t["diff.items"].format(subject=s, field=self.field(change.field), items=t["diff.and"].join(bits))
        elif change.before in (None, "", []):
            text = t["diff.set"].format(subject=s, field=self.field(change.field), after=self.value(change, change.after))
        elif change.after in (None, "", []):
            text = t["diff.cleared"].format(subject=s, field=self.field(change.field),
                                            before=self.value(change, change.before))
        elif isinstance(change.before, (str, dict)) and isinstance(change.after, (str, dict)) and not change.refs \
                and change.field != "score":
            old, new = _around_difference(self.full(change.before), self.full(change.after))
            text = t["diff.changed"].format(subject=s, field=self.field(change.field), before=self.q(old),
                                            after=self.q(new))
        else:
            text = t["diff.changed"].format(subject=s, field=self.field(change.field),
                                            before=self.value(change, change.before),
                                            after=self.value(change, change.after))
        if with_document and change.where:
            return f"{self.document(change)}{t['diff.colon']}{text}"
        if with_document:
            return text.replace(s, self.document(change), 1)
        return text


def _around_difference(a: str, b: str) -> tuple[str, str]:
    """Two long texts cut to show where they differ (a long common start becomes '…')."""
    if display_width(a) <= SHORT and display_width(b) <= SHORT:
        return a, b
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    start = max(0, common - 12)
    if start > 0:
        return "…" + a[start:], "…" + b[start:]
    return a, b


def _cut(text: str) -> str:
    if display_width(text) <= SHORT:
        return text
    out, width = "", 0
    for ch in text:
        width += max(display_width(ch), 0)
        if width > SHORT - 1:
            break
        out += ch
    return out + "…"


def departments_touched(changes: list[Change], *sites: Site) -> list[str]:
    """Department ids in the catalog's order (of the first site, then the others), then
    unknown ones by id."""
    found = {d for c in changes for d in c.departments}
    order = list(dict.fromkeys(d for site in sites for d in site.departments))
    return [d for d in order if d in found] + sorted(found - set(order))


def _groups(changes: list[Change]) -> list[tuple[tuple[str, str], list[Change]]]:
    groups: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        groups.setdefault((c.collection, c.id), []).append(c)
    return list(groups.items())


# ------------------------------------------------------------------ outputs


def render(changes: list[Change], base: Site, head: Site, lang: str, fmt: str,
           base_name: str = "", head_name: str = "", context: Site | None = None) -> str:
    """``fmt`` is text, md or json; ``context`` names what partial sites do not define."""
    words = Words(lang, base, head, context)
    if fmt == "json":
        return render_json(changes, words, base_name, head_name)
    if fmt == "md":
        return render_md(changes, words)
    return render_text(changes, words)


def render_text(changes: list[Change], w: Words) -> str:
    t = w.t
    if not changes:
        return t["diff.unchanged"] + "\n"
    depts = departments_touched(changes, *w.sites)
    lines = [w.summary(changes)]
    lines.append(t["diff.departments"] + t["diff.colon"] + t["list.sep"].join(
        w.department(d) + (f" ({' '.join(w.reviewers(d))})" if w.reviewers(d) else "") for d in depts))
    for (_, _), group in _groups(changes):
        lines.append("")
        lines.append(f"{w.document(group[0])}  {shown(group[0].file or '')}".rstrip())
        for c in group:
            names = t["list.sep"].join(w.department(d) for d in w.order(c.departments))
            lines.append(f"  - {w.sentence(c)}" + (f"  [{names}]" if names else ""))
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """Writer's text in a GitHub comment: no HTML, no Markdown markup, no @mentions."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]#|~":
        text = text.replace(ch, "\\" + ch)
    # A zero-width space keeps a pasted @name from pinging anyone, and an address from becoming a link.
    text = text.replace("@", "@\u200b").replace("://", ":\u200b//")
    return re.sub(r"(?i)\bwww\.", lambda m: m.group(0)[:-1] + "\u200b.", text)


def md_file(path: str) -> str:
    """A file name in the comment: code-styled, every character shown as it is (a newline as
    \\x0a), nothing in it read as Markdown, HTML, a mention, an issue reference or a link."""
    return f"<code>{md_escape(shown(path))}</code>"


def cap_comment(text: str, limit: int, t: dict[str, str], where: str | None = None) -> str:
    """``text`` cut at a line end to at most ``limit`` characters, closing an open code fence
    or ``<details>``, and ending with how many lines were left out and where the full diff is."""
    if len(text) <= limit:
        return text
    lines = text.splitlines(keepends=True)
    note_where = t["diff.cut_where"].format(where=md_escape(where)) if where else t["diff.cut_local"]
    room = limit - len(note_where) - 200  # the note, a closing fence and </details>
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) > room:
            break
        kept.append(line)
        used += len(line)
    body = "".join(kept)
    if sum(line.startswith("```") for line in kept) % 2:
        body += "```\n"
    if body.count("<details>") > body.count("</details>"):
        body += "</details>\n"
    note = t["diff.cut"].format(n=len(lines) - len(kept))
    return f"{body}\n> [!NOTE]\n> {note} {note_where}\n"


def render_md(changes: list[Change], w: Words) -> str:
    t = w.t
    lines = [MARKER, f"## {t['diff.title']}", ""]
    if not changes:
        return "\n".join(lines + [t["diff.unchanged"], ""])
    depts = departments_touched(changes, *w.sites)
    lines += [w.summary(changes), ""]
    lines += [f"### {t['diff.departments']}", "", f"| {t['department']} | {t['diff.reviewers']} | {t['diff.count']} |",
              "| --- | --- | --- |"]
    for d in depts:
        count = sum(d in c.departments for c in changes)
        handles = " ".join(w.reviewers(d)) or t["diff.no_reviewers"]
        lines.append(f"| {md_escape(w.department(d))} | {handles} | {count} |")
    lines += ["", f"### {t['diff.changes']}"]
    for _, group in _groups(changes):
        file = f" — {md_file(group[0].file)}" if group[0].file else ""
        lines += ["", f"#### {md_escape(w.document(group[0]))}{file}", ""]
        for c in group:
            names = t["list.sep"].join(w.department(d) for d in w.order(c.departments))
            lines.append(f"- {md_escape(w.sentence(c))}" + (f" <sub>{md_escape(names)}</sub>" if names else ""))
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change], w: Words, base_name: str, head_name: str) -> str:
    depts = departments_touched(changes, *w.sites)
    out = {
        "schema": JSON_SCHEMA,
        "base": base_name,
        "head": head_name,
        "lang": "ja" if w.ja else "en",
        "unchanged": not changes,
        "departments": [{"id": d, "name": w.department(d), "reviewers": w.reviewers(d),
                         "changes": sum(d in c.departments for c in changes)} for d in depts],
        "changes": [{
            "document": {"kind": c.collection, "id": c.id, "name": w.text(c.name), "file": c.file},
            "where": [{"kind": p.kind, "id": p.id, "name": w.text(p.name)} for p in c.where],
            "change": c.what,
            "field": c.field,
            "from": _plain(c.before, w),
            "to": _plain(c.after, w),
            "added": [_plain(x, w) for x in c.added],
            "removed": [_plain(x, w) for x in c.removed],
            "refs": c.refs,
            "departments": w.order(c.departments),
            "text": w.sentence(c, with_document=True),
        } for c in changes],
    }
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any, w: Words) -> Any:
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, list):
        return [_plain(v, w) for v in value]
    return localize(value, w.lang)

