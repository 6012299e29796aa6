"""``tabiji new journey|persona|roadmap ID``: a commented skeleton that validates at once.

The skeleton names the site's own departments, personas, KPIs and journeys, so the writer
starts from a file that already fits the site and replaces the example texts. Every text is
marked as a placeholder (「（…）」 / "(…)") so nothing in it can pass for a fact on the site.
Only ids (which are slugs) and cleaned-up names reach the YAML, never raw text: a name
holding a line break must not end a comment and start a field.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tabiji.core import model as m
from tabiji.core.names import MAX_ID_LENGTH, shown, unsafe_chars
from tabiji.core.paths import FOLDERS
from tabiji.core.problems import suggest
from tabiji.core.lang import localize
from tabiji.source.validate import Site

KINDS = {"journey": ("maps", "journeys", "journey"), "persona": ("personas", "personas", "persona"),
         "roadmap": ("roadmaps", "roadmaps", "roadmap")}


class Refused(Exception):
    """The skeleton cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Skeleton:
    path: Path
    text: str


def check_id(kind: str, id_: str, site: Site, target: Path) -> None:
    """Refuse an id that is not a valid, free id of this kind (same rules as validation)."""
    collection = KINDS[kind][1]
    if unsafe_chars(id_) or not re.fullmatch(m.SLUG_PATTERN, id_):
        raise Refused(f"'{shown(id_)}' is not an id: use lowercase letters a-z, digits, '-' or '_' "
                      "(e.g. 'first-week'); ids name files and pages")
    if len(id_) > MAX_ID_LENGTH:
        raise Refused(f"the id is {len(id_)} characters long; at most {MAX_ID_LENGTH} (ids name files)")
    if collection in FOLDERS and id_ == "index":
        raise Refused(f"'index' cannot be the id of a {kind}: the list of {collection} is published there")
    for existing in (target, target.with_suffix(".yaml")):
        if existing.exists() or existing.is_symlink():
            raise Refused(f"{_display(existing)} exists; choose another id or edit that file")
    if id_ in getattr(site, collection) or (collection, id_) in site.broken:
        where = site.origins.get((collection, id_))
        raise Refused(f"a {kind} '{id_}' is already defined" + (f" in {where[0].path}" if where else "")
                      + "; choose another id")


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _name(text: object, lang: str) -> str:
    """A name fit for a one-line YAML comment: one line, no control characters, short."""
    flat = " ".join(localize(text, lang).split())
    flat = "".join(ch for ch in flat if not unsafe_chars(ch))
    return flat if len(flat) <= 30 else flat[:29] + "…"


def _choices(what: str, table: dict, lang: str, indent: str = "", width: int = 100) -> list[str]:
    """Comment lines naming the site's ids of ``what`` (with their names), wrapped."""
    items = [f"{id_} ({_name(getattr(e, 'name', None) or getattr(e, 'title', ''), lang)})" for id_, e in table.items()]
    what = WHAT_JA.get(what, what) if lang == "ja" else what
    lines, line = [], f"{indent}# " + NOTES[lang]["choices"].format(what=what)
    for item in items:
        if len(line) + len(item) + 2 > width and not line.endswith(":"):
            lines.append(line + ",")
            line = f"{indent}#   {item}"
        else:
            line += (" " if line.endswith(":") else ", ") + item
    return lines + [line]


def _schema_line(target: Path, schema_dir: Path, name: str) -> str:
    rel = os.path.relpath(schema_dir / f"{name}.schema.json", target.parent).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={rel}\n"


