"""Stand-ins for the values that failed validation, so the rest of a file is still checked.

Pydantic reports every schema problem of a file at once, but the reference pass needs a
model. A file with a wrong lane kind and an unknown touchpoint id would report only the
first; here each bad value is replaced by a minimal valid stand-in (None where the field is
optional), the file is validated again, and the reference pass runs on that model. Problems
the reference pass finds inside a stand-in are follow-ons of a problem already reported and
are dropped (see ``follow_on``). A model with stand-ins is never published: its ids count as
defined-but-broken, as before.
"""

from __future__ import annotations

import copy
import datetime
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from tabiji.core import model as m
from tabiji.source.loader import DataPath
from tabiji.core.problems import Problem, closest

ROUNDS = 8  # each round replaces every value that failed; a nested failure may need a few
STAND_IN = "x"


@dataclass
class Repair:
    """The model validated with stand-ins, and where they were put."""

    parsed: BaseModel
    data: Any
    paths: list[DataPath] = field(default_factory=list)  # where stand-ins replaced the writer's values
    raw_ids: set[str] = field(default_factory=set)  # ids the writer typed that were replaced
    lane_kinds: bool = False  # a lane's kind was replaced: the 'required lane' check would be a follow-on
    inner_ids: bool = False  # a phase, step or stage id was replaced: what referred to it is unknown now

    def touches(self, prefix: DataPath) -> bool:
        """Whether a stand-in lies at, under or above ``prefix``."""
        return any(p[: len(prefix)] == prefix or prefix[: len(p)] == p for p in self.paths)


def _unwrap(tp: Any) -> tuple[Any, list[Any]]:
    meta: list[Any] = []
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        tp, meta = args[0], meta + list(args[1:])
    return tp, meta


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _member(tp: Any, node: Any) -> Any:
    """The union member ``node`` was meant as: the lane whose kind it names, else by shape."""
    members = [_unwrap(a)[0] for a in typing.get_args(tp)]
    if isinstance(node, dict) and "kind" in node:
        for a in members:
            if _is_model(a) and "kind" in a.model_fields \
                    and node["kind"] in typing.get_args(a.model_fields["kind"].annotation):
                return a
    shape = dict if isinstance(node, dict) else list if isinstance(node, list) else None
    for a in members:
        origin = typing.get_origin(a) or a
        if shape is dict and (_is_model(a) or origin is dict) or shape is list and origin is list:
            return a
    return next((a for a in members if a is not type(None)), members[0])


def type_at(root: type[BaseModel], data: Any, path: DataPath) -> Any:
    """The declared type (with its constraints) of the value at ``path``, or None."""
    tp: Any = root
    node = data
    for part in path:
        tp, _ = _unwrap(tp)
        if _is_union(tp):
            tp, _ = _unwrap(_member(tp, node))
        if _is_model(tp):
            info = tp.model_fields.get(part) if isinstance(part, str) else None
            if info is None:
                return None
            tp = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        elif typing.get_origin(tp) in (list, dict):
            tp = typing.get_args(tp)[-1]
        else:
            return None
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
    return tp


def stand_in(tp: Any) -> Any:
    """A minimal value that validates as ``tp``: None where allowed, one item in a list."""
    tp, meta = _unwrap(tp)
    if _is_union(tp):
        args = typing.get_args(tp)
        return None if type(None) in args else stand_in(args[0])
    if typing.get_origin(tp) is typing.Literal:
        return typing.get_args(tp)[0]
    if _is_model(tp) and getattr(tp, "STAND_IN", None):  # a model whose fields are valid only together
        return dict(tp.STAND_IN)
    if _is_model(tp):
        return {name: stand_in(typing.Annotated[(info.annotation, *info.metadata)] if info.metadata
                               else info.annotation)
                for name, info in tp.model_fields.items() if info.is_required()}
    origin = typing.get_origin(tp)
    if origin is list:
        return [stand_in(typing.get_args(tp)[0])]
    if origin is dict or tp is dict:
        return {}
    if tp in (int, float):
        return 0
    if tp is datetime.date:
        return "2000-01-01"
    if tp is bool:
        return False
    pattern = next((getattr(x, "pattern", None) for x in meta if getattr(x, "pattern", None)), None)
    return {m.HANDLE_PATTERN: "@x", m.CADENCE_PATTERN: "1d"}.get(pattern, STAND_IN)


