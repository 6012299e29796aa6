"""The content model: what a catalog, a persona and a journey file may contain.

Pydantic gives us validation, readable error locations and the JSON Schema from one
definition. Every scalar reaches these models as the text the writer typed (see
``loader``), so YAML's implicit typing can never turn ``no`` into ``False``: only fields
declared as numbers or dates are converted, by pydantic, from that text.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2}(?:-[A-Za-z]{2,4})?$"
# review: a cadence is a count and a unit (d days, w weeks, m months, y years), e.g. '4w'
CADENCE_PATTERN = r"^[1-9][0-9]{0,3}[dwmy]$"
# review: a GitHub user '@name' or team '@org/team', as CODEOWNERS wants them
HANDLE_PATTERN = r"^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?$"
EMOTION_MIN, EMOTION_MAX = -2, 2

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN),
    Field(description="An id: lowercase letters a-z, digits, '-' or '_' (used in URLs)."),
]


def _one_or_many(value: Any) -> Any:
    """Let a writer type ``x`` where a list of one item ``[x]`` is meant."""
    return [value] if isinstance(value, str) else value


Refs = Annotated[list[Slug], BeforeValidator(_one_or_many)]
# Text is plain text (Markdown where the field is long), or one text per language.
Text = Union[
    str,
    Annotated[dict[Annotated[str, StringConstraints(pattern=LANG_PATTERN)], str], Field(min_length=1)],
]
TextList = Annotated[list[Text], BeforeValidator(_one_or_many)]
# A label the writer chooses (年齢, 連携内容): any words, but not empty.
LABEL_PATTERN = r"\S"
Extra = Annotated[
    dict[Annotated[str, StringConstraints(pattern=LABEL_PATTERN)], Text],
    Field(description="Facts the schema has no field for (年齢, 連携内容, VoC活動例): label -> text "
                      "(or one text per language), shown on the page as written, in this order.",
          json_schema_extra={"propertyNames": {"pattern": LABEL_PATTERN}}),  # pydantic leaves key rules out
]


class Strict(BaseModel):
    """Unknown fields are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- evidence (issue 13 §2)

EvidenceKind = Literal["interview", "survey", "analytics", "support_tickets", "workshop"]
EVIDENCE_KINDS = ("interview", "survey", "analytics", "support_tickets", "workshop")
EvidenceStatus = Literal["hypothesis", "verified"]


class Evidence(Strict):
    """Where a cell, an emotion, a pain point or a checkpoint comes from, and whether it is
    known or only assumed: the site marks every hypothesis and lists them to verify."""

    kind: EvidenceKind | None = Field(
        None, description="interview, survey, analytics, support_tickets or workshop (a workshop assumption).")
    source: Text | None = Field(None, description="The source in words, or a web address (shown as a link).")
    # the pattern is LINK_URL_PATTERN's (defined with Link, below): javascript: and //host are refused
    url: str | None = Field(None, pattern=r"^(?:https?://|mailto:)|^/?$|^/?[^ \x00-\x1f/\\:][^:\\\t\n\r]*$",
                            description="A link to the source (a web address or a path relative to docs/).")
    date: datetime.date | None = Field(None, description="When it was observed or assumed (YYYY-MM-DD).")
    status: EvidenceStatus = Field(
        "hypothesis", description="hypothesis (assumed, to verify) or verified (a source shows it); "
                                  "a hypothesis unless the writer says verified.")
    note: Text | None = Field(None, description="What to check, or what was found.")


def _as_list(value: Any) -> Any:
    """One evidence mapping stands for a list of one (the JSON Schema allows both)."""
    return value if isinstance(value, list) else [value]


Evidences = Annotated[Union[list[Evidence], Evidence], AfterValidator(_as_list),
                      Field(description="One evidence mapping, or a list of them.")]


# ---------------------------------------------------------------- catalogs

TouchModel = Literal["high", "low", "tech"]  # high touch, low touch, tech touch