# Placeholder texts, in the site's language.
WORDS = {
    "ja": {
        "title": "（ジャーニーの名前）", "goal": "（このジャーニーで顧客が達成すること）",
        "phase1": "（フェーズ1）", "phase2": "（フェーズ2）", "step1": "（ステップ1）", "step2": "（ステップ2）",
        "action": "（顧客の行動）", "feeling": "（気持ち）", "thought": "（顧客が考えていること）",
        "pain": "（困りごと）", "measure": "（その困りごとへの施策）",
        "persona": "（ペルソナの名前）", "role": "（役職）", "summary": "（どんな人か、1〜2文で）",
        "goal_item": "（目標・期待する成果）", "challenge": "（課題）", "need": "（ニーズ）", "quote": "（その人が言いそうな一言）",
        "roadmap": "（ロードマップの名前）", "product": "（製品・サービス）",
        "stage1": "（ステージ1）", "stage2": "（ステージ2）", "state": "（このステージの達成状態）",
        "task": "（タスク）", "trigger": "（こうなったら）", "do": "（こうする）",
    },
    "en": {
        "title": "(Name of the journey)", "goal": "(What the customer achieves in this journey)",
        "phase1": "(Phase 1)", "phase2": "(Phase 2)", "step1": "(Step 1)", "step2": "(Step 2)",
        "action": "(What the customer does)", "feeling": "(Feeling)", "thought": "(What the customer thinks)",
        "pain": "(Pain point)", "measure": "(What we do about it)",
        "persona": "(Name of the persona)", "role": "(Job title)", "summary": "(Who they are, in a sentence or two)",
        "goal_item": "(A goal or expected outcome)", "challenge": "(A challenge)", "need": "(A need)",
        "quote": "(Something they would say)",
        "roadmap": "(Name of the roadmap)", "product": "(Product or service)",
        "stage1": "(Stage 1)", "stage2": "(Stage 2)", "state": "(The state that ends this stage)",
        "task": "(Task)", "trigger": "(When this happens)", "do": "(Do this)",
    },
}


# Comment lines of the skeleton, in the site's language.
NOTES = {
    "en": {
        "choices": "the site's {what}:",
        "j1": 'A customer journey map (tabiji new journey {id}). Replace every text in brackets;',
        "check": "'tabiji validate' checks the file, 'tabiji check' the map's logic (see the writer's guide).",
        "review": 'how often the owner reviews this map (d, w, m or y)',
        "phases": 'Phases from left to right; a phase may have steps (the columns of the map).',
        "lanes": 'Lanes are the rows: actions and emotions are required; cells are keyed by phase or step id.',
        "kinds": 'Other kinds: ',
        "emotions": 'score from -2 (very negative) to +2; the label agrees with the sign; no score: words only',
        "pains": 'every pain point wants a measure in the same column',
        "measures": "... and every measure an owner (the departments lane, or the phase's owners)",
        "p1": 'A persona (tabiji new persona {id}): a representative customer user. Replace every text in brackets;',
        "p2": "add it to a journey's 'personas' ('tabiji check' finds a persona in no journey).",
        "r1": 'A success roadmap (tabiji new roadmap {id}). Replace every text in brackets;',
        "r2": "stages end at an achievement state, measured by checkpoints on the site's KPIs.",
        "value": 'replace 0 with the agreed value',
        "refs": "journey or journey/phase ids of the site's journeys",
        "actions": 'Guided actions: when <trigger>, <department> does <action>; a challenge wants a condition.',
        "threshold": 'replace 0 with the threshold',
        "event_cp": 'or an event, no KPI needed; task: the task whose completion it is',
        "change": 'or a change over a window',
        "absence": 'or something that did not happen',
        "wide": 'leave stage out for an action at any stage',
    },
    "ja": {
        "choices": 'このサイトの{what}:',
        "j1": 'カスタマージャーニーマップ（tabiji new journey {id} で作成）。かっこ書きの文をすべて書き換えてください。',
        "check": 'tabiji validate でファイルを、tabiji check でマップの論理を確かめます（書き方ガイド）。',
        "review": '担当部署が見直す周期（d 日・w 週・m 月・y 年）',
        "phases": 'フェーズは左から右へ。フェーズはステップに分けられます（マップの列）。',
        "lanes": 'レーンはマップの行。actions と emotions は必須。セルのキーはフェーズかステップの id です。',
        "kinds": 'ほかの種類: ',
        "emotions": 'score は -2（とても後ろ向き）〜 +2。label はスコアの符号と合わせる。点数がなければ label だけ',
        "pains": 'ペインポイントには同じ列に施策を',
        "measures": '施策には担当部署を（departments レーンか、フェーズの owners）',
        "p1": 'ペルソナ（tabiji new persona {id} で作成）。かっこ書きの文をすべて書き換えてください。',
        "p2": 'ジャーニーの personas に加えます（どのジャーニーにもいないペルソナは tabiji check が指摘します）。',
        "r1": 'サクセスロードマップ（tabiji new roadmap {id} で作成）。かっこ書きの文をすべて書き換えてください。',
        "r2": 'ステージは達成状態で区切り、KPI のチェックポイントで測ります。',
        "value": '0 を合意した値に書き換える',
        "refs": 'このサイトのジャーニーの id か ジャーニー/フェーズ の id',
        "actions": '誘導アクション: trigger（こうなったら）に department が action（こうする）。challenge には condition を。',
        "threshold": '0 を閾値に書き換える',
        "event_cp": 'または出来事（KPI は不要）。task はそれを完了するタスク',
        "change": 'または期間内の変化',
        "absence": 'または起きていないこと',
        "wide": 'どのステージでも行うアクションは stage を書かない',
    },
}
WHAT_JA = {'personas': 'ペルソナ', 'departments': '部署', 'touchpoints': 'タッチポイント', 'KPIs': 'KPI', 'segments': 'セグメント'}