def _set(data: Any, path: DataPath, value: Any) -> None:
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value


def _get(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


def data_path(data: Any, loc: Iterable[str | int]) -> DataPath:
    """Pydantic's location as a path in ``data``, minus the union and tag names it inserts."""
    path: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            continue
        path.append(part)
    return tuple(path)


def repair(model: type[BaseModel], data: Any, err: ValidationError) -> Repair | None:
    """``data`` (already stripped of unknown fields) validated with stand-ins, or None when
    the stand-ins do not make it valid (the caller then says the rest of the file waits)."""
    data = copy.deepcopy(data)
    done = Repair(parsed=None, data=data)  # type: ignore[arg-type]
    tries: dict[DataPath, int] = {}
    for _ in range(ROUNDS):
        targets: set[DataPath] = set()
        for error in err.errors(include_url=False):
            loc = error["loc"]
            if error["type"] == "missing":
                target = data_path(data, loc[:-1]) + (loc[-1],)
            elif error["type"] == "extra_forbidden":
                holder = _get(data, data_path(data, loc[:-1]))
                if isinstance(holder, dict):
                    holder.pop(loc[-1], None)
                continue
            else:
                target = data_path(data, loc)
            while tries.get(target, 0) >= 2 and target:  # a stand-in that failed: replace its parent
                target = target[:-1]
            if not target:
                return None
            targets.add(target)
        chosen: list[DataPath] = []
        for target in sorted(targets, key=len):
            if any(target[: len(c)] == c for c in chosen):
                continue  # its parent gets a stand-in this round
            chosen.append(target)
            tries[target] = tries.get(target, 0) + 1
            _replace(model, data, target, done)
        try:
            done.parsed = model.model_validate(data)
            return done
        except ValidationError as again:
            err = again
    return None


def _replace(model: type[BaseModel], data: Any, target: DataPath, done: Repair) -> None:
    old = _lookup(data, target)
    # A lane of an unknown kind: read it as the closest kind (else as text), so its cells are still checked.
    if len(target) == 2 and target[0] == "lanes" and isinstance(old, dict) and "kind" in old \
            and old["kind"] not in m.LANE_KINDS:
        near = closest(str(old["kind"]), m.LANE_KINDS, limit=1)
        old["kind"] = near[0] if near else "text"
        done.paths.append(target + ("kind",))
        if old["kind"] == "text" and "title" not in old:
            old["title"] = STAND_IN
            done.paths.append(target + ("title",))
        done.lane_kinds = True
        return
    if target[-1] == "id":
        if isinstance(old, str):
            done.raw_ids.add(old)
        done.inner_ids = done.inner_ids or len(target) > 1
    tp = type_at(model, data, target)
    value = stand_in(tp) if tp is not None else None
    parent, _ = _unwrap(type_at(model, data, target[:-1])) if target else (None, [])
    if _is_union(parent):
        parent, _ = _unwrap(_member(parent, _lookup(data, target[:-1])))
    if value is None and tp is not None and _is_model(parent) and getattr(parent, "STAND_IN", None):
        # in a model whose fields are valid only together (a condition), None would break the form
        value = stand_in(next((a for a in typing.get_args(_unwrap(tp)[0]) if a is not type(None)), tp))
    if tp is None:
        return
    try:
        _set(data, target, value)
    except (KeyError, IndexError, TypeError):
        return
    if target not in done.paths:
        done.paths.append(target)


def _lookup(data: Any, path: DataPath) -> Any:
    try:
        return _get(data, path)
    except (KeyError, IndexError, TypeError):
        return None


def follow_on(problem: Problem, fix: Repair) -> bool:
    """Whether a reference-pass problem only repeats what a stand-in stands for."""
    if any(_under(problem.field, p) for p in fix.paths):
        return True
    if any(f"'{raw}'" in problem.found for raw in fix.raw_ids):
        return True
    # cells keyed by a phase or step whose id was wrong, actions of a stage whose id was wrong
    if fix.inner_ids and problem.found.startswith(("unknown id '", "unknown stage '")):
        return True
    return fix.lane_kinds and problem.field == "lanes" and problem.expected.startswith("a lane of kind")


def _under(dotted: str, path: DataPath) -> bool:
    prefix = _dotted(path)
    return dotted == prefix or dotted.startswith(prefix + ".") or dotted.startswith(prefix + "[")


def _dotted(path: DataPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"