class Department(Strict):
    """A department (連携部署) that owns phases, lanes, touchpoints or KPIs."""

    id: Slug
    name: Text
    reading: str | None = Field(None, description="よみがな (kana), for sorting Japanese names in listings.")
    description: Text | None = None
    owners: TextList = Field(default_factory=list, description="People or teams who own it.")
    reviewers: Annotated[list[Annotated[str, StringConstraints(pattern=HANDLE_PATTERN)]],
                         BeforeValidator(_one_or_many)] = Field(
        default_factory=list,
        description="GitHub users '@name' or teams '@org/team' who review changes this department touches "
                    "(written into .github/CODEOWNERS by 'tabiji codeowners').")
    extra: Extra = Field(default_factory=dict)


class Channel(Strict):
    """A means of contact (チャネル): email, web meeting, in-product, ..."""

    id: Slug
    name: Text
    reading: str | None = Field(None, description="よみがな (kana), for sorting Japanese names in listings.")
    description: Text | None = None


class Touchpoint(Strict):
    """A point where the customer meets us (タッチポイント)."""

    id: Slug
    name: Text
    reading: str | None = Field(None, description="よみがな (kana), for sorting Japanese names in listings.")
    channel: Slug | None = Field(None, description="Channel id from the catalog.")
    owner: Slug | None = Field(None, description="Owning department id.")
    touch_model: TouchModel | None = None
    description: Text | None = None


# The evaluation ladder of domain.md, from "are we walking beside the customer?" up to LTV:
# the rungs a site has when its catalog defines no ``ladder`` (names and questions are labels).
RUNGS = ("standard_tasks", "guided_actions", "success", "loyalty", "health_score", "ltv")


class LadderRung(Strict):
    """A rung of the site's evaluation ladder (評価の階段), written bottom rung first: the
    company's own name and question, and what is evaluated and improved on it."""

    id: Slug
    name: Text = Field(description="The rung's name, e.g. '標準タスクの実行数・実行率'.")
    question: Text | None = Field(None, description="The question the rung answers, e.g. 'プロセス通り進んでる?'.")
    description: Text | None = None
    evaluation: TextList = Field(default_factory=list, description="What is evaluated on this rung (評価項目).")
    improvements: TextList = Field(default_factory=list,
                                   description="Where to look for improvements on this rung (改善検討箇所).")


class Undecided(Strict):
    """A target or threshold not set yet, kept in the team's words (「DAU ◯人以上」): the site
    shows it as 未定 and lists it, so no made-up number ever looks like a decision."""

    undecided: Text = Field(description="The target in words until it is set, e.g. 'DAU ◯人以上'.")


# A target value: a number, or {undecided: words} while the team has not set it.
TargetValue = Union[float, Undecided]


def decided(value: Any) -> bool:
    """Whether a target or threshold is a number (not missing, not undecided)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Kpi(Strict):
    """A KPI or metric, SMART: specific, measurable, achievable, relevant, time-bound."""

    id: Slug
    name: Text
    reading: str | None = Field(None, description="よみがな (kana), for sorting Japanese names in listings.")
    definition: Text = Field(description="What exactly is measured and how.")
    unit: str | None = Field(None, description="%, 件, 人, days, ...")
    target: TargetValue | None = Field(
        None, description="Target value, a number; or {undecided: 'DAU ◯人以上'} while it is not set yet.")
    direction: Literal["at_least", "at_most"] = Field(
        "at_least", description="Whether the value should reach at least or at most the target."
    )
    baseline: float | None = None
    deadline: datetime.date | None = Field(None, description="Date the target is due (YYYY-MM-DD).")
    owner: Slug | None = Field(None, description="Owning department id.")
    rung: Slug | None = Field(
        None, description="Its rung on the evaluation ladder (評価の階段): the id of a rung of the catalog's "
                          "'ladder', or without one: " + ", ".join(RUNGS) + ".")
    seen_from: Literal["cs", "customer"] | None = Field(
        None, description="Whether it is seen from the CS team or from the customer.")


class Segment(Strict):
    """A customer segment (セグメント)."""

    id: Slug
    name: Text
    reading: str | None = Field(None, description="よみがな (kana), for sorting Japanese names in listings.")
    axis: Literal["industry", "contract_size", "usage", "goal", "loyalty", "health", "other"] = "other"
    touch_model: TouchModel | None = None
    description: Text | None = None


class CustomerRole(Strict):
    """A role on the customer's side (事務局, プロジェクトリーダー, 意思決定者, ...)."""

    id: Slug
    name: Text
    reading: str | None = Field(None, description="よみがな (kana), for sorting Japanese names in listings.")
    description: Text | None = None


