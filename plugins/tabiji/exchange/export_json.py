"""The validated model as JSON for other tools, with a published schema, and guided actions
with health-score candidates as one flat CSV that CS platforms (Gainsight, ChurnZero, HubSpot)
import as rules or plays.

The JSON is what validation produced (defaults filled, ids resolved, no source positions):
``{"schema": "tabiji-export/1", "kind": ..., "<kind>": {...}, "catalog": {...}}`` with the
catalog entries the document refers to, so a reader needs nothing else.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tabiji.core import model as m
from tabiji.render.conditions import health_candidates
from tabiji.core.lang import localize
from tabiji.source.validate import Site

SCHEMA_ID = "tabiji-export/1"
SCHEMA_FILE = "export.schema.json"


class ExportCatalog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    personas: list[m.Persona] = Field(default_factory=list)
    departments: list[m.Department] = Field(default_factory=list)
    touchpoints: list[m.Touchpoint] = Field(default_factory=list)
    kpis: list[m.Kpi] = Field(default_factory=list)
    segments: list[m.Segment] = Field(default_factory=list)
    roles: list[m.CustomerRole] = Field(default_factory=list)
    journeys: list[m.Journey] = Field(default_factory=list, description="Journeys a roadmap's stages map to.")
    ladder: list[m.LadderRung] = Field(
        default_factory=list, description="The site's own rungs the exported KPIs sit on, bottom rung first "
                                          "(empty when the site keeps Tabiji's default ladder).")


class Export(BaseModel):
    """What 'tabiji export journey|roadmap|playbook ID --format json' writes."""

    model_config = ConfigDict(extra="forbid", title="tabiji export")
    schema_: Literal["tabiji-export/1"] = Field(alias="schema")
    kind: Literal["journey", "roadmap", "playbook"]
    journey: m.Journey | None = None
    roadmap: m.Roadmap | None = None
    catalog: ExportCatalog


def schema_text() -> str:
    schema = Export.model_json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_FILE, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _ids(value: Any, out: dict[str, set[str]]) -> None:
    """Collect the catalog ids a document refers to."""
    if isinstance(value, m.Journey):
        out["personas"] |= set(value.personas)
        out["departments"].add(value.owner)
        out["segments"] |= set(value.segments)
        out["kpis"] |= set(value.kpis)  # the journey's goal KPIs
        for phase in value.phases:
            out["departments"] |= set(phase.owners)
        for lane in value.lanes:
            if lane.kind in ("touchpoints", "departments", "kpis"):
                for ids in lane.cells.values():
                    out[lane.kind] |= set(ids)
    elif isinstance(value, m.Roadmap):
        out["personas"] |= set(value.personas)
        out["departments"].add(value.owner)
        out["segments"] |= set(value.segments)
        for stage in value.stages:
            out["kpis"] |= {c.metric for c in stage.checkpoints if c.metric}
            out["journeys"] |= {p.split("/")[0] for p in stage.phases}
            for lane in m.TASK_LANES:
                for task in getattr(stage.tasks, lane):
                    if task.department:
                        out["departments"].add(task.department)
                    out["departments"] |= set(task.partners)
                    if task.role:
                        out["roles"].add(task.role)
        for action in value.actions:
            out["departments"].add(action.department)
            out["departments"] |= set(action.partners)
            if action.role:
                out["roles"].add(action.role)
            if action.condition and action.condition.metric:
                out["kpis"].add(action.condition.metric)


def to_json(kind: str, id_: str, site: Site) -> str:
    doc = site.journeys[id_] if kind == "journey" else site.roadmaps[id_]
    ids: dict[str, set[str]] = {k: set() for k in ExportCatalog.model_fields}
    _ids(doc, ids)
    catalog = {k: [getattr(site, k)[i] for i in sorted(v) if i in getattr(site, k)]
               for k, v in ids.items() if k != "ladder"}
    rungs = {kpi.rung for kpi in catalog["kpis"]}
    catalog["ladder"] = [rung for rung_id, rung in site.ladder.items() if rung_id in rungs]  # the ladder's order
    export = Export(schema=SCHEMA_ID, kind=kind, catalog=ExportCatalog(**catalog),
                    **({"journey": doc} if kind == "journey" else {"roadmap": doc}))
    data = export.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------ CS platforms

CS_COLUMNS = [
    "record_type", "id", "roadmap", "stage", "stage_name", "kind", "trigger", "metric", "metric_name",
    "comparison", "value", "unit", "window", "action", "customer_role", "department", "touch_model",
    "follow_up", "health_score_candidate",
    "partner_departments",  # new columns go last, so readers of the older columns by position keep working
    "evidence_status", "evidence_source",  # a checkpoint's: a health score built on a guess is flagged as one
]


def _value(v: m.TargetValue) -> str:
    if not m.decided(v):  # not set yet: no number a CS platform could act on
        return ""
    return str(int(v)) if float(v).is_integer() else str(v)


def to_cs_csv(roadmap: m.Roadmap, site: Site, lang: str) -> str:
    """One row per guided action (a rule or play: when trigger, do action), then one row per
    health-score candidate (each measurable checkpoint or trigger, grouped by metric)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CS_COLUMNS)
    stages = {s.id: s for s in roadmap.stages}
    name = lambda coll, id_: localize(getattr(site, coll)[id_].name, lang) if id_ and id_ in getattr(site, coll) \
        else (id_ or "")  # noqa: E731

    def partners(action: m.GuidedAction) -> str:
        """The departments that take part beside the lead (営業 in 「アップセル提案を営業担当と実施」)."""
        return "; ".join(name("departments", d) for d in action.partners)

    def condition_cells(cond: m.Condition | None) -> list[str]:
        if cond is None:
            return ["", "", "", "", "", ""]
        unit = cond.unit or (site.kpis[cond.metric].unit if cond.metric in site.kpis else None) or ""
        if cond.metric is None:  # an event: its words where the metric's name goes, happened or not
            return ["", localize(cond.event, lang) if cond.event is not None else getattr(cond, "task", ""),
                    "not_happened" if cond.happened is False else "happened", "", "", localize(cond.window, lang)]
        if cond.change is not None:  # a change over the window: its direction and amount
            return [cond.metric, name("kpis", cond.metric), cond.change, _value(cond.by) if cond.by is not None else "",
                    unit, localize(cond.window, lang)]
        return [cond.metric, name("kpis", cond.metric), cond.comparison, _value(cond.value), unit,
                localize(cond.window, lang)]

    def evidence_cells(cond: m.Condition) -> list[str]:
        found = getattr(cond, "evidence", None) or []  # checkpoints carry evidence, action triggers do not
        sources = (localize(e.source, lang) if e.source is not None else e.url or "" for e in found)
        return ["; ".join(dict.fromkeys(e.status for e in found)), "; ".join(t for t in dict.fromkeys(sources) if t)]

    for action in roadmap.actions:
        stage = stages.get(action.stage)
        writer.writerow([
            "guided_action", action.id, roadmap.id, action.stage, localize(stage.name, lang) if stage else "",
            "opportunity" if action.kind == "positive" else "risk", localize(action.trigger, lang),
            *condition_cells(action.condition), localize(action.action, lang), name("roles", action.role),
            name("departments", action.department), action.touch_model or "", localize(action.follow_up, lang),
            "yes" if action.condition else "no", partners(action), "", "",
        ])
    mine = {metric: [c for c in found if c.roadmap == roadmap.id]
            for metric, found in health_candidates(site).items()}
    for metric in sorted(mine):
        for n, cand in enumerate(mine[metric], 1):
            stage = stages.get(cand.stage)
            kind = "checkpoint" if cand.action is None else (
                "opportunity" if cand.action.kind == "positive" else "risk")
            trigger = localize(cand.action.trigger, lang) if cand.action else localize(
                getattr(cand.condition, "label", None), lang)
            writer.writerow([
                "health_score", f"{metric}-{n}", roadmap.id, cand.stage, localize(stage.name, lang) if stage else "",
                kind, trigger, *condition_cells(cand.condition),
                localize(cand.action.action, lang) if cand.action else "",
                name("roles", cand.action.role) if cand.action else "",
                name("departments", cand.action.department) if cand.action else "",
                (cand.action.touch_model or "") if cand.action else "", "", "yes",
                partners(cand.action) if cand.action else "",
                *(evidence_cells(cand.condition) if cand.action is None else ["", ""]),
            ])
    return out.getvalue()
