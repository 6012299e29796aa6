"""The content model: what a catalog, a persona and a journey file may contain.

Pydantic gives us validation, readable error locations and the JSON Schema from one
definition. Every scalar reaches these models as the text the writer typed (see
``loader``), so YAML's implicit typing can never turn ``no`` into ``False``: only fields
declared as numbers or dates are converted, by pydantic, from that text.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
LANG_PATTERN = r"^[a-z]{2}(?:-[A-Za-z]{2,4})?$"
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


class Strict(BaseModel):
    """Unknown fields are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- catalogs


class Department(Strict):
    """A department (連携部署) that owns phases, lanes, touchpoints or KPIs."""

    id: Slug
    name: Text
    description: Text | None = None
    owners: TextList = Field(default_factory=list, description="People or teams who own it.")


class Channel(Strict):
    """A means of contact (チャネル): email, web meeting, in-product, ..."""

    id: Slug
    name: Text
    description: Text | None = None


class Touchpoint(Strict):
    """A point where the customer meets us (タッチポイント)."""

    id: Slug
    name: Text
    channel: Slug | None = Field(None, description="Channel id from the catalog.")
    owner: Slug | None = Field(None, description="Owning department id.")
    touch_model: Literal["high", "low", "tech"] | None = None
    description: Text | None = None


class Kpi(Strict):
    """A KPI or metric, SMART: specific, measurable, achievable, relevant, time-bound."""

    id: Slug
    name: Text
    definition: Text = Field(description="What exactly is measured and how.")
    unit: str | None = Field(None, description="%, 件, 人, days, ...")
    target: float | None = Field(None, description="Target value, a number.")
    direction: Literal["at_least", "at_most"] = Field(
        "at_least", description="Whether the value should reach at least or at most the target."
    )
    baseline: float | None = None
    deadline: datetime.date | None = Field(None, description="Date the target is due (YYYY-MM-DD).")
    owner: Slug | None = Field(None, description="Owning department id.")


class Segment(Strict):
    """A customer segment (セグメント)."""

    id: Slug
    name: Text
    axis: Literal["industry", "contract_size", "usage", "goal", "loyalty", "health", "other"] = "other"
    touch_model: Literal["high", "low", "tech"] | None = None
    description: Text | None = None


class CatalogFile(Strict):
    """A file under ``catalog/``: any of the shared catalogs, merged across files."""

    departments: list[Department] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)


# ---------------------------------------------------------------- persona


class Company(Strict):
    industry: Text | None = Field(None, description="業種")
    size: Text | None = Field(None, description="従業員数")
    department: Text | None = Field(None, description="部署")
    department_size: Text | None = Field(None, description="部署の人数")


class Persona(Strict):
    """A representative customer user (ペルソナ)."""

    id: Slug
    name: Text
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


# ---------------------------------------------------------------- journey


class Step(Strict):
    id: Slug
    name: Text
    description: Text | None = None


class Phase(Strict):
    id: Slug
    name: Text
    goal: Text | None = Field(None, description="Goal or milestone (マイルストーン).")
    owners: Refs = Field(default_factory=list, description="Owning department ids.")
    description: Text | None = None
    steps: list[Step] = Field(default_factory=list)


TextCell = Union[Text, list[Text]]


class Emotion(Strict):
    score: int = Field(ge=EMOTION_MIN, le=EMOTION_MAX, description="From -2 (very negative) to +2.")
    label: Text | None = Field(None, description="The feeling in a word or two.")
    thought: TextCell | None = Field(None, description="What the customer thinks (思考).")


class _Lane(Strict):
    title: Text | None = Field(None, description="Overrides the default title of the lane kind.")


class TextLane(_Lane):
    kind: Literal["actions", "information", "measures", "pain_points", "gain_points", "text"]
    cells: dict[str, TextCell] = Field(description="Phase or step id -> text, or a list of texts.")


class RefLane(_Lane):
    kind: Literal["touchpoints", "departments", "kpis"]
    cells: dict[str, Refs] = Field(description="Phase or step id -> catalog ids.")


class EmotionLane(_Lane):
    kind: Literal["emotions"]
    cells: dict[str, Emotion] = Field(description="Phase or step id -> emotion score and label.")


Lane = Annotated[Union[TextLane, RefLane, EmotionLane], Field(discriminator="kind")]
LANE_KINDS = (
    "actions", "emotions", "touchpoints", "departments", "information",
    "measures", "kpis", "pain_points", "gain_points", "text",
)
REQUIRED_LANES = ("actions", "emotions")


class Journey(Strict):
    """A customer journey map (カスタマージャーニーマップ) for one or a few personas."""

    id: Slug
    title: Text
    personas: Refs = Field(min_length=1, description="Persona ids the journey is drawn for.")
    goal: Text = Field(description="The overall goal of the journey.")
    owner: Slug = Field(description="Owning department id.")
    description: Text | None = None
    segments: Refs = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    phases: list[Phase] = Field(min_length=1)
    lanes: list[Lane] = Field(min_length=1)


# The three kinds of source file, by the folder they live in under the source root.
KINDS: dict[str, type[Strict]] = {"catalog": CatalogFile, "personas": Persona, "maps": Journey}
SCHEMA_NAMES = {"catalog": "catalog", "personas": "persona", "maps": "journey"}