class GlossaryTerm(Strict):
    """A CS term (用語) with its definition, in ja and en."""

    id: Slug
    term: Text = Field(description="The term as written, or one per language.")
    reading: str | None = Field(None, description="よみがな, for sorting Japanese terms.")
    definition: Text
    aliases: list[str] = Field(default_factory=list, description="Other spellings that mean the same term.")
    see: Refs = Field(default_factory=list, description="Related glossary term ids.")


class CatalogFile(Strict):
    """A file under ``catalog/``: any of the shared catalogs, merged across files."""

    departments: list[Department] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    roles: list[CustomerRole] = Field(default_factory=list)
    glossary: list[GlossaryTerm] = Field(default_factory=list)
    ladder: list[LadderRung] = Field(
        default_factory=list, description="The evaluation ladder, bottom rung first (default: Tabiji's six rungs).")


# ---------------------------------------------------------------- review


class Reviewed(Strict):
    """Who keeps a document true, and how often it is reviewed."""

    review_every: Annotated[str, StringConstraints(pattern=CADENCE_PATTERN)] | None = Field(
        None, description="Review cadence: a number and d (days), w (weeks), m (months) or y (years), "
                          "e.g. '4w', '30d', '3m'.")
    last_reviewed: datetime.date | None = Field(None, description="Date of the last review (YYYY-MM-DD).")


# ---------------------------------------------------------------- persona


class Company(Strict):
    industry: Text | None = Field(None, description="業種")
    size: Text | None = Field(None, description="従業員数")
    department: Text | None = Field(None, description="部署")
    department_size: Text | None = Field(None, description="部署の人数")


class Persona(Reviewed):
    """A representative customer user (ペルソナ)."""

    id: Slug
    name: Text
    reading: str | None = Field(None, description="よみがな (kana), for sorting Japanese names in listings.")
    owner: Slug | None = Field(None, description="Owning department id.")
    role: Text | None = Field(None, description="役職")
    summary: Text | None = None
    company: Company | None = None
    decision_power: Text | None = Field(None, description="決裁権")
    adoption_purpose: Text | None = Field(None, description="導入目的")
    goals: TextList = Field(default_factory=list, description="目標・期待する成果")
    success_metrics: TextList = Field(default_factory=list, description="成功指標")
    kpis: Refs = Field(default_factory=list, description="KPI ids that measure the persona's success.")
    challenges: TextList = Field(default_factory=list, description="課題")
    needs: TextList = Field(default_factory=list, description="ニーズ")
    personality: Text | None = None
    hobbies: TextList = Field(default_factory=list)
    lifestyle: Text | None = None
    information_sources: TextList = Field(default_factory=list, description="情報収集の手段")
    quote: Text | None = None
    segments: Refs = Field(default_factory=list, description="Segment ids.")
    tags: list[str] = Field(default_factory=list)
    extra: Extra = Field(default_factory=dict)


# ---------------------------------------------------------------- journey


class Step(Strict):
    id: Slug
    name: Text
    description: Text | None = None
    returns_to: Slug | None = Field(None, description="A loop: the id of an earlier phase or step of this journey "
                                                     "that customers go back to from here (training -> setup).")
    returns_when: Text | None = Field(None, description="When or why customers go back (with 'returns_to').")


class Phase(Strict):
    id: Slug
    name: Text
    goal: Text | None = Field(None, description="Goal or milestone (マイルストーン).")
    owners: Refs = Field(default_factory=list, description="Owning department ids.")
    description: Text | None = None
    steps: list[Step] = Field(default_factory=list)
    returns_to: Slug | None = Field(None, description="A loop: the id of an earlier phase or step of this journey "
                                                     "that customers go back to from here (training -> setup).")
    returns_when: Text | None = Field(None, description="When or why customers go back (with 'returns_to').")