def _need(site: Site, kind: str) -> None:
    if not site.departments:
        raise Refused(f"a {kind} names its owner department, and the site has none yet: add one under "
                      "catalog/ (departments: - id: ..., name: ...) first")
    if not site.personas:
        raise Refused(f"a {kind} is drawn for personas, and the site has none yet: start with "
                      "'tabiji new persona ID'")


def journey(id_: str, site: Site, lang: str) -> str:
    _need(site, "journey")
    w, n = WORDS[lang], NOTES[lang]
    dept, persona = next(iter(site.departments)), next(iter(site.personas))
    touch = next(iter(site.touchpoints), None)
    kpi = next(iter(site.kpis), None)
    lines = [
        "# " + n["j1"].format(id=id_),
        "# " + n["check"],
        f"id: {id_}",
        f"title: {w['title']}",
        *_choices("personas", site.personas, lang),
        f"personas: [{persona}]",
        f"goal: {w['goal']}",
        *_choices("departments", site.departments, lang),
        f"owner: {dept}",
        "review_every: 3m  # " + n["review"],
        "",
        "# " + n["phases"],
        "phases:",
        "  - id: phase-1",
        f"    name: {w['phase1']}",
        f"    owners: [{dept}]",
        "    steps:",
        "      - id: step-1",
        f"        name: {w['step1']}",
        "      - id: step-2",
        f"        name: {w['step2']}",
        "  - id: phase-2",
        f"    name: {w['phase2']}",
        f"    owners: [{dept}]",
        "",
        "# " + n["lanes"],
        "# " + n["kinds"] + ", ".join(k for k in m.LANE_KINDS if k not in ("actions", "emotions")) + ".",
        "lanes:",
        "  - kind: actions",
        "    cells:",
        f"      step-1: {w['action']}",
        f"      step-2: {w['action']}",
        f"      phase-2: {w['action']}",
        "  - kind: emotions  # " + n["emotions"],
        "    cells:",
        f"      step-1: {{score: 0, label: {w['feeling']}, thought: {w['thought']}}}",
        f"      step-2: {{score: 0, label: {w['feeling']}}}",
        f"      phase-2: {{score: 0, label: {w['feeling']}}}",
        "  - kind: pain_points  # " + n["pains"],
        "    cells:",
        f"      step-2: {w['pain']}",
        "  - kind: measures  # " + n["measures"],
        "    cells:",
        f"      step-2: {w['measure']}",
        "  - kind: departments",
        "    cells:",
        f"      phase-1: [{dept}]",
    ]
    if touch:
        lines += [*_choices("touchpoints", site.touchpoints, lang, "  "), "  - kind: touchpoints",
                  "    cells:", f"      step-1: [{touch}]"]
    if kpi:
        lines += [*_choices("KPIs", site.kpis, lang, "  "), "  - kind: kpis",
                  "    cells:", f"      phase-2: [{kpi}]"]
    return "\n".join(lines) + "\n"


