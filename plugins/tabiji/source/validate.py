"""From YAML documents to a validated site model, or to every problem found on the way.

Two passes: each file against its model (pydantic), then the references between files.
All problems of a run are collected and reported together; a file with bad values is still
checked for references, with stand-ins for those values (see ``repair``).
"""

from __future__ import annotations

import contextlib
import os
import string
import time
import copy
import gc
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tabiji.core import model as m
from tabiji.core.labels import LANGS, fields, package_labels
from tabiji.source.loader import DataPath, Document, display_path, hiding, load_file
from tabiji.core.names import MAX_ID_LENGTH, describe, shown, unsafe_chars
from tabiji.core.paths import FOLDERS
from tabiji.source.repair import Repair, data_path, follow_on, repair
from tabiji.core.problems import InvalidSources, Position, Problem, closest, suggest

YAML_SUFFIXES = (".yml", ".yaml")
CATALOGS = ("departments", "channels", "touchpoints", "kpis", "segments", "roles", "glossary", "ladder")
LABELS_FOLDER = "labels"  # <source>/labels/<lang>.yml: the site's words over the package's labels
# Characters a label override may not hold: labels are placed unescaped into Markdown and
# HTML in places (table heads, headings), so an override could otherwise add a link or a tag.
LABEL_MARKUP = "<>[]\\|"
# The collection each non-catalog kind of file defines one entry of.
COLLECTION_OF_KIND = {"personas": "personas", "maps": "journeys", "roadmaps": "roadmaps"}


@dataclass
class Site:
    """Everything the sources define, by id, and where each thing was written."""

    departments: dict[str, m.Department] = field(default_factory=dict)
    channels: dict[str, m.Channel] = field(default_factory=dict)
    touchpoints: dict[str, m.Touchpoint] = field(default_factory=dict)
    kpis: dict[str, m.Kpi] = field(default_factory=dict)
    segments: dict[str, m.Segment] = field(default_factory=dict)
    roles: dict[str, m.CustomerRole] = field(default_factory=dict)
    glossary: dict[str, m.GlossaryTerm] = field(default_factory=dict)
    ladder: dict[str, m.LadderRung] = field(default_factory=dict)  # the site's rungs, bottom first
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> label key -> the site's text
    label_files: dict[str, str] = field(default_factory=dict)  # lang -> the path of its label file
    personas: dict[str, m.Persona] = field(default_factory=dict)
    journeys: dict[str, m.Journey] = field(default_factory=dict)
    roadmaps: dict[str, m.Roadmap] = field(default_factory=dict)
    # (collection, id) -> (document, path of the entry in it)
    origins: dict[tuple[str, str], tuple[Document, DataPath]] = field(default_factory=dict)
    # ids defined in files that failed validation: references to them are not errors too
    broken: set[tuple[str, str]] = field(default_factory=set)

    def knows(self, collection: str, id_: str) -> bool:
        """Whether ``id_`` is defined, or may be, in a file that failed validation."""
        broken = self.broken
        return id_ in getattr(self, collection) or (collection, id_) in broken or (collection, "*") in broken

    def source_file(self, collection: str, id_: str) -> str:
        return self.origins[(collection, id_)][0].path


# ------------------------------------------------------------------ discovery


def discover(root: Path) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """The YAML files under ``root`` with their kind (the first folder), sorted.

    Symbolic links are refused, never followed (a link could publish a file from outside
    the repository, and git would show its target's path rather than its text), and so are
    names that could split a git record or a CODEOWNERS line."""
    if root.is_symlink():
        return [], [symlink_problem(display_path(root))]
    if not root.is_dir():
        return [], [Problem(display_path(root), Position(1, 1), "(source folder)",
                            "a folder of YAML files", "no such folder")]
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    for file, is_link in _walk(root):
        parts = file.relative_to(root).parts
        problem = name_problem(parts, display_path(file))
        if problem is None and is_link:
            problem = symlink_problem(display_path(file))
        if problem is None and file.suffix not in YAML_SUFFIXES:
            continue
        kind, kind_problem = file_kind(parts, display_path(file))
        problem = problem or kind_problem
        if problem:
            problems.append(problem)
            continue
        found.append((kind, file))
    return found, problems


def _walk(root: Path) -> list[tuple[Path, bool]]:
    """Every file and symlink under ``root`` (a symlink to a folder is listed, not entered),
    sorted; a file that vanishes while we look is simply not there."""
    found: list[tuple[Path, bool]] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in dirs:
            if (base / name).is_symlink():
                found.append((base / name, True))
        for name in files:
            found.append((base / name, (base / name).is_symlink()))
    return sorted(found)


def symlinks_under(folder: Path) -> list[Problem]:
    """A located problem for every symlink under ``folder`` (e.g. docs/, which MkDocs would
    copy into the site through the link: ``/proc/self/environ`` would publish the runner's tokens)."""
    if folder.is_symlink():
        return [symlink_problem(display_path(folder))]
    return [symlink_problem(display_path(path)) for path, is_link in _walk(folder) if is_link] \
        if folder.is_dir() else []