TextCell = Union[Text, list[Text]]


class Emotion(Strict):
    score: int | None = Field(None, ge=EMOTION_MIN, le=EMOTION_MAX,
                              description="From -2 (very negative) to +2; leave it out when the feeling is known "
                                          "only in words (the curve then has a gap, never a made-up zero).")
    label: Text | None = Field(None, description="The feeling in a word or two.")
    thought: TextCell | None = Field(None, description="What the customer thinks (思考).")


class _Lane(Strict):
    title: Text | None = Field(None, description="Overrides the default title of the lane kind.")
    evidence: dict[str, Evidences] = Field(
        default_factory=dict, description="Phase or step id -> where that cell comes from (evidence).")


class TextLane(_Lane):
    kind: Literal["actions", "information", "measures", "pain_points", "gain_points", "text"]
    cells: dict[str, TextCell] = Field(description="Phase or step id -> text, or a list of texts.")


class RefLane(_Lane):
    kind: Literal["touchpoints", "departments", "kpis"]
    cells: dict[str, Refs] = Field(description="Phase or step id -> catalog ids.")
    people: dict[str, dict[Slug, Text]] = Field(
        default_factory=dict,
        description="Departments lane only: phase or step id -> department id (one of that cell's) -> the people "
                    "(担当チーム/担当者): a role or a name, shown beside the department.")


class EmotionLane(_Lane):
    kind: Literal["emotions"]
    cells: dict[str, Emotion] = Field(description="Phase or step id -> emotion score and label.")


Lane = Annotated[Union[TextLane, RefLane, EmotionLane], Field(discriminator="kind")]
LANE_KINDS = (
    "actions", "emotions", "touchpoints", "departments", "information",
    "measures", "kpis", "pain_points", "gain_points", "text",
)
REQUIRED_LANES = ("actions", "emotions")


class Journey(Reviewed):
    """A customer journey map (カスタマージャーニーマップ) for one or a few personas."""

    id: Slug
    title: Text
    order: int | None = Field(None, description="Position in the customer's life (1, 2, ...) for journeys no "
                                                "roadmap stage maps; mapped journeys follow the stages' order.")
    personas: Refs = Field(min_length=1, description="Persona ids the journey is drawn for.")
    goal: Text = Field(description="The overall goal of the journey.")
    kpis: Refs = Field(default_factory=list, description="KPI ids that measure the journey's goal (解約率, 採用成功率).")
    owner: Slug = Field(description="Owning department id.")
    description: Text | None = None
    segments: Refs = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    phases: list[Phase] = Field(min_length=1)
    lanes: list[Lane] = Field(min_length=1)


# ---------------------------------------------------------------- success roadmap

PHASE_REF_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:/[a-z0-9]+(?:[-_][a-z0-9]+)*)?$"
PhaseRef = Annotated[
    str,
    StringConstraints(pattern=PHASE_REF_PATTERN),
    Field(description="A journey id, or 'journey-id/phase-id' for one of its phases."),
]
Comparison = Literal[">=", "<=", ">", "<", "="]


Change = Literal["increase", "decrease"]
# The forms of a condition, for editors (the model checks the same in ``Condition._one_form``).
_CONDITION_FORMS = [{"required": ["metric", "comparison", "value"]}, {"required": ["metric", "change"]},
                    {"required": ["event"]}]