def persona(id_: str, site: Site, lang: str) -> str:
    w, n = WORDS[lang], NOTES[lang]
    lines = [
        "# " + n["p1"].format(id=id_),
        "# " + n["p2"],
        f"id: {id_}",
        f"name: {w['persona']}",
        f"role: {w['role']}",
    ]
    if site.departments:
        lines += [*_choices("departments", site.departments, lang), f"owner: {next(iter(site.departments))}"]
    lines += [
        "review_every: 6m",
        f"summary: {w['summary']}",
        "goals:",
        f"  - {w['goal_item']}",
        "challenges:",
        f"  - {w['challenge']}",
        "needs:",
        f"  - {w['need']}",
        f"quote: {w['quote']}",
    ]
    if site.segments:
        lines += [*_choices("segments", site.segments, lang), f"segments: [{next(iter(site.segments))}]"]
    return "\n".join(lines) + "\n"


def roadmap(id_: str, site: Site, lang: str) -> str:
    _need(site, "roadmap")
    w, n = WORDS[lang], NOTES[lang]
    dept, persona_ = next(iter(site.departments)), next(iter(site.personas))
    kpi = next(iter(site.kpis), None)
    first = next(iter(site.journeys.values()), None)
    lines = [
        "# " + n["r1"].format(id=id_),
        "# " + n["r2"],
        f"id: {id_}",
        f"title: {w['roadmap']}",
        f"product: {w['product']}",
        *_choices("personas", site.personas, lang),
        f"personas: [{persona_}]",
        *_choices("departments", site.departments, lang),
        f"owner: {dept}",
        "review_every: 3m",
        "stages:",
    ]
    for k, stage in enumerate(("stage-1", "stage-2"), 1):
        lines += [f"  - id: {stage}", f"    name: {w[f'stage{k}']}", f"    state: {w['state']}"]
        if kpi:
            lines += [*_choices("KPIs", site.kpis, lang, "    "), "    checkpoints:",
                      f"      - {{metric: {kpi}, comparison: \">=\", value: 0}}  # " + n["value"],
                      f"      # - {{event: {w['trigger']}, task: {stage}-joint}}  # " + n["event_cp"]]
        else:
            lines += [f"    # checkpoints: [{{event: {w['trigger']}}}]  # " + n["event_cp"]]
        if first is not None:
            phases = [p.id for p in first.phases]
            ref = f"{first.id}/{phases[min(k - 1, len(phases) - 1)]}"
            lines += [f"    phases: [{ref}]  # " + n["refs"]]
        lines += ["    tasks:", "      joint:", f"        - id: {stage}-joint", f"          name: {w['task']}",
                  "      customer:", f"        - id: {stage}-customer", f"          name: {w['task']}",
                  "      ours:", f"        - id: {stage}-ours", f"          name: {w['task']}",
                  f"          department: {dept}"]
    lines += ["# " + n["actions"],
              "actions:",
              "  - id: challenge-1", "    kind: challenge", "    stage: stage-1  # " + n["wide"],
              f"    trigger: {w['trigger']}"]
    if kpi:
        lines += [f"    condition: {{metric: {kpi}, comparison: \"<\", value: 0}}  # " + n["threshold"],
                  f"    # condition: {{metric: {kpi}, change: decrease, by: 0}}  # " + n["change"]]
    lines += [f"    # condition: {{event: {w['trigger']}, happened: false}}  # " + n["absence"]]
    lines += [f"    action: {w['do']}", f"    department: {dept}"]
    return "\n".join(lines) + "\n"


def skeleton(kind: str, id_: str, site: Site, source: Path, lang: str, schema_dir: Path) -> Skeleton:
    """The file to write for ``tabiji new KIND ID``; raises Refused with the reason."""
    if kind not in KINDS:
        raise Refused(f"cannot make a '{kind}'; {suggest(kind, KINDS)}")
    folder, _, schema_name = KINDS[kind]
    target = source / folder / f"{id_}.yml"
    check_id(kind, id_, site, target)
    lang = "ja" if lang.startswith("ja") else "en"
    body = {"journey": journey, "persona": persona, "roadmap": roadmap}[kind](id_, site, lang)
    return Skeleton(target, _schema_line(target, schema_dir, schema_name) + body)