def name_problem(parts: tuple[str, ...], shown_as: str) -> Problem | None:
    """A source path holding characters that could split a git record, a CODEOWNERS rule or
    a review comment (control characters, bidi overrides, bytes that are not UTF-8)."""
    bad = unsafe_chars("/".join(parts))
    if not bad:
        return None
    return Problem(shown(shown_as), Position(1, 1), "(file name)",
                   "a file name of letters, digits, spaces and punctuation", f"a name holding {describe(bad)}",
                   "rename the file")


def symlink_problem(shown_as: str) -> Problem:
    return Problem(shown(shown_as), Position(1, 1), "(file)", "a regular file or folder",
                   "a symbolic link (Tabiji never reads through one)", "replace the link with the file itself")


def file_kind(parts: tuple[str, ...], shown_as: str) -> tuple[str, Problem | None]:
    """The kind of a source file from its path under the source root (its first folder)."""
    kind = parts[0] if len(parts) > 1 else ""
    kinds = (*m.KINDS, LABELS_FOLDER)
    if kind not in kinds:
        return kind, Problem(shown_as, Position(1, 1), "(file location)",
                             "a file under one of " + ", ".join(f"{k}/" for k in kinds),
                             f"a file in '{kind or '.'}/'", suggest(kind, kinds) if kind else "")
    if kind == LABELS_FOLDER and (len(parts) != 2 or Path(parts[1]).stem not in LANGS):
        stem = Path(parts[-1]).stem
        return kind, Problem(shown_as, Position(1, 1), "(file location)",
                             "a label file named after its language: " + ", ".join(f"labels/{k}.yml" for k in LANGS),
                             f"'{'/'.join(parts)}'", suggest(stem, LANGS))
    return kind, None


# ------------------------------------------------------------------ schema pass