class Condition(Strict):
    """A condition in one of three forms: a measure (``metric comparison value``: DAU ≥ 50), a
    change over a window (``metric change by``: usage down 30% in 4 weeks) or an event that
    happens, or does not (``event``, ``happened: false``: the NPS survey is not answered)."""

    model_config = ConfigDict(json_schema_extra={"anyOf": _CONDITION_FORMS, "not": {"required": ["event", "metric"]}})
    # What ``repair`` puts in place of a condition that failed validation: the smallest valid one.
    STAND_IN: ClassVar[dict] = {"event": "x"}

    metric: Slug | None = Field(None, description="Metric (KPI) id from the catalog (a measure or a change).")
    comparison: Comparison | None = Field(None, description="One of >=, <=, >, <, = (a measure).")
    value: TargetValue | None = Field(None, description="The threshold, a number; or {undecided: '◯人以上'} while "
                                                        "it is not set yet (a measure).")
    unit: str | None = Field(None, description="Defaults to the metric's unit.")
    window: Text | None = Field(None, description="Time window, e.g. 'within 30 days of the kickoff'.")
    change: Change | None = Field(None, description="A change over the window: the metric goes up (increase) or "
                                                    "down (decrease), e.g. a key person's usage drops.")
    by: TargetValue | None = Field(None, description="How much the metric changes, in its unit (30 with unit % "
                                                     "for 30%); or {undecided: words}. Leave it out if any change "
                                                     "counts.")
    event: Text | None = Field(None, description="Something that happens or not, in words (初期設定完了, "
                                                 "NPSサーベイへの回答): no metric needed.")
    happened: bool | None = Field(None, description="false: the condition is that the event did not happen "
                                                    "(within the window), an absence.")

    @model_validator(mode="after")
    def _one_form(self) -> "Condition":
        problem = condition_form(self)
        if problem:
            field_name, expected, found, hint = problem
            raise PydanticCustomError("condition_form", "{expected}",
                                      {"field": field_name, "expected": expected, "found": found, "hint": hint})
        return self


def condition_form(cond: Condition) -> tuple[str, str, str, str] | None:
    """(field, expected, found, hint) for a condition that mixes or misses the parts of its
    form, or None. ``field`` is where to point ('' for the condition itself)."""
    is_event = cond.event is not None or getattr(cond, "task", None) is not None
    measure_parts = [f for f in ("metric", "comparison", "value", "change", "by", "unit") if getattr(cond, f) is not None]
    if is_event:
        if measure_parts:
            return (measure_parts[0], "an event (event, happened, window) or a metric condition, not both",
                    f"'{measure_parts[0]}' beside 'event'", "remove 'event' or the metric's fields")
        return None
    if cond.happened is not None:
        return ("happened", "'happened' only with 'event'", "no 'event'", "add 'event: <what happens>'")
    if cond.metric is None:
        return ("", "a condition: {metric, comparison, value}, {metric, change} or {event}", "neither a 'metric' "
                "nor an 'event'", "an event without a metric is written as event: <what happens>")
    if cond.change is not None:
        extra = next((f for f in ("comparison", "value") if getattr(cond, f) is not None), None)
        if extra:
            return (extra, "a change (metric, change, by, window) or a measure (metric, comparison, value), not both",
                    f"'{extra}' beside 'change'", "remove 'change' and 'by', or 'comparison' and 'value'")
        return None
    if cond.by is not None:
        return ("by", "'by' only with 'change' (increase or decrease)", "no 'change'", "add 'change: decrease'")
    for name in ("comparison", "value"):
        if getattr(cond, name) is None:
            return (name, f"the required field '{name}'", "nothing", "")
    return None


def is_event(cond: Condition) -> bool:
    """Whether the condition is an event (happens or not) rather than a metric's measure or change."""
    return cond.metric is None


