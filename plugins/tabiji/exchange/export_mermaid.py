"""A journey as a Mermaid ``journey`` diagram, which GitHub renders in Markdown.

Lossy by nature, and it says so in a comment: Mermaid's journey has sections (our phases),
tasks with a 1–5 score (our steps with their emotion, -2..+2 mapped to 1..5) and actors (our
personas); lanes other than the emotion have no place in it. Text goes through ``_clean``:
Mermaid's grammar reserves ':' (task fields), '#' and ';' (entities, statements), and a
backtick run could end the Markdown fence the diagram is embedded in; '<' and '>' would be
markup in the labels Mermaid draws as HTML.
"""

from __future__ import annotations

import re

from tabiji.core import model as m
from tabiji.core.lang import localize
from tabiji.source.validate import Site

_RESERVED = re.compile(r"[:;#`\r\n\t%{}<>]")
NEUTRAL = 3


def _clean(text: str) -> str:
    replaced = _RESERVED.sub(lambda ch: {":": "：", ";": "；", "#": "＃", "%": "％", "{": "（", "}": "）",
                                                            "<": "＜", ">": "＞"}.get(
        ch.group(), " "), text)
    return re.sub(r"\s+", " ", replaced).strip() or "-"


def score_1_5(score: int) -> int:
    """-2..+2 onto Mermaid's 1..5 (0, neutral, is 3)."""
    return max(1, min(5, score - m.EMOTION_MIN + 1))


def to_mermaid(journey: m.Journey, site: Site, lang: str, source: str = "") -> str:
    emotions = next((lane for lane in journey.lanes if lane.kind == "emotions"), None)
    cells = emotions.cells if emotions else {}
    actors = ", ".join(_clean(localize(site.personas[p].name, lang)) if p in site.personas else _clean(p)
                       for p in journey.personas).replace(",,", ",")
    lines = [
        f"%% tabiji: journey '{journey.id}'{' from ' + _clean(source) if source else ''}.",
        "%% Lossy: only phases, steps, emotion scores (-2..+2 shown as 1..5) and personas are drawn;",
        "%% the other lanes, goals and owners are on the site.",
        "journey",
        f"  title {_clean(localize(journey.title, lang))}",
    ]
    for phase in journey.phases:
        lines.append(f"  section {_clean(localize(phase.name, lang))}")
        for col_id, name in ([(s.id, s.name) for s in phase.steps] or [(phase.id, phase.name)]):
            emotion = cells.get(col_id) or cells.get(phase.id)
            # Mermaid wants a number for every task: a feeling in words only is drawn neutral (lossy)
            score = score_1_5(emotion.score) if emotion and emotion.score is not None else NEUTRAL
            task = _clean(localize(name, lang))
            if emotion and emotion.label:
                task = f"{task}（{_clean(localize(emotion.label, lang))}）" if lang == "ja" else \
                    f"{task} ({_clean(localize(emotion.label, lang))})"
            lines.append(f"    {task}: {score}: {_safe_actors(actors)}")
    return "\n".join(lines) + "\n"


def _safe_actors(actors: str) -> str:
    return actors or "-"


COMMENT_LIMIT = 60_000  # GitHub caps a comment at 65,536 characters; leave room for the rest


def pr_section(journey_ids: list[str], site: Site, lang: str, room: int) -> str:
    """Mermaid journeys of the changed journeys for the pull-request comment, folded, as long
    as they fit in ``room`` characters (GitHub renders ```mermaid blocks natively)."""
    summary = "変更されたジャーニー（Mermaid、簡略）" if lang == "ja" else "Changed journeys (Mermaid, simplified)"
    parts: list[str] = []
    used = 0
    for jid in journey_ids:
        if jid not in site.journeys:
            continue  # removed in this change: nothing to draw
        block = f"\n```mermaid\n{to_mermaid(site.journeys[jid], site, lang)}```\n"
        if used + len(block) > room:
            break
        parts.append(block)
        used += len(block)
    if not parts:
        return ""
    return f"\n<details><summary>{summary}</summary>\n{''.join(parts)}\n</details>\n"