_TYPE_WORDS = {
    "string_type": "text", "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
    "model_attributes_type": "a mapping", "int_parsing": "a whole number", "int_type": "a whole number",
    "int_from_float": "a whole number", "float_parsing": "a number", "float_type": "a number",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD", "date_parsing": "a date as YYYY-MM-DD",
    "date_type": "a date as YYYY-MM-DD", "bool_parsing": "true or false", "none_required": "nothing",
}
_SHALLOW = set(_TYPE_WORDS)


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _fields_at(root: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the model at ``loc`` (used to suggest a fix for a typo)."""
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if part not in tp.model_fields:
                return []
            tp = tp.model_fields[part].annotation
            continue
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (list, dict):
            tp = args[-1]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            members = [_unwrap(a) for a in args]
            chosen = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)
                      and "kind" in a.model_fields and part in typing.get_args(a.model_fields["kind"].annotation)]
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            if chosen:
                tp = chosen[0]
            elif len(models) == 1:
                tp = models[0]
                if part in tp.model_fields:
                    tp = tp.model_fields[part].annotation
        # other parts (union member names like 'str') do not change the type
    tp = _unwrap(tp)
    if typing.get_origin(tp) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        tp = next((_unwrap(a) for a in typing.get_args(tp)
                   if isinstance(_unwrap(a), type) and issubclass(_unwrap(a), BaseModel)), None)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


_PATTERN_WORDS = {
    m.SLUG_PATTERN: "an id of lowercase letters a-z, digits, '-' or '_'",
    m.PHASE_REF_PATTERN: "a journey id or 'journey-id/phase-id'",
    m.LINK_URL_PATTERN: "a web address (http://, https://, mailto:) or a path relative to docs/ "
                        "(not starting with // or holding a backslash)",
    m.CADENCE_PATTERN: "a review cadence: a number and d, w, m or y (e.g. '4w', '30d', '3m')",
    m.HANDLE_PATTERN: "a GitHub user '@name' or team '@org/team'",
    m.LABEL_PATTERN: "a label of one or more words (not empty)",
}


def _expected(error: dict, field_name: str) -> tuple[str, str]:
    """(expected, hint) for one pydantic error."""
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "string_pattern_mismatch":
        return _PATTERN_WORDS.get(ctx.get("pattern"), "a language code such as 'ja' or 'en'"), ""
    if kind in ("greater_than_equal", "less_than_equal"):
        if field_name == "score":
            return f"an emotion score from {m.EMOTION_MIN} to +{m.EMOTION_MAX}", ""
        return f"a value {'>=' if kind == 'greater_than_equal' else '<='} {ctx.get('ge', ctx.get('le'))}", ""
    if kind == "literal_error":
        options = [o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ",").split(",") if o.strip()]
        return "one of " + ", ".join(f"'{o}'" for o in options), suggest(str(error["input"]), options)
    if kind == "union_tag_invalid":
        return "a lane kind: " + ", ".join(m.LANE_KINDS), suggest(str(ctx.get("tag")), m.LANE_KINDS)
    if kind == "union_tag_not_found":
        return "a 'kind' field (" + ", ".join(m.LANE_KINDS) + ")", ""
    if kind == "too_short":
        need = ctx.get("min_length", 1)
        return f"at least {need} item{'s' if need != 1 else ''}", ""
    return _TYPE_WORDS.get(kind, error["msg"].lower()), ""


def schema_problems(doc: Document, model: type[BaseModel], err: ValidationError) -> list[Problem]:
    """One problem per bad value: union alternatives that failed are merged."""
    groups: dict[DataPath, list[dict]] = {}
    extra: list[Problem] = []
    for error in err.errors(include_url=False):
        loc = error["loc"]
        path = data_path(doc.data, loc)
        if error["type"] == "extra_forbidden":
            name = str(loc[-1])
            fields = _fields_at(model, loc[:-1])
            extra.append(Problem(doc.path, doc.position(path, key=True), _dotted(path),
                                 "a known field", f"unknown field '{name}'", suggest(name, fields)))
        elif error["type"] == "missing":
            name = str(loc[-1])
            extra.append(Problem(doc.path, doc.position(path), _dotted(path + (name,)),
                                 f"the required field '{name}'", "nothing"))
        else:
            groups.setdefault(path, []).append(error)
    # A misspelled required field is one mistake: keep "unknown field 'gaol'; did you mean 'goal'?".
    typos = {(e.field.rsplit(".", 1)[0] if "." in e.field else "", h.split("'")[1])
             for e in extra if e.found.startswith("unknown field") and (h := e.hint).startswith("did you mean")}
    extra = [e for e in extra if not (e.found == "nothing" and
                                      (e.field.rsplit(".", 1)[0] if "." in e.field else "",
                                       e.field.rsplit(".", 1)[-1]) in typos)]
    # A union member that got further than a type mismatch is the one the writer meant.
    deeper = {p for p in groups if any(q[: len(p)] == p and len(q) > len(p) for q in groups)}
    deeper |= {p for p in groups for e in extra if _under(e.field, p)}
    problems = extra
    for path, errors in groups.items():
        if path in deeper and all(e["type"] in _SHALLOW for e in errors):
            continue
        field_name = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        pairs = [_expected(e, field_name) for e in errors]
        expected = " or ".join(dict.fromkeys(p[0] for p in pairs))
        hint = next((p[1] for p in pairs if p[1]), "")
        found = _found(errors[0]["input"])
        if field_name in ("target", "value") and any(e["type"] == "float_parsing" for e in errors) \
                and str(errors[0]["input"]).strip():
            # 「DAU ◯人以上」 typed where a number goes: the team has not set it yet
            expected = "a number, or {undecided: words} while it is not set yet"
            hint = hint or f"if it is not decided yet, write {field_name}: {{undecided: {found}}}"
        if errors[0]["type"] == "condition_form":  # a condition's parts do not make one form
            ctx = errors[0].get("ctx", {})
            at = path + (ctx["field"],) if ctx.get("field") else path
            missing = ctx.get("found") == "nothing"  # point at the condition, as for any missing field
            problems.append(Problem(doc.path, doc.position(path if missing else at, key=not missing and at != path),
                                    _dotted(at), ctx.get("expected", ""), ctx.get("found", ""), ctx.get("hint", "")))
            continue
        if errors[0]["type"] == "union_tag_invalid":
            found = _found(errors[0]["ctx"].get("tag"))
            path = path + ("kind",)
        at_key = any("[key]" in e["loc"] for e in errors)
        problems.append(Problem(doc.path, doc.position(path, key=at_key), _dotted(path), expected, found, hint))
    return problems


def _under(field_path: str, path: DataPath) -> bool:
    prefix = _dotted(path)
    return prefix != "(document)" and field_path.startswith(prefix) and field_path != prefix


def _dotted(path: DataPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


# ------------------------------------------------------------------ reference pass


class _Checker:
    """Checks references between files; records problems with their positions."""

    def __init__(self, site: Site):
        self.site = site
        self.problems: list[Problem] = []

    def add(self, doc: Document, path: DataPath, expected: str, found: str, hint: str = "", key: bool = False):
        self.problems.append(Problem(doc.path, doc.position(path, key=key), _dotted(path), expected, found, hint))

    def ref(self, doc: Document, path: DataPath, value: str, collection: str, what: str):
        if not self.site.knows(collection, value):
            known = getattr(self.site, collection)
            self.add(doc, path, f"the id of a {what}", f"unknown {what} '{value}'", suggest(value, known))

    def refs(self, doc: Document, path: DataPath, values: list[str], collection: str, what: str):
        for i, value in enumerate(values):
            self.ref(doc, path + (i,), value, collection, what)


_REF_LANES = {"touchpoints": ("touchpoints", "touchpoint"), "departments": ("departments", "department"),
              "kpis": ("kpis", "KPI")}


def _check_catalog_refs(check: _Checker) -> None:
    site = check.site
    for collection in ("touchpoints", "kpis", "personas", "glossary"):
        for id_, entry in getattr(site, collection).items():
            doc, path = site.origins[(collection, id_)]
            _check_entry(check, entry, doc, path)


def _check_entry(check: _Checker, entry: Any, doc: Document, path: DataPath) -> None:
    """The references of one catalog entry or persona."""
    if isinstance(entry, m.Touchpoint):
        if entry.channel:
            check.ref(doc, path + ("channel",), entry.channel, "channels", "channel")
        if entry.owner:
            check.ref(doc, path + ("owner",), entry.owner, "departments", "department")
    elif isinstance(entry, m.Kpi):
        if entry.owner:
            check.ref(doc, path + ("owner",), entry.owner, "departments", "department")
        if entry.rung:
            _check_rung(check, entry.rung, doc, path + ("rung",))
    elif isinstance(entry, m.Persona):
        _check_persona(check, entry, doc, path)
    elif isinstance(entry, m.GlossaryTerm):
        check.refs(doc, path + ("see",), entry.see, "glossary", "glossary term")


def _check_rung(check: _Checker, rung: str, doc: Document, path: DataPath) -> None:
    """A KPI's rung is one of the catalog's ``ladder``, or of the default ladder when the site has none."""
    site = check.site
    if site.ladder or any(collection == "ladder" for collection, _ in site.broken):
        if not site.knows("ladder", rung):
            check.add(doc, path, "the id of a rung of the catalog's 'ladder'", f"unknown rung '{rung}'",
                      suggest(rung, site.ladder))
    elif rung not in m.RUNGS:
        check.add(doc, path, "a rung of the ladder: " + ", ".join(m.RUNGS) + " (or define the site's own "
                  "rungs under 'ladder:' in a catalog file)", f"unknown rung '{rung}'", suggest(rung, m.RUNGS))


def _check_persona(check: _Checker, persona: m.Persona, doc: Document, path: DataPath) -> None:
    check.refs(doc, path + ("segments",), persona.segments, "segments", "segment")
    check.refs(doc, path + ("kpis",), persona.kpis, "kpis", "KPI")
    if persona.owner:
        check.ref(doc, path + ("owner",), persona.owner, "departments", "department")


def _check_roadmap(check: _Checker, roadmap: m.Roadmap, doc: Document) -> None:
    """References of a roadmap; stage ids unique, task and action ids unique across the roadmap
    (they are anchors of one page: ``#task-<id>``, ``#action-<id>``)."""
    check.refs(doc, ("personas",), roadmap.personas, "personas", "persona")
    check.refs(doc, ("segments",), roadmap.segments, "segments", "segment")
    check.ref(doc, ("owner",), roadmap.owner, "departments", "department")
    stages: set[str] = set()
    items: set[str] = set()  # task and action ids

    def unique_item(path: DataPath, id_: str) -> None:
        if id_ in items:
            check.add(doc, path + ("id",), "task and action ids unique within the roadmap", f"duplicate id '{id_}'")
        items.add(id_)

    for si, stage in enumerate(roadmap.stages):
        base = ("stages", si)
        if stage.id in stages:
            check.add(doc, base + ("id",), "stage ids unique within the roadmap", f"duplicate id '{stage.id}'")
        stages.add(stage.id)
        for ci, checkpoint in enumerate(stage.checkpoints):
            if checkpoint.metric is not None:
                check.ref(doc, base + ("checkpoints", ci, "metric"), checkpoint.metric, "kpis", "KPI")
            _check_evidence(check, doc, base + ("checkpoints", ci, "evidence"), getattr(checkpoint, "evidence", []))
        for pi, ref in enumerate(stage.phases):
            _check_phase_ref(check, doc, base + ("phases", pi), ref)
        for lane in m.TASK_LANES:
            for ti, task in enumerate(getattr(stage.tasks, lane)):
                path = base + ("tasks", lane, ti)
                unique_item(path, task.id)
                if task.department:
                    check.ref(doc, path + ("department",), task.department, "departments", "department")
                if task.role:
                    check.ref(doc, path + ("role",), task.role, "roles", "customer role")
                _check_partners(check, doc, path, task.department, task.partners)
    _check_checkpoint_tasks(check, roadmap, doc)
    _check_task_order(check, roadmap, doc)
    for ai, action in enumerate(roadmap.actions):
        path = ("actions", ai)
        unique_item(path, action.id)
        if action.stage is not None and action.stage not in stages:
            check.add(doc, path + ("stage",), "the id of a stage of this roadmap",
                      f"unknown stage '{action.stage}'", suggest(action.stage, stages))
        if action.condition and action.condition.metric is not None:
            check.ref(doc, path + ("condition", "metric"), action.condition.metric, "kpis", "KPI")
        if action.role:
            check.ref(doc, path + ("role",), action.role, "roles", "customer role")
        check.ref(doc, path + ("department",), action.department, "departments", "department")
        _check_partners(check, doc, path, action.department, action.partners)


def _check_partners(check: _Checker, doc: Document, path: DataPath, lead: str | None, partners: list[str]) -> None:
    """The departments that take part beside the lead: known, and not the lead again."""
    check.refs(doc, path + ("partners",), partners, "departments", "department")
    for i, partner in enumerate(partners):
        if partner == lead:
            check.add(doc, path + ("partners", i), "departments other than the lead ('department')",
                      f"the lead '{lead}' again", "remove it from 'partners'")


def _check_task_order(check: _Checker, roadmap: m.Roadmap, doc: Document) -> None:
    """One order across a stage's three task lanes: every task has it, or none; each lane
    stays in time order (a number never goes down within a lane)."""
    for si, stage in enumerate(roadmap.stages):
        if not m.task_order(stage):
            continue
        for lane in m.TASK_LANES:
            last = 0
            for ti, task in enumerate(getattr(stage.tasks, lane)):
                path = ("stages", si, "tasks", lane, ti)
                if task.order is None:
                    check.add(doc, path + ("id",), "an 'order' on every task of the stage (its other tasks have one)",
                              f"task '{task.id}' without 'order'", "add 'order: <its place in the stage>'")
                    continue
                if task.order < last:
                    check.add(doc, path + ("order",), f"an order of at least {last} (each lane is written in time "
                              "order)", f"{task.order} after {last}", "reorder the lane or fix the number")
                last = max(last, task.order)


def _check_checkpoint_tasks(check: _Checker, roadmap: m.Roadmap, doc: Document) -> None:
    """A checkpoint's ``task`` is a task of this roadmap (its completion is the event)."""
    tasks = [t.id for s in roadmap.stages for lane in m.TASK_LANES for t in getattr(s.tasks, lane)]
    known = set(tasks)
    for si, stage in enumerate(roadmap.stages):
        for ci, checkpoint in enumerate(stage.checkpoints):
            if checkpoint.task is not None and checkpoint.task not in known:
                check.add(doc, ("stages", si, "checkpoints", ci, "task"), "the id of a task of this roadmap",
                          f"unknown task '{checkpoint.task}'", suggest(checkpoint.task, tasks))


def _check_loops(check: _Checker, journey: m.Journey, doc: Document, columns: dict[str, str]) -> None:
    """A phase's or step's ``returns_to`` names an earlier phase or step of this journey."""
    order = list(columns)
    for pi, phase in enumerate(journey.phases):
        places = [(("phases", pi), phase)] + [(("phases", pi, "steps", si), s) for si, s in enumerate(phase.steps)]
        for path, item in places:
            if item.returns_to is None:
                if item.returns_when is not None:
                    check.add(doc, path + ("returns_when",), "'returns_when' with 'returns_to'", "no 'returns_to'",
                              "add 'returns_to: <an earlier phase or step id>'", key=True)
                continue
            earlier = order[: order.index(item.id)] if item.id in order else order  # ids are in column order
            if item.returns_to not in columns:
                check.add(doc, path + ("returns_to",), "the id of an earlier phase or step of this journey",
                          f"unknown id '{item.returns_to}'", suggest(item.returns_to, earlier or order))
            elif item.returns_to not in earlier:
                check.add(doc, path + ("returns_to",), "an earlier phase or step (a loop goes back)",
                          f"'{item.returns_to}', which is not before '{item.id}'", suggest(item.returns_to, earlier)
                          if earlier else "")


def _check_people(check: _Checker, doc: Document, li: int, lane: Any, columns: dict[str, str]) -> None:
    """People beside departments: only in the departments lane, keyed by a column of this journey
    and by a department of that cell."""
    if lane.kind != "departments":
        check.add(doc, ("lanes", li, "people"), "'people' only in a lane of kind 'departments'",
                  f"'people' in a '{lane.kind}' lane", "move it to the departments lane", key=True)
        return
    for key, by_department in lane.people.items():
        if key not in columns:
            check.add(doc, ("lanes", li, "people", key), "a phase or step id of this journey", f"unknown id '{key}'",
                      suggest(key, columns), key=True)
            continue
        cell = lane.cells.get(key, [])
        for department in by_department:
            if department not in cell:
                check.add(doc, ("lanes", li, "people", key, department),
                          f"a department of the cell '{key}' ({', '.join(cell) or 'none yet'})",
                          f"'{department}', not in that cell", suggest(department, cell) if cell else
                          f"add '{department}' to cells.{key}", key=True)


def _check_phase_ref(check: _Checker, doc: Document, path: DataPath, ref: str) -> None:
    """``journey`` or ``journey/phase``: the journey exists, and the phase is one of its phases."""
    journey_id, _, phase_id = ref.partition("/")
    journey = check.site.journeys.get(journey_id)
    if journey is None:
        if not check.site.knows("journeys", journey_id):
            check.add(doc, path, "a journey id or 'journey-id/phase-id'", f"unknown journey '{journey_id}'",
                      suggest(journey_id, check.site.journeys))
        return
    phases = [p.id for p in journey.phases]
    if phase_id and phase_id not in phases:
        check.add(doc, path, f"a phase of journey '{journey_id}'", f"unknown phase '{phase_id}'",
                  suggest(phase_id, phases))


def _check_journey(check: _Checker, journey: m.Journey, doc: Document, phase_home: dict[str, str]) -> None:
    check.refs(doc, ("personas",), journey.personas, "personas", "persona")
    check.ref(doc, ("owner",), journey.owner, "departments", "department")
    check.refs(doc, ("segments",), journey.segments, "segments", "segment")
    check.refs(doc, ("kpis",), journey.kpis, "kpis", "KPI")
    columns: dict[str, str] = {}  # phase or step id -> the phase it belongs to
    for pi, phase in enumerate(journey.phases):
        check.refs(doc, ("phases", pi, "owners"), phase.owners, "departments", "department")
        for path, id_ in [(("phases", pi, "id"), phase.id)] + [
                (("phases", pi, "steps", si, "id"), step.id) for si, step in enumerate(phase.steps)]:
            if id_ in columns:
                check.add(doc, path, "phase and step ids unique within the journey", f"duplicate id '{id_}'")
            columns[id_] = phase.id
    _check_loops(check, journey, doc, columns)
    # a step that repeats its phase's id is reported once, above, not again as a cell for both
    steps_of = {phase.id: {s.id for s in phase.steps} - {phase.id} for phase in journey.phases}
    seen_kinds: set[str] = set()
    for li, lane in enumerate(journey.lanes):
        if lane.kind != "text" and lane.kind in seen_kinds:
            check.add(doc, ("lanes", li, "kind"), "each lane kind once (use kind 'text' for more)",
                      f"a second '{lane.kind}' lane")
        seen_kinds.add(lane.kind)
        if lane.kind == "text" and lane.title is None:
            check.add(doc, ("lanes", li), "a 'title' for a lane of kind 'text'", "no title")
        if getattr(lane, "people", None):
            _check_people(check, doc, li, lane, columns)
        if lane.kind in m.REQUIRED_LANES and not lane.cells:
            check.add(doc, ("lanes", li, "cells"), f"at least one cell in the required '{lane.kind}' lane",
                      "an empty lane")
        for key, value in lane.cells.items():
            cell = ("lanes", li, "cells", key)
            if key not in columns:
                home = phase_home.get(key)
                if home:
                    check.add(doc, cell, "a phase or step of this journey",
                              f"'{key}', which belongs to journey '{home}'", suggest(key, columns), key=True)
                else:
                    check.add(doc, cell, "a phase or step id of this journey", f"unknown id '{key}'",
                              suggest(key, columns), key=True)
                continue
            if steps_of.get(key) and steps_of[key] & lane.cells.keys():
                check.add(doc, cell, f"cells for phase '{key}' or for its steps, not both",
                          "cells for both: " + ", ".join(f"'{s}'" for s in sorted(steps_of[key] & lane.cells.keys())),
                          key=True)
            if lane.kind in _REF_LANES:
                collection, what = _REF_LANES[lane.kind]
                check.refs(doc, cell, value, collection, what)
            elif lane.kind == "emotions" and value.score is None and value.label is None:
                check.add(doc, cell, "a 'score' or a 'label' (the feeling in words)", "neither")
    for li, lane in enumerate(journey.lanes):  # evidence (issue 13): for a cell of the lane, verified with a source
        for key, evidence in lane.evidence.items():
            if key not in lane.cells:
                where = "a column of this journey with no cell in this lane" if key in columns else "an unknown id"
                check.add(doc, ("lanes", li, "evidence", key), "the phase or step id of a cell of this lane",
                          f"'{key}', {where}", suggest(key, lane.cells), key=True)
            _check_evidence(check, doc, ("lanes", li, "evidence", key), evidence)
    for kind in m.REQUIRED_LANES:
        if kind not in seen_kinds:
            check.add(doc, ("lanes",), f"a lane of kind '{kind}' (every journey has one)", "none")


def _check_evidence(check: _Checker, doc: Document, path: DataPath, evidence: list[m.Evidence]) -> None:
    """Verified evidence names what shows it: a verified mark without a source would look
    like a fact nobody can check."""
    single = isinstance(_at(doc.data, path), dict)  # one mapping written where a list is allowed
    for ei, e in enumerate(evidence):
        if e.status == "verified" and not e.source and not e.url:
            at = path if single else path + (ei,)
            check.add(doc, at + ("status",), "a 'source' or 'url' for verified evidence (what shows it)",
                      "status 'verified' with no source",
                      "add the source (e.g. source: 2026-04 導入企業インタビュー), or write status: hypothesis")


def _at(data: Any, path: DataPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# ------------------------------------------------------------------ label overrides


def _labels_file(site: Site, check: _Checker, doc: Document) -> None:
    """``labels/<lang>.yml``: label key -> the site's text, each key one Tabiji writes, each
    text plain words keeping the ``{fields}`` the label is filled with."""
    lang = Path(doc.path).stem
    if doc.data is None:
        return
    if not isinstance(doc.data, dict):
        check.add(doc, (), "a mapping of label keys to texts (e.g. 'metrics: 指標')", _found(doc.data))
        return
    if lang in site.labels:
        check.add(doc, (), f"one label file for '{lang}'", f"a second one (labels/{lang}.yml and .yaml)")
        return
    defaults = package_labels(lang)
    texts: dict[str, str] = {}
    for key, text in doc.data.items():
        path: DataPath = (key,)
        if key not in defaults:
            check.add(doc, path, "a label key Tabiji writes", f"unknown label '{key}'",
                      suggest(key, defaults), key=True)
            continue
        if not isinstance(text, str) or not text.strip():
            check.add(doc, path, "the label's text (words on one line)", _found(text))
            continue
        problem = _label_problem(text, defaults[key])
        if problem:
            check.add(doc, path, *problem)
            continue
        texts[key] = text
    site.labels[lang] = texts
    site.label_files[lang] = doc.path


def _label_problem(text: str, default: str) -> tuple[str, str, str] | None:
    """(expected, found, hint) when ``text`` cannot replace the label ``default``."""
    bad = unsafe_chars(text) + [ch for ch in dict.fromkeys(text) if ch in LABEL_MARKUP]
    if bad:
        return ("a label of plain words (no line breaks, control characters or markup " + " ".join(LABEL_MARKUP) + ")",
                "a text holding " + describe(list(dict.fromkeys(bad))), "")
    wanted = fields(default) or []
    names = sorted({name for name, _, _ in wanted})
    found = fields(text)
    literal_braces = found is not None and any(
        "{" in lit or "}" in lit for lit, *_ in string.Formatter().parse(text))
    if found is None or literal_braces or any(f not in wanted for f in found):
        keep = ", ".join("{" + n + "}" for n in names)
        return ("braces only around the label's own fields" + (f": {keep}" if names else " (it has none)"),
                "'" + text + "'" if len(text) <= 60 else "a text with other braces",
                f"Tabiji fills in {keep}; keep them as written" if names else "remove the braces")
    return None


# ------------------------------------------------------------------ entry point


def _register(site: Site, check: _Checker, collection: str, entity: Any, doc: Document, path: DataPath) -> None:
    table = getattr(site, collection)
    if collection in FOLDERS and entity.id == "index":
        check.add(doc, path + ("id",), f"an id other than 'index' (the list of {collection} is published there)",
                  "'index'")
        return
    if len(entity.id) > MAX_ID_LENGTH:
        check.add(doc, path + ("id",), f"an id of at most {MAX_ID_LENGTH} characters (ids name files)",
                  f"{len(entity.id)} characters")
        return
    if entity.id in table:
        first_doc, first_path = site.origins[(collection, entity.id)]
        where = first_doc.position(first_path + ("id",))
        check.add(doc, path + ("id",), f"a unique id among {collection}",
                  f"'{entity.id}', already used at {first_doc.path}:{where.line}")
        return
    table[entity.id] = entity
    site.origins[(collection, entity.id)] = (doc, path)


def _declared_ids(kind: str, data: dict) -> set[tuple[str, str]]:
    """The ids a file that failed validation tried to define."""
    if kind == "catalog":
        return {(collection, entry["id"]) for collection in CATALOGS
                for entry in (data.get(collection) if isinstance(data.get(collection), list) else [])
                if isinstance(entry, dict) and isinstance(entry.get("id"), str)}
    return {(COLLECTION_OF_KIND[kind], data["id"])} if isinstance(data.get("id"), str) else set()


def _renamed(doc: Document, err: ValidationError) -> Any:
    """A copy of the data with unknown fields dropped, and one whose name is close to a
    missing field renamed to it (its positions are copied, so later problems inside it
    still point at the source): "gaol" is the writer's "goal"."""
    errors = err.errors(include_url=False)
    missing = {(data_path(doc.data, e["loc"][:-1]), str(e["loc"][-1])) for e in errors if e["type"] == "missing"}
    fixes: list[tuple[DataPath, str, str | None]] = []  # (parent, field, new name or None to drop)
    for e in errors:
        if e["type"] == "extra_forbidden":
            parent, name = data_path(doc.data, e["loc"][:-1]), str(e["loc"][-1])
            wanted = [f for p, f in missing if p == parent]
            new = next(iter(closest(name, wanted)), None)
            fixes.append((parent, name, new))
            missing.discard((parent, new))
    data = copy.deepcopy(doc.data)
    for parent, name, new in fixes:
        holder = data
        for part in parent:
            holder = holder[part]
        if not isinstance(holder, dict) or name not in holder:
            continue
        value = holder.pop(name)
        if new is not None:
            holder[new] = value
            _alias_positions(doc, parent + (name,), parent + (new,))
    return data


def _meant(doc: Document, model: type[BaseModel], err: ValidationError) -> tuple[Any, Repair | None]:
    """(the model the writer meant when only field names were wrong, None) or (None, the
    model with stand-ins for the bad values) or (None, None) when neither validates."""
    data = _renamed(doc, err)
    try:
        return model.model_validate(data), None
    except ValidationError as again:
        return None, repair(model, data, again)


def _alias_positions(doc: Document, old: DataPath, new: DataPath) -> None:
    for marks in (doc.keys, doc.values):
        for path in [p for p in marks if p[: len(old)] == old]:
            marks[new + path[len(old):]] = marks[path]


def build_site(documents: list[tuple[str, Document]], references: bool = True) -> tuple[Site, list[Problem]]:
    """Validate parsed documents and (unless told not to: a part of a site, as the history
    reads) check the references between them."""
    site = Site()
    check = _Checker(site)
    journey_docs: list[tuple[m.Journey, Document]] = []
    roadmap_docs: list[tuple[m.Roadmap, Document]] = []
    patched: list[tuple[Any, Document, Repair, DataPath]] = []  # validated with stand-ins: checked, never published
    for kind, doc in documents:
        if kind == LABELS_FOLDER:
            _labels_file(site, check, doc)
            continue
        model = m.KINDS[kind]
        if doc.data is None:  # unreadable: guess what it defined, to avoid follow-on errors
            site.broken |= ({(c, "*") for c in CATALOGS} if kind == "catalog" else
                            {(COLLECTION_OF_KIND[kind], Path(doc.path).stem)})
            continue
        if not isinstance(doc.data, dict):
            check.problems.append(hiding(Problem(doc.path, doc.position(()), "(document)",
                                                 f"a mapping of {m.SCHEMA_NAMES[kind]} fields", _found(doc.data))))
            continue
        fix: Repair | None = None
        try:
            if doc.validated is not None and doc.validated[0] is model:
                parsed: Any = doc.validated[1]
            else:
                parsed = model.model_validate(doc.data)
                doc.validated = (model, parsed)
        except ValidationError as err:
            found = schema_problems(doc, model, err)
            parsed, fix = _meant(doc, model, err)
            if parsed is None and fix is None:  # say plainly that this file's references wait
                first = min(found, default=None)
                check.problems.extend(hiding(p) if p is first else p for p in found)
                site.broken |= _declared_ids(kind, doc.data)
                continue
            check.problems.extend(found)
        if fix is not None:
            parsed = fix.parsed
            if not isinstance(parsed, m.CatalogFile):
                site.broken |= _declared_ids(kind, doc.data)
                patched.append((parsed, doc, fix, ()))
                continue
        if isinstance(parsed, m.CatalogFile):
            for collection in CATALOGS:
                for i, entry in enumerate(getattr(parsed, collection)):
                    if fix is not None and fix.touches((collection, i)):
                        patched.append((entry, doc, fix, (collection, i)))
                        entries = doc.data.get(collection)
                        entry_data = entries[i] if isinstance(entries, list) and i < len(entries) else None
                        site.broken |= _declared_ids(kind, {collection: [entry_data]})
                        continue
                    _register(site, check, collection, entry, doc, (collection, i))
        else:
            _register(site, check, COLLECTION_OF_KIND[kind], parsed, doc, ())
            if isinstance(parsed, m.Journey):
                journey_docs.append((parsed, doc))
            elif isinstance(parsed, m.Roadmap):
                roadmap_docs.append((parsed, doc))
    if not references:
        return site, check.problems
    _check_catalog_refs(check)
    phase_home = {}
    for journey, _ in journey_docs + [(p, d) for p, d, _, _ in patched if isinstance(p, m.Journey)]:
        for phase in journey.phases:
            phase_home[phase.id] = journey.id
            for step in phase.steps:
                phase_home[step.id] = journey.id
    for journey, doc in journey_docs:
        if site.journeys.get(journey.id) is journey:
            _check_journey(check, journey, doc, phase_home)
    for roadmap, doc in roadmap_docs:  # after the journeys: roadmap stages refer to their phases
        if site.roadmaps.get(roadmap.id) is roadmap:
            _check_roadmap(check, roadmap, doc)
    for parsed, doc, fix, path in patched:
        before = len(check.problems)
        if isinstance(parsed, m.Journey):
            _check_journey(check, parsed, doc, phase_home)
        elif isinstance(parsed, m.Roadmap):
            _check_roadmap(check, parsed, doc)
        else:
            _check_entry(check, parsed, doc, path)
        check.problems[before:] = [p for p in check.problems[before:] if not follow_on(p, fix)]
    return site, check.problems


@contextlib.contextmanager
def _no_cyclic_gc():
    """Parsing YAML allocates many containers and no cycles; the cyclic collector's passes
    over them cost a third of the load time of a large map (measured on 1,000 journeys)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_site(root: Path, parsed: dict | None = None) -> Site:
    """Load and validate every source file under ``root``; raise InvalidSources on problems.

    ``parsed`` (kept by the caller across ``mkdocs serve`` rebuilds) maps each file to its
    (mtime, size, parse): a file whose stat is unchanged is not read again."""
    files, problems = discover(root)
    documents = []
    with _no_cyclic_gc():
        for kind, file in files:
            doc, found = _parse(file, parsed)
            problems.extend(found)
            documents.append((kind, doc))
    if parsed is not None:
        for gone in set(parsed) - {file for _, file in files}:
            del parsed[gone]
    site, found = build_site(documents)
    problems.extend(found)
    if problems:
        raise InvalidSources(problems, site)
    return site


def _parse(file: Path, parsed: dict | None) -> tuple[Document, list[Problem]]:
    if parsed is None:
        return load_file(file, display_path(file))
    try:
        st = file.lstat()
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = None
    cached = parsed.get(file)
    if stamp is not None and cached and cached[0] == stamp:
        return cached[1]
    result = load_file(file, display_path(file))
    # A file changed within the last seconds may change again within the file system's
    # timestamp granularity, keeping its stamp: read it again next time (as git does).
    if stamp is not None and time.time_ns() - stamp[0] > 2_000_000_000:
        parsed[file] = (stamp, result)
    return result


def forget_positions(site: Site) -> None:
    """Drops the parsed documents' position maps once nothing will be reported (a one-off
    build after validation and the logic rules): on a large map they are a fifth of the
    memory; each entity keeps its file's path."""
    slim: dict[int, Document] = {}
    for key, (doc, path) in site.origins.items():
        if id(doc) not in slim:
            slim[id(doc)] = Document(doc.path, None)
        site.origins[key] = (slim[id(doc)], path)
