"""The one order of every listing: journeys in the order the customer lives them, the rest by reading.

Journeys a roadmap maps come first, in the order of the first stage that names them (trial
before onboarding before renewal); the others follow by their ``order:`` field, then by title.
Names with no natural order (personas, departments, KPIs, ...) sort by their ``reading:``
(よみ) where the writer gives one, else by a Japanese-aware key of the name: full-width and
half-width forms folded (NFKC), katakana folded to hiragana, case folded. Phases and steps
keep the order the writer gave them: that order is the customer's.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Iterable

from tabiji.core.lang import localize
from tabiji.source.validate import Site

_LAST = float("inf")


def reading_key(text: str) -> str:
    """A sort key for a name or its reading: あいうえお order for kana, whatever the script."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in folded).strip()


def display_name(entity: Any, lang: str) -> str:
    return localize(getattr(entity, "title", None) or getattr(entity, "name", None)
                    or getattr(entity, "term", None) or "", lang)


def name_key(entity: Any, lang: str, id_: str) -> tuple[str, str, str]:
    """By reading (Japanese sites, when given), then by the shown name, then by id (stable)."""
    name = display_name(entity, lang)
    reading = getattr(entity, "reading", None) if lang.lower().startswith("ja") else None
    return reading_key(reading or name), reading_key(name), id_


def first_stages(site: Site) -> dict[str, int]:
    """Journey id -> the position of the first roadmap stage that names it or one of its phases."""
    found: dict[str, int] = {}
    for rid in sorted(site.roadmaps):
        for position, stage in enumerate(site.roadmaps[rid].stages):
            for ref in stage.phases:
                jid = ref.split("/")[0]
                found[jid] = min(found.get(jid, position), position)
    return found


def journey_key(site: Site, lang: str, stages: dict[str, int] | None = None):
    """The key of :func:`journey_order`, for sorting any subset of journeys."""
    stages = first_stages(site) if stages is None else stages

    def key(jid: str) -> tuple:
        journey = site.journeys[jid]
        explicit = journey.order if journey.order is not None else _LAST
        if jid in stages:
            return (0, stages[jid], explicit, name_key(journey, lang, jid))
        return (1, 0, explicit, name_key(journey, lang, jid))
    return key


def journey_order(site: Site, lang: str, ids: Iterable[str] | None = None) -> list[str]:
    """Journey ids (all, or ``ids``) in the customer's order."""
    chosen = site.journeys if ids is None else [i for i in dict.fromkeys(ids) if i in site.journeys]
    return sorted(chosen, key=journey_key(site, lang))


def ordered(site: Site, collection: str, lang: str, ids: Iterable[str] | None = None) -> list[str]:
    """Ids of ``collection`` (all, or ``ids``) in the order every listing shows them."""
    if collection == "journeys":
        return journey_order(site, lang, ids)
    table = getattr(site, collection)
    chosen = table if ids is None else [i for i in dict.fromkeys(ids) if i in table]
    return sorted(chosen, key=lambda i: name_key(table[i], lang, i))


def column_position(journey: Any) -> dict[str, int]:
    """Phase and step id -> its position in the journey (phase order, then step order)."""
    found: dict[str, int] = {}
    for phase in journey.phases:
        found[phase.id] = len(found)
        for step in phase.steps:
            found[step.id] = len(found)
    return found
