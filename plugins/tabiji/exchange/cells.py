"""The sheet's compound cells, written and read here so export and import agree.

- A 根拠 (evidence) cell holds one ``name：value`` line per field (種類：インタビュー, 状態：検証済み,
  日付：2026-04-20, 出典：…, URL：…, メモ：…), a translation as ``出典 [en]：…``; several
  evidences are separated by an empty line. A cell of plain words is one evidence's source.
- A 担当者・チーム (people) cell holds one ``department：people`` line per department.
- A 戻る先 (loop) cell names a phase or step of the journey by its name, or by its id.

Readers return ``(value, problems)``; a problem is a message the importer locates at the cell.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from tabiji.core import model as m
from tabiji.core.problems import closest
from tabiji.exchange.grid import LANG_SUFFIX, in_lang, languages
from tabiji.exchange.words import (EVIDENCE_FIELD_SYNONYMS, EVIDENCE_FIELDS, EVIDENCE_WORD_SYNONYMS,
                                   EVIDENCE_WORDS, norm)

FIELD_ORDER = ("kind", "status", "date", "source", "url", "note")
TEXT_FIELDS = ("source", "note")  # the fields that may be written in several languages
URL = re.compile(m.LINK_URL_PATTERN)
# 'name：value' at the start of a line (full- or half-width colon); the name is short
KEYED = re.compile(r"^\s*([^:：\n]{1,24}?)\s*[:：]\s?(.*)$")
DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _colon(lang: str) -> str:
    return "：" if lang.startswith("ja") else ": "


def _words(lang: str) -> dict[str, str]:
    return EVIDENCE_WORDS["ja" if lang.startswith("ja") else "en"]


def _field_names(lang: str) -> dict[str, str]:
    return EVIDENCE_FIELDS["ja" if lang.startswith("ja") else "en"]


# ------------------------------------------------------------------ evidence, written


def evidence_text(evidences: list[m.Evidence], lang: str) -> str:
    """Evidences as one cell: a block of 'name：value' lines each, an empty line between."""
    return "\n\n".join(_evidence_block(ev, lang) for ev in evidences)


def _evidence_block(ev: m.Evidence, lang: str) -> str:
    names, words, colon = _field_names(lang), _words(lang), _colon(lang)
    lines = []
    for name in FIELD_ORDER:
        value = getattr(ev, name)
        if value is None:
            continue
        if name in ("kind", "status"):
            lines.append(f"{names[name]}{colon}{words[value]}")
        elif name == "date":
            lines.append(f"{names[name]}{colon}{value.isoformat()}")
        elif name in TEXT_FIELDS:
            lines.append(f"{names[name]}{colon}{_one_line(in_lang(value, lang, lang))}")
            for other in sorted(languages(value) - {lang}):
                lines.append(f"{names[name]} [{other}]{colon}{_one_line(in_lang(value, other, lang))}")
        else:
            lines.append(f"{names[name]}{colon}{value}")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    # an empty line would end the evidence: a paragraph break inside a note stays a line break
    return re.sub(r"\n\s*\n", "\n", text.strip("\n"))


# ------------------------------------------------------------------ evidence, read


def _field_table() -> dict[str, str]:
    table = {}
    for names in EVIDENCE_FIELDS.values():
        for key, word in names.items():
            table[norm(word)] = key
    for key, words in EVIDENCE_FIELD_SYNONYMS.items():
        for word in words:
            table.setdefault(norm(word), key)
    for key in FIELD_ORDER:
        table.setdefault(key, key)
    return table


def _value_table() -> dict[str, str]:
    table = {}
    for words in EVIDENCE_WORDS.values():
        for key, word in words.items():
            table[norm(word)] = key
    for key, words in EVIDENCE_WORD_SYNONYMS.items():
        for word in words:
            table.setdefault(norm(word), key)
    for key in (*m.EVIDENCE_KINDS, "hypothesis", "verified"):
        table.setdefault(key, key)
    return table


FIELD_WORDS = _field_table()
VALUE_WORDS = _value_table()


def read_evidence(text: str, lang: str) -> tuple[list[dict[str, Any]], list[str]]:
    """A 根拠 cell back to evidence mappings (the model's shape) and the problems found."""
    problems: list[str] = []
    blocks = [b for b in re.split(r"\n[ \t\u3000]*\n", text.replace("\r\n", "\n").strip()) if b.strip()]
    out = []
    for block in blocks:
        lines = block.split("\n")
        keyed_lines = [KEYED.match(line) for line in lines]
        if not any(k and _field(k.group(1)) for k in keyed_lines):
            out.append({"source": block.strip()})  # plain words: what the cell rests on
            continue
        fields: dict[str, Any] = {}
        last: str | None = None
        for line in lines:
            keyed = KEYED.match(line)
            found = _field(keyed.group(1)) if keyed else None
            if found is None:
                if keyed and not keyed.group(2).startswith("//") and closest(norm(keyed.group(1)), FIELD_WORDS, 1):
                    near = closest(norm(keyed.group(1)), FIELD_WORDS, 1)[0]
                    problems.append(f"expected an evidence field ({_names_shown(lang)}), found "
                                    f"'{keyed.group(1).strip()}' (closest: {near})")
                elif last is not None:  # a line of its own continues the field above it
                    _append(fields, last, line)
                continue
            name, other = found
            value = keyed.group(2).strip()
            last = (name, other)
            if other:
                fields.setdefault(("_lang", name), {})[other] = value
            elif name in fields:
                problems.append(f"expected one '{keyed.group(1).strip()}' per evidence, found two "
                                f"(an empty line starts the next evidence)")
            else:
                fields[name] = value
        out.append(_evidence_data(fields, lang, problems))
    return out, problems


def _field(label: str) -> tuple[str, str | None] | None:
    """('source', 'en') for '出典 [en]', ('kind', None) for '種類', None for other words."""
    match = LANG_SUFFIX.match(label.strip())
    name, other = (match.group(1), match.group(2)) if match else (label, None)
    key = FIELD_WORDS.get(norm(name))
    if key is None or other and key not in TEXT_FIELDS:
        return None
    return key, other


def _append(fields: dict, last: tuple[str, str | None], line: str) -> None:
    name, other = last
    if other:
        fields[("_lang", name)][other] += "\n" + line
    else:
        fields[name] += "\n" + line


def _names_shown(lang: str) -> str:
    return ", ".join(_field_names(lang).values())


def _evidence_data(fields: dict, lang: str, problems: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    words = _words(lang)
    for name in FIELD_ORDER:
        value = fields.get(name)
        translations = fields.get(("_lang", name), {})
        if value in (None, "") and not translations:
            continue
        if name in ("kind", "status"):
            allowed = m.EVIDENCE_KINDS if name == "kind" else ("hypothesis", "verified")
            key = VALUE_WORDS.get(norm(value))
            if key not in allowed:
                choices = {words[k]: k for k in allowed}
                near = closest(value, choices, 1)
                problems.append(f"expected the evidence's {_field_names(lang)[name]} to be one of "
                                f"{', '.join(choices)}, found '{value}'" + (f" (closest: {near[0]})" if near else ""))
                continue
            data[name] = key
        elif name == "date":
            date = _date(value)
            if date is None:
                problems.append(f"expected the evidence's {_field_names(lang)[name]} as YYYY-MM-DD, found '{value}'")
                continue
            data[name] = date
        elif name == "url":
            if not URL.match(value):
                problems.append(f"expected the evidence's URL to be a web address (https://…) or a path of the "
                                f"site, found '{value}'")
                continue
            data[name] = value
        else:
            parts = {k: v for k, v in translations.items() if v}
            data[name] = {lang: value, **parts} if parts and value else (value or next(iter(parts.values())))
    return data


def _date(text: str) -> str | None:
    text = text.strip()
    match = DATE.match(text)
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


# ------------------------------------------------------------------ people


def people_text(people: dict[str, Any], name_of, lang: str, base: str) -> str:
    """'department：people' lines, the department by its name in ``lang``."""
    colon = _colon(base)
    return "\n".join(f"{name_of(dept, lang)}{colon}{in_lang(who, lang, base)}"
                     for dept, who in people.items() if in_lang(who, lang, base))


def read_people(text: str) -> list[tuple[str, str]]:
    """(department words, people) per line; a line without a colon has no people (words only)."""
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip(" \t\u3000").lstrip("・•●").strip(" \t\u3000")
        if not line:
            continue
        parts = re.split(r"[:：]", line, maxsplit=1)
        dept, who = (parts[0], parts[1]) if len(parts) == 2 else (line, "")
        out.append((dept.strip(), who.strip()))
    return out


# ------------------------------------------------------------------ loops


def loop_targets(journey_phases: list[dict] | list[m.Phase], lang: str) -> dict[str, list[str]]:
    """The words that name each phase and step (its id, its names in every language)."""
    targets: dict[str, list[str]] = {}
    for phase in journey_phases:
        for item in [phase, *_steps(phase)]:
            id_, name = _get(item, "id"), _get(item, "name")
            names = list(name.values()) if isinstance(name, dict) else [name]
            targets[id_] = [id_, *[n for n in names if n]]
    return targets


def _steps(phase: Any) -> list:
    return (phase.get("steps") or []) if isinstance(phase, dict) else phase.steps


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key)


def resolve_target(text: str, targets: dict[str, list[str]]) -> str | None:
    """The id a 戻る先 cell names: an id first, then a name only one phase or step has."""
    text = text.strip()
    if text in targets:
        return text
    named = [id_ for id_, words in targets.items() if any(norm(w) == norm(text) for w in words[1:])]
    return named[0] if len(named) == 1 else None


def target_text(id_: str, targets: dict[str, list[str]], lang: str, name: Any) -> str:
    """What export writes for a 戻る先: the name when it reads back as the same id, else the id."""
    words = in_lang(name, lang, lang) if name is not None else ""
    return words if words and resolve_target(words, targets) == id_ else id_