class Checkpoint(Condition):
    """A checkpoint of a stage's achievement state: a measure or change of a metric, or an
    event (初期設定完了), which a task of the roadmap may be."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [*_CONDITION_FORMS, {"required": ["task"]}],
                                                 "not": {"anyOf": [{"required": ["event", "metric"]},
                                                                   {"required": ["task", "metric"]}]}})

    label: Text | None = Field(None, description="The checkpoint in words, if the condition is not enough.")
    task: Slug | None = Field(None, description="The id of the task of this roadmap whose completion is this "
                                                "checkpoint's event (its name is the event unless 'event' says it).")
    evidence: Evidences = Field(default_factory=list, description="Where the checkpoint comes from.")


# A web address or a docs-relative path: anything else with a scheme (javascript:, data:) is refused,
# and so is a "path" a browser reads as another host: '//evil.example', '/\\evil.example' (browsers
# treat '\\' as '/', drop tabs and newlines inside a URL and spaces before it).
LINK_URL_PATTERN = (r"^(?:https?://|mailto:)|^/?$|^/?[^ \x00-\x1f/\\:][^:\\\t\n\r]*$")


class Link(Strict):
    title: Text
    url: str = Field(pattern=LINK_URL_PATTERN, description="A web address, or a path relative to docs/.")


class Task(Strict):
    """A standard task (標準タスク) in one of the three task lanes of a stage."""

    id: Slug
    name: Text
    description: Text | None = None
    department: Slug | None = Field(None, description="Our department that owns or supports it.")
    role: Slug | None = Field(None, description="Customer role id that takes part.")
    partners: Refs = Field(default_factory=list, description="Other departments that take part (営業 in "
                                                            "「アップセル提案を営業担当と実施」); 'department' leads.")
    touch_model: TouchModel | None = None
    links: list[Link] = Field(default_factory=list)
    order: int | None = Field(None, ge=1, description="Its place in one time order across the three task lanes "
                                                       "of the stage (1, 2, ...; tasks done at the same time share "
                                                       "a number). Give it to every task of the stage or to none.")


def task_order(stage: "Stage") -> bool:
    """Whether the stage's tasks carry one order across the three lanes."""
    return any(t.order is not None for lane in TASK_LANES for t in getattr(stage.tasks, lane))


class StageTasks(Strict):
    """The three task lanes, each in time order."""

    joint: list[Task] = Field(default_factory=list, description="共同タスク: done together.")
    customer: list[Task] = Field(default_factory=list, description="カスタマータスク: done by the customer.")
    ours: list[Task] = Field(default_factory=list, description="自社タスク: done by us.")


TASK_LANES = ("joint", "customer", "ours")


class Stage(Strict):
    """A roadmap stage (ステージ), defined by its achievement state (達成状態)."""

    id: Slug
    name: Text
    state: Text = Field(description="The achievement state (達成状態) that ends the stage.")
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    phases: Annotated[list[PhaseRef], BeforeValidator(_one_or_many)] = Field(
        default_factory=list, description="Journey phases this stage corresponds to.")
    description: Text | None = None
    tasks: StageTasks = Field(default_factory=StageTasks)


class GuidedAction(Strict):
    """A guided action (誘導アクション): when <trigger>, <team> does <action> for <role>."""

    id: Slug
    kind: Literal["positive", "challenge"] = Field(description="positive: an opportunity; challenge: a risk.")
    stage: Slug | None = Field(None, description="Stage id of this roadmap; leave it out for an action that "
                                                 "applies at any stage (roadmap-wide).")
    trigger: Text = Field(description="When this happens (in words).")
    condition: Condition | None = Field(None, description="The trigger as a measurable condition.")
    action: Text = Field(description="What to do.")
    role: Slug | None = Field(None, description="Customer role id it is aimed at.")
    department: Slug = Field(description="Our department (team) that performs it.")
    partners: Refs = Field(default_factory=list, description="Other departments that take part (営業 in "
                                                            "「アップセル提案を営業担当と実施」); 'department' leads.")
    touch_model: TouchModel | None = None
    follow_up: Text | None = None
    links: list[Link] = Field(default_factory=list)


class Roadmap(Reviewed):
    """A success roadmap (サクセスロードマップ): how CS walks beside the customer to success."""

    id: Slug
    title: Text
    product: Text = Field(description="The product or service.")
    personas: Refs = Field(min_length=1, description="Persona ids it serves.")
    segments: Refs = Field(default_factory=list)
    owner: Slug = Field(description="Owning department id.")
    description: Text | None = None
    tags: list[str] = Field(default_factory=list)
    stages: list[Stage] = Field(min_length=1)
    actions: list[GuidedAction] = Field(default_factory=list)


# The kinds of source file, by the folder they live in under the source root.
KINDS: dict[str, type[Strict]] = {"catalog": CatalogFile, "personas": Persona, "maps": Journey,
                                  "roadmaps": Roadmap}
SCHEMA_NAMES = {"catalog": "catalog", "personas": "persona", "maps": "journey", "roadmaps": "roadmap"}
