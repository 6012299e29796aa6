"""A journey drawn in a spreadsheet to journey data, with a note wherever we had to guess.

The layout teams draw: optional title and ``label | value`` rows on top (タイトル, ペルソナ,
ゴール, ...), then the phases across (merged over their steps), the steps below them, and
one lane per row with the lane's name in the first column. Names of catalog entries become
ids; unknown lane names become ``text`` lanes; emotion words with a number become scores.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tabiji.core import model as m
from tabiji.core.problems import closest
from tabiji.source.validate import Site
from tabiji.exchange.cells import loop_targets, read_evidence, read_people, resolve_target
from tabiji.exchange.emotions import NUMBER, feeling_score, number_text, parse_emotion, plain, scale_for
from tabiji.exchange.grid import LANG_SUFFIX, Sheet, cell_name, join_langs, split_items
from tabiji.exchange.read_sheet import SheetError
from tabiji.exchange.words import LANE_WORDS, lane_kind, lane_label, norm, row_key

META_KEYS = ("id", "title", "personas", "goal", "kpis", "owner", "segments", "description", "tags", "order",
             "review_every", "last_reviewed", "language")
HEADER_KEYS = ("step", "phase_goal", "phase_owners", "phase_description", "step_description",
               "phase_returns_to", "phase_returns_when", "step_returns_to", "step_returns_when")
SLUG = re.compile(m.SLUG_PATTERN)
TEXT_WORDS = {norm(lane_label("text", lang)) for lang in ("ja", "en")}  # メモ, Notes


@dataclass
class Row:
    index: int            # row in the sheet (0-based)
    label: str
    cells: list[str]      # by column, label column included
    trans: dict[str, "Row"] = field(default_factory=dict)


@dataclass
class Imported:
    """The journey as plain data, and the notes to write as comments beside its values."""

    data: dict[str, Any]
    # path in data -> note; a path to a mapping key puts the note at the end of its line
    notes: dict[tuple, str] = field(default_factory=dict)
    sheet: str = ""


class _Parser:
    def __init__(self, sheet: Sheet, shown: str, site: Site, lang: str, fallback_id: str):
        self.sheet, self.shown, self.site, self.lang = sheet, shown, site, lang
        self.fallback_id = fallback_id
        self.notes: dict[tuple, str] = {}
        self.problems: list[SheetError] = []
        width = sheet.width
        self.rows = [r + [""] * (width - len(r)) for r in sheet.rows]

    def error(self, row: int, col: int, message: str) -> None:
        self.problems.append(SheetError(self.shown, self.sheet.name, cell_name(row, col), message))

    # -------------------------------------------------------------- rows

    def logical_rows(self) -> list[Row]:
        """Non-blank rows, each with the label column's text; '[en]' rows attached to the row above."""
        filled = [c for r in self.rows for c, v in enumerate(r) if v]
        self.lc = min(filled) if filled else 0
        # a numbering column (No., 1, 2, ...) before the lane names: the names are one column right
        first = [r[self.lc] for r in self.rows if r[self.lc]]
        if first and all(re.fullmatch(r"(?:no\.?|#|番号|\d+)", norm(v)) for v in first) and any(
                self.lc + 1 < len(r) and (lane_kind(r[self.lc + 1]) or row_key(r[self.lc + 1]) == "phase")
                for r in self.rows):
            self.lc += 1
        out: list[Row] = []
        for i, cells in enumerate(self.rows):
            if not any(cells):
                continue
            label = cells[self.lc].strip()
            match = LANG_SUFFIX.match(label)
            if match and out:
                out[-1].trans[match.group(2)] = Row(i, match.group(1).strip(), cells)
                continue
            out.append(Row(i, label, cells))
        return out

    def is_title(self, row: Row) -> bool:
        """A text merged across the sheet's width above the grid."""
        n = self.sheet.spans.get((row.index, self.lc), 0)
        return n > 2 and len({v for v in row.cells if v}) == 1

    def value(self, row: Row) -> str:
        """A metadata row's value: the first text right of the label."""
        return next((v.strip() for v in row.cells[self.lc + 1:] if v.strip()), "")

    # -------------------------------------------------------------- catalog names

    def resolve(self, collection: str, text: str) -> tuple[list[str], list[str]]:
        """Catalog ids for the names (or ids) in a cell, and the pieces that matched nothing."""
        entries = getattr(self.site, collection)
        by_name: dict[str, str] = {}
        for id_, entry in entries.items():
            name = getattr(entry, "name", None) or getattr(entry, "term", None)
            for n in (name.values() if isinstance(name, dict) else [name]):
                if n:
                    by_name.setdefault(norm(n), id_)
        loose: dict[str, str] = {}  # '中村 由紀（人事労務の管理者）' is also '中村 由紀' and '人事労務の管理者'
        for key, id_ in by_name.items():
            for part in re.split(r"[()（）]", key):
                if len(part) >= 2:
                    loose.setdefault(part, id_)
        ids, unknown = [], []
        for piece in _pieces(text):
            if piece in entries:
                ids.append(piece)
            elif norm(piece) in by_name:
                ids.append(by_name[norm(piece)])
            elif norm(piece) in loose:
                ids.append(loose[norm(piece)])
            elif norm(piece) in entries:
                ids.append(norm(piece))
            else:
                unknown.append(piece)
        return list(dict.fromkeys(ids)), unknown

    def suggestion(self, collection: str, pieces: list[str]) -> str:
        entries = getattr(self.site, collection)
        names = {}
        for id_, entry in entries.items():
            name = getattr(entry, "name", None)
            for n in (name.values() if isinstance(name, dict) else [name]):
                if n:
                    names[n] = id_
        near = [n for p in pieces for n in closest(p, names, 1)]
        return f" (closest: {', '.join(f'{n} = {names[n]}' for n in near)})" if near else ""

    # -------------------------------------------------------------- parse

    def parse(self) -> Imported:
        rows = self.logical_rows()
        meta: dict[str, Row] = {}
        title_guess = ""
        at = 0
        while at < len(rows):  # title and metadata rows, up to the phase row
            row = rows[at]
            key = row_key(row.label)
            values = [v for v in row.cells[self.lc + 1:] if v]
            if key == "phase":
                break
            if self.is_title(row):
                title_guess = title_guess or row.label
            elif len(set(values)) >= 2:
                break  # the first row with several values across: the phases
            elif key in META_KEYS and key not in meta:
                meta[key] = row
            elif lane_kind(row.label) == "departments" and values and "owner" not in meta:
                meta["owner"] = row  # 担当部署 above the grid: the journey's owner
            elif not values and row.label and not title_guess and key is None:
                title_guess = row.label  # a lone text above the grid: the map's title
            at += 1
        if at >= len(rows):
            self.error(0, self.lc, "expected a row of phases across the sheet (phases in the first rows, "
                                   "lane names in the first column), found none")
            raise _Failed()
        phase_row = rows[at]
        at += 1
        header: dict[str, Row] = {}
        ids_row: Row | None = None
        while at < len(rows):
            row = rows[at]
            key = row_key(row.label)
            if key == "goal":
                key = "phase_goal"  # ゴール under the phases: each phase's goal
            if key in HEADER_KEYS and key not in header:
                header[key] = row
            elif "step" not in header and not header and (
                    key is None and not row.label
                    or key == "phase" and (row.index, self.lc) in self.sheet.below):
                header["step"] = row  # the row right below the phases, unlabelled or under a merged フェーズ
            else:
                break
            at += 1
        lane_rows = []
        for row in rows[at:]:
            if row_key(row.label) == "columns":
                ids_row = row
            else:
                lane_rows.append(row)
        self.meta = meta
        cols = self.columns(phase_row, header.get("step"), ids_row)
        data: dict[str, Any] = {}
        self.journey_meta(data, meta, title_guess)
        data["phases"] = self.phases(cols, phase_row, header)
        data["lanes"] = self.lanes(cols, lane_rows)
        self.required_lanes(data, cols)
        if self.problems:
            raise _Failed()
        return Imported(data, self.notes, self.sheet.name)

    # -------------------------------------------------------------- columns

    def columns(self, phase_row: Row, step_row: Row | None, ids_row: Row | None) -> list[dict]:
        """One entry per column: phase name(s), step name(s), ids, the sheet column."""
        width = len(phase_row.cells)
        spans = {sc: n for (sr, sc), n in self.sheet.spans.items() if sr == phase_row.index}
        cols: list[dict] = []
        current: dict | None = None
        for c in range(self.lc + 1, width):
            phase = phase_row.cells[c]
            step = step_row.cells[c] if step_row and (step_row.index, c) not in self.sheet.below else ""
            covered = any(sc < c < sc + n for sc, n in spans.items())
            if phase:
                same = current is not None and phase == current["name"] and (covered or step_row is not None)
                if not same:
                    current = {"name": phase, "col": c, "cols": []}
            elif not (step and current is not None):
                current = None  # a column with neither phase nor step: not part of the map
                continue
            col = {"phase": current, "col": c, "step": step}
            current["cols"].append(col)
            cols.append(col)
        if not cols:
            self.error(phase_row.index, self.lc + 1, "expected phase names right of the label column, found none")
            raise _Failed()
        # explicit ids (the 列ID row an export writes): 'phase' or 'phase/step'
        if ids_row is not None:
            for col in cols:
                text = ids_row.cells[col["col"]].strip()
                phase_id, _, step_id = text.partition("/")
                if SLUG.match(phase_id or "-") and (not step_id or SLUG.match(step_id)):
                    col["phase"].setdefault("id", phase_id)
                    if step_id:
                        col["step_id"] = step_id
        return cols

    # -------------------------------------------------------------- journey fields

    def text(self, row: Row | None, col: int | None = None, items: bool = True) -> Any:
        """A cell's text (a list when it holds bullet lines, if ``items``) joined with its translations."""
        if row is None:
            return None
        c = col if col is not None else next((i for i in range(self.lc + 1, len(row.cells)) if row.cells[i]),
                                             self.lc + 1)
        read = split_items if items else _block
        base = read(row.cells[c]) if c < len(row.cells) else ""
        others = {lang: read(t.cells[c]) for lang, t in row.trans.items() if c < len(t.cells)}
        return join_langs(base, others, self.lang)

    def journey_meta(self, data: dict, meta: dict[str, Row], title_guess: str) -> None:
        title = self.text(meta.get("title"), items=False) if "title" in meta else None
        if not title:
            title = title_guess or self.sheet.name or self.fallback_id
            self.notes[("title",)] = "guessed: no タイトル row; " + (
                "the text above the grid" if title_guess else "the sheet's name")
        jid = self.value(meta["id"]) if "id" in meta else ""
        if not SLUG.match(jid):
            if jid:
                self.notes[("id",)] = f"guessed: '{jid}' is not an id (a-z, 0-9, '-')"
            else:
                self.notes[("id",)] = "guessed: the file's name"
            jid = self.fallback_id
        data["id"] = jid
        data["title"] = title
        data["personas"] = self.refs_meta(meta.get("personas"), "personas", "persona", ("personas",))
        goal = self.text(meta.get("goal"), items=False) if "goal" in meta else None
        if not goal:
            goal = "（ゴールを書いてください）" if self.lang == "ja" else "(write the journey's goal)"
            self.notes[("goal",)] = "guessed: the sheet has no ゴール row; write the journey's goal"
        data["goal"] = goal
        owner = self.refs_meta(meta.get("owner"), "departments", "department", ("owner",))
        data["owner"] = owner[0]
        if len(owner) > 1:
            self.notes[("owner",)] = "guessed: the first of " + ", ".join(owner)
        for key in ("review_every", "last_reviewed"):
            if key in meta and self.value(meta[key]):
                data[key] = self.value(meta[key])
        if "description" in meta and self.text(meta["description"], items=False):
            data["description"] = self.text(meta["description"], items=False)
        if "segments" in meta and self.value(meta["segments"]):
            ids, unknown = self.resolve("segments", self.value(meta["segments"]))
            if ids:
                data["segments"] = ids
            if unknown:
                self.notes[("segments",) if ids else ("owner",)] = \
                    "not in the catalog, left out: segments " + ", ".join(unknown)
        if "tags" in meta and self.value(meta["tags"]):
            data["tags"] = _pieces(self.value(meta["tags"]))
        if "kpis" in meta and self.value(meta["kpis"]):
            data["kpis"] = self.refs_located(meta["kpis"], "kpis", "KPI")
        if "order" in meta and self.value(meta["order"]):
            text = unicodedata.normalize("NFKC", self.value(meta["order"]))
            if re.fullmatch(r"\d{1,6}", text):
                data["order"] = int(text)
            else:
                self.error(meta["order"].index, self.value_col(meta["order"]),
                           f"expected the journey's order as a whole number (1, 2, ...), found '{text}'")

    def value_col(self, row: Row) -> int:
        return next((c for c in range(self.lc + 1, len(row.cells)) if row.cells[c].strip()), self.lc + 1)

    def refs_located(self, row: Row, collection: str, what: str) -> list[str]:
        """Catalog ids for the names in a metadata row; a name the catalog lacks is an error at its cell."""
        ids, unknown = self.resolve(collection, self.value(row))
        if unknown:
            self.error(row.index, self.value_col(row), f"expected {what} names or ids of the catalog, found "
                                                       f"{', '.join(unknown)}{self.suggestion(collection, unknown)}")
        return ids

    def refs_meta(self, row: Row | None, collection: str, what: str, path: tuple) -> list[str]:
        entries = getattr(self.site, collection)
        if row is not None and self.value(row):
            ids, unknown = self.resolve(collection, self.value(row))
            if ids and not unknown:
                return ids
            if ids:
                self.notes[path] = f"not in the catalog, left out: {', '.join(unknown)}"
                return ids
            fallback = self._fallback(collection)
            self.notes[path] = (f"guessed: no {what} named {', '.join(unknown)}"
                                f"{self.suggestion(collection, unknown)}; using '{fallback}'")
            return [fallback]
        fallback = self._fallback(collection)
        if fallback == "":
            fallback = "cs" if collection == "departments" else "persona"
        self.notes[path] = f"guessed: the sheet names no {what}; using '{fallback}'" + (
            "" if entries else f" (no {what} is defined yet: add it to the catalog)")
        return [fallback]

    def _fallback(self, collection: str) -> str:
        entries = getattr(self.site, collection)
        if collection == "departments" and "cs" in entries:
            return "cs"
        return next(iter(sorted(entries)), "cs" if collection == "departments" else "persona")

    # -------------------------------------------------------------- phases

    def phases(self, cols: list[dict], phase_row: Row, header: dict[str, Row]) -> list[dict]:
        phases: list[dict] = []
        seen: set[str] = set()
        groups = []
        for col in cols:
            if not groups or groups[-1] is not col["phase"]:
                groups.append(col["phase"])
        for pi, group in enumerate(groups):
            pid = group.get("id") or _slug(group["name"], f"phase-{pi + 1}")
            pid = _unique(pid, seen)
            group["id"] = pid
            phase: dict[str, Any] = {"id": pid, "name": self.text(phase_row, group["col"], items=False)}
            goal_row = header.get("phase_goal")
            if goal_row is not None:
                goal = self.first_text(goal_row, group)
                if goal:
                    phase["goal"] = goal
            owners_row = header.get("phase_owners")
            if owners_row is not None:
                text = next((owners_row.cells[c["col"]] for c in group["cols"] if owners_row.cells[c["col"]]), "")
                if text:
                    ids, unknown = self.resolve("departments", text)
                    if ids:
                        phase["owners"] = ids
                    if unknown:
                        self.notes[("phases", pi, "name")] = "not a department, left out of owners: " + \
                            ", ".join(unknown) + self.suggestion("departments", unknown)
            desc_row = header.get("phase_description")
            if desc_row is not None:
                desc = self.first_text(desc_row, group)
                if desc:
                    phase["description"] = desc
            self.loop(phase, header.get("phase_returns_to"), header.get("phase_returns_when"), group["cols"])
            named_steps = [c for c in group["cols"] if c["step"]]
            if named_steps:
                steps = []
                for si, col in enumerate(group["cols"]):
                    sid = col.get("step_id") or _slug(col["step"], f"{pid}-{si + 1}")
                    sid = _unique(sid, seen)
                    col["id"] = sid
                    step: dict[str, Any] = {"id": sid, "name": self.text(header["step"], col["col"], items=False)
                                            or f"{pid} {si + 1}"}
                    if not col["step"]:
                        self.notes[("phases", pi, "steps", si, "name")] = "guessed: a column with no step name"
                    sdesc = header.get("step_description")
                    if sdesc is not None and sdesc.cells[col["col"]]:
                        step["description"] = self.text(sdesc, col["col"], items=False)
                    self.loop(step, header.get("step_returns_to"), header.get("step_returns_when"), [col])
                    steps.append(step)
                phase["steps"] = steps
            else:
                for col in group["cols"]:
                    col["id"] = pid
            phases.append(phase)
        self.loop_targets(phases)
        return phases

    def loop(self, item: dict, to_row: Row | None, when_row: Row | None, cols: list[dict]) -> None:
        """A phase's or step's 戻る先 (resolved once every id is known) and 戻るとき."""
        for c in cols:
            if to_row is not None and to_row.cells[c["col"]].strip():
                item["returns_to"] = (to_row.index, c["col"], to_row.cells[c["col"]].strip())
                break
        for c in cols:
            if when_row is not None and when_row.cells[c["col"]].strip():
                item["returns_when"] = self.text(when_row, c["col"], items=False)
                item["_when_at"] = (when_row.index, c["col"])
                break

    def loop_targets(self, phases: list[dict]) -> None:
        """戻る先 names (or ids) to ids of this journey's phases and steps."""
        targets = loop_targets(phases, self.lang)
        order = [x["id"] for p in phases for x in [p, *p.get("steps", [])]]  # the validator's column order
        for item in [x for p in phases for x in [p, *p.get("steps", [])]]:
            when_at = item.pop("_when_at", None)
            if "returns_to" not in item:
                if when_at is not None:
                    self.error(*when_at, "expected a 戻る先 (the phase or step customers go back to) above this "
                                         "戻るとき, found none")
                continue
            row, col, text = item["returns_to"]
            found = resolve_target(text, targets)
            earlier = order[:order.index(item["id"])]
            if found is not None and found not in earlier:
                shown = ", ".join(earlier[-3:]) or "none"
                self.error(row, col, f"expected an earlier phase or step to go back to (a loop goes back), found "
                                     f"'{text}', which is not before '{item['id']}' (earlier: {shown})")
                del item["returns_to"]
                continue
            if found is None:
                words = {w: id_ for id_, ws in targets.items() for w in ws}
                near = closest(text, words, 2)
                self.error(row, col, f"expected the name or id of a phase or step of this journey to go back to, "
                                     f"found '{text}'" + (f" (closest: {', '.join(f'{n} = {words[n]}' for n in near)})"
                                                           if near else ""))
                del item["returns_to"]
            else:
                item["returns_to"] = found

    def first_text(self, row: Row, group: dict) -> Any:
        for col in group["cols"]:
            if row.cells[col["col"]]:
                return self.text(row, col["col"], items=False)
        return None

    # -------------------------------------------------------------- lanes

    def lanes(self, cols: list[dict], rows: list[Row]) -> list[dict]:
        lanes: list[dict] = []
        kinds: dict[str, dict] = {}
        for row in rows:
            key = row_key(row.label)
            label = row.label
            last_lane = next((lane for lane in lanes if lane["_last"]), None)
            if key == "people" and last_lane and last_lane["kind"] == "departments" and "_people" not in last_lane:
                last_lane["_people"] = row  # 担当者・チーム right below the departments
                continue
            if key == "evidence" and last_lane and "_evidence" not in last_lane:
                last_lane["_evidence"] = row  # 根拠 right below a lane: its cells' evidence
                continue
            kind = None
            title: Any = None
            if re.search(r"[：:]", label):  # 'ペインポイント：現場の声': a kind and its own title
                head, tail = re.split(r"[：:]", label, maxsplit=1)
                head = norm(head)
                head_kind = LANE_WORDS.get(head) or ("text" if head in TEXT_WORDS else None)
                if head_kind and tail.strip():
                    kind, title = head_kind, tail.strip()
            kind = kind or lane_kind(label)
            emo = kinds.get("emotions")
            last = lanes[-1] if lanes and lanes[-1]["_last"] else None
            if last is not None and (row.index, self.lc) in self.sheet.below:
                # the lane's name merged down over this row too: more of the same lane
                if last["kind"] == "emotions":
                    last["_scores" if _all_numbers(row, cols) else "_thoughts"] = row
                else:
                    for c, text in enumerate(row.cells):
                        if c > self.lc and text and text != last["_row"].cells[c]:
                            above = last["_row"].cells[c]
                            last["_row"].cells[c] = f"{above}\n{text}" if above else text
                continue
            if key == "emotion_score" or (not label and emo is not None and emo["_last"] and _all_numbers(row, cols)):
                if emo is None:
                    emo = self.new_lane(lanes, kinds, "emotions", None, row)
                    emo["_label"] = False
                    self.now_last(lanes, emo)  # a 根拠 row below is the emotions'
                emo["_scores"] = row
                continue
            if key == "thought" and kind is None:
                if emo is None:
                    emo = self.new_lane(lanes, kinds, "emotions", None, row)
                    emo["_label"] = False
                    self.now_last(lanes, emo)  # a 根拠 row below is the emotions'
                emo["_thoughts"] = row
                continue
            for lane in lanes:
                lane["_last"] = False
            if kind == "emotions" and kind in kinds and not kinds[kind].get("_label", True):
                kinds[kind]["_row"], kinds[kind]["_label"] = row, True  # after its thought or score row
                kinds[kind]["_last"] = True
                continue
            if kind in kinds or kind is None:
                note = None
                if kind in kinds:
                    note = f"guessed: a second '{label}' row, kept as a text lane"
                elif not label:
                    label = f"{row.index + 1}行目" if self.lang == "ja" else f"Row {row.index + 1}"
                    note = "guessed: a row with no name, kept as a text lane"
                else:
                    note = f"'{label}' is not a lane kind: a text lane"
                lane = self.new_lane(lanes, kinds, "text", self.title(row, label), row, note)
            else:
                lane = self.new_lane(lanes, kinds, kind, self.title(row, title, kind) if title else None, row)
                if title is None:
                    self.lane_title_translation(lane, row, kind)
            lane["_last"] = True
        out = []
        for li, lane in enumerate(lanes):
            out.append(self.lane_data(lane, cols, li))
        return out

    @staticmethod
    def now_last(lanes: list[dict], lane: dict) -> None:
        for other in lanes:
            other["_last"] = False
        lane["_last"] = True

    def title(self, row: Row, label: str, kind: str | None = None) -> Any:
        others = {}
        for lang, t in row.trans.items():
            text = t.label
            if kind and re.search(r"[：:]", text):
                text = re.split(r"[：:]", text, maxsplit=1)[1].strip()
            if text and text != label:
                others[lang] = text
        return join_langs(label, others, self.lang)

    def lane_title_translation(self, lane: dict, row: Row, kind: str) -> None:
        for lang, t in row.trans.items():
            if t.label and lane_kind(t.label) != kind:
                lane["title"] = join_langs(row.label, {lang: t.label}, self.lang)

    def new_lane(self, lanes: list, kinds: dict, kind: str, title: Any, row: Row, note: str | None = None) -> dict:
        lane = {"kind": kind, "title": title, "_row": row, "_note": note, "_last": False}
        lanes.append(lane)
        if kind != "text":
            kinds[kind] = lane
        return lane

    def cell_values(self, row: Row, cols: list[dict]) -> list[tuple[str, int, str]]:
        """(column id, sheet column, text) per cell; a value repeated (or merged) over all of a
        phase's columns is one cell for the phase."""
        out = []
        by_phase: dict[int, list[dict]] = {}
        for col in cols:
            by_phase.setdefault(id(col["phase"]), []).append(col)
        for group in by_phase.values():
            phase = group[0]["phase"]
            texts = [row.cells[c["col"]] for c in group]
            if len(group) == 1 and texts[0] and (row.index, group[0]["col"]) in self.sheet.phase_cells:
                out.append((phase["id"], group[0]["col"], texts[0]))
                continue
            if len(group) > 1 and texts[0] and all(t == texts[0] for t in texts) and group[0]["id"] != phase["id"]:
                out.append((phase["id"], group[0]["col"], texts[0]))
                continue
            if group[0]["id"] == phase["id"] and len(group) > 1:  # a phase without steps over several columns
                joined = "\n".join(dict.fromkeys(t for t in texts if t))
                if joined:
                    out.append((phase["id"], group[0]["col"], joined))
                continue
            for col, text in zip(group, texts):
                if text:
                    out.append((col["id"], col["col"], text))
        return out

    def translated(self, row: Row, col: int, value: Any) -> Any:
        others = {lang: split_items(t.cells[col]) for lang, t in row.trans.items() if col < len(t.cells)}
        return join_langs(value, others, self.lang)

    def lane_data(self, lane: dict, cols: list[dict], li: int) -> dict:
        row: Row = lane["_row"]
        kind = lane["kind"]
        out: dict[str, Any] = {"kind": kind}
        if lane["title"] is not None:
            out["title"] = lane["title"]
        cells: dict[str, Any] = {}
        if kind == "emotions":
            cells = self.emotion_cells(lane, cols, li)
        elif kind in ("touchpoints", "departments", "kpis"):
            unresolved = []
            for cid, col, text in self.cell_values(row, cols):
                ids, unknown = self.resolve(kind, text)
                cells[cid] = ids
                if unknown:
                    unresolved.append((cid, col, unknown))
            if unresolved:
                # an unknown name would not validate: the lane keeps the texts instead
                words = sorted({u for _, _, us in unresolved for u in us})
                out = {"kind": "text", "title": self.title(row, row.label) if row.label else kind}
                cells = {cid: self.translated(row, col, split_items(text))
                         for cid, col, text in self.cell_values(row, cols)}
                lane["_note"] = (f"guessed: not in the catalog's {kind}: {', '.join(words)}"
                                 f"{self.suggestion(kind, words)}; kept as a text lane")
            else:
                cells = {cid: v for cid, v in cells.items() if v}
        else:
            for cid, col, text in self.cell_values(row, cols):
                value = self.translated(row, col, split_items(text))
                if value not in ("", []):  # '－' and 'なし' mean nothing
                    cells[cid] = value
        out["cells"] = cells
        if "_people" in lane:
            if out["kind"] == "departments":
                out["people"] = self.people(lane["_people"], cols, cells)
            else:
                lane["_note"] = (lane["_note"] or "") + f"; its {lane['_people'].label} row is left out"
        if "_evidence" in lane:
            evidence = self.evidence(lane["_evidence"], cols, out["cells"])
            if evidence:
                out["evidence"] = evidence
        if lane["_note"]:
            self.notes[("lanes", li, "kind")] = lane["_note"]
        return out

    def people(self, row: Row, cols: list[dict], cells: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
        """'department：people' lines per cell; the department must be one of that cell's."""
        people: dict[str, dict[str, Any]] = {}
        for cid, col, text in self.cell_values(row, cols):
            found: dict[str, Any] = {}
            for dept_words, who in read_people(text):
                ids, unknown = self.resolve("departments", dept_words)
                if unknown or len(ids) != 1 or ids[0] not in cells.get(cid, []):
                    shown = {ref: ref for ref in cells.get(cid, [])}
                    near = self.suggestion("departments", [dept_words]) if unknown else ""
                    self.error(row.index, col, f"expected 'department：people' for a department of this column's "
                                               f"cell ({', '.join(shown) or 'none'}), found '{dept_words}'{near}")
                    continue
                if not who:
                    self.error(row.index, col, f"expected 'department：people', found '{dept_words}' without people")
                    continue
                found[ids[0]] = who
            for lang, trans in row.trans.items():  # the same lines in another language
                if col >= len(trans.cells):
                    continue
                for dept_words, who in read_people(trans.cells[col]):
                    ids, _ = self.resolve("departments", dept_words)
                    if len(ids) == 1 and ids[0] in found and who:
                        base = found[ids[0]]
                        found[ids[0]] = {**(base if isinstance(base, dict) else {self.lang: base}), lang: who}
            if found:
                people[cid] = found
        return people

    def evidence(self, row: Row, cols: list[dict], cells: dict[str, Any]) -> dict[str, Any]:
        """Each cell's evidence, under a cell of the lane above (evidence of nothing is refused)."""
        out: dict[str, Any] = {}
        for cid, col, text in self.cell_values(row, cols):
            if cid not in cells:
                self.error(row.index, col, f"expected evidence below a filled cell of the row above, found "
                                           f"evidence where that row is empty (column '{cid}')")
                continue
            evidences, problems = read_evidence(text, self.lang)
            for problem in problems:
                self.error(row.index, col, problem)
            if evidences:
                out[cid] = evidences[0] if len(evidences) == 1 else evidences
        return out

    def emotion_cells(self, lane: dict, cols: list[dict], li: int) -> dict[str, Any]:
        row: Row = lane["_row"]
        label_row = row if row.label and row_key(row.label) != "emotion_score" and lane.get("_scores") is not row \
            and lane.get("_thoughts") is not row else None
        scores_row, thoughts_row = lane.get("_scores"), lane.get("_thoughts")
        found: dict[str, dict] = {}
        order: list[str] = []

        def slot(cid: str) -> dict:
            if cid not in found:
                found[cid] = {}
                order.append(cid)
            return found[cid]

        if label_row is not None:
            for cid, col, text in self.cell_values(label_row, cols):
                score, word = parse_emotion(text)
                cell = slot(cid)
                cell["_col"] = col
                if score is not None:
                    cell["score"], cell["_given"] = score, "cell"
                if word:
                    cell["label"] = self.translated(label_row, col, word) if label_row.trans else word
        if scores_row is not None:
            for cid, col, text in self.cell_values(scores_row, cols):
                score, _ = parse_emotion(text)
                if score is None:
                    self.error(scores_row.index, col, f"expected an emotion score (a number such as -2 to +2), "
                                                      f"found '{text}'")
                    continue
                cell = slot(cid)
                cell.setdefault("_col", col)
                cell["score"], cell["_given"] = score, "row"
        if thoughts_row is not None:
            for cid, col, text in self.cell_values(thoughts_row, cols):
                slot(cid)["thought"] = self.translated(thoughts_row, col, split_items(text))
        scale = scale_for([c["score"] for c in found.values() if "score" in c])
        cells: dict[str, Any] = {}
        key_order = {c["id"]: i for i, c in enumerate(cols)}
        key_order.update({c["phase"]["id"]: i for i, c in reversed(list(enumerate(cols)))})
        for cid in sorted(order, key=lambda k: key_order.get(k, 0)):
            cell = found[cid]
            emotion: dict[str, Any] = {}
            if "score" in cell:
                score = scale(cell["score"])
                if score != cell["score"]:
                    self.notes[("lanes", li, "cells", cid)] = f"guessed: {number_text(cell['score'])} on the sheet's scale"
                emotion["score"] = score
            else:
                guess = feeling_score(cell.get("label"))
                emotion["score"] = guess if guess is not None else 0
                self.notes[("lanes", li, "cells", cid)] = (
                    f"guessed: score from the word '{plain(cell.get('label'))}'" if guess is not None
                    else "guessed: no score on the sheet, 0 assumed")
            for key in ("label", "thought"):
                if cell.get(key):
                    emotion[key] = cell[key]
            cells[cid] = emotion
        return cells

    def required_lanes(self, data: dict, cols: list[dict]) -> None:
        lanes = data["lanes"]
        kinds = [lane["kind"] for lane in lanes]
        if "actions" not in kinds:
            first_text = next((i for i, lane in enumerate(lanes) if lane["kind"] == "text" and lane["cells"]), None)
            if first_text is not None:
                lane = lanes[first_text]
                lane["kind"] = "actions"
                self.notes[("lanes", first_text, "kind")] = (
                    f"guessed: no 行動 row; the row '{plain(lane.pop('title', ''))}' became the customer's actions")
            else:
                lanes.insert(0, {"kind": "actions", "cells": {cols[0]["id"]: "（行動を書いてください）"}})
                self.notes = {(k[0], k[1] + 1, *k[2:]) if k[0] == "lanes" else k: v for k, v in self.notes.items()}
                self.notes[("lanes", 0, "kind")] = "guessed: the sheet has no 行動 row; write the customer's actions"
        for li, lane in enumerate(lanes):
            if lane["kind"] == "actions" and not lane["cells"]:
                lane["cells"] = {cols[0]["id"]: "（行動を書いてください）" if self.lang == "ja" else "(write the actions)"}
                self.notes[("lanes", li, "kind")] = "guessed: the 行動 row is empty; write the customer's actions"
        if not any(lane["kind"] == "emotions" and lane["cells"] for lane in lanes):
            lanes[:] = [lane for lane in lanes if lane["kind"] != "emotions"]
            at = next(i for i, lane in enumerate(lanes) if lane["kind"] == "actions") + 1
            lanes.insert(at, {"kind": "emotions", "cells": {cols[0]["id"]: {"score": 0}}})
            self.notes = {(k[0], k[1] + 1, *k[2:]) if k[0] == "lanes" and k[1] >= at else k: v
                          for k, v in self.notes.items()}
            self.notes[("lanes", at, "kind")] = "guessed: the sheet has no emotion row; fill in the scores"


class _Failed(Exception):
    pass


# ------------------------------------------------------------------ helpers


def _block(text: str) -> str:
    """A long text (a description): its lines kept, as Markdown reads them."""
    block = "\n".join(line.rstrip(" \t\u3000") for line in text.replace("\r\n", "\n").split("\n")).strip()
    return block + "\n" if block and text.endswith("\n") else block


def _pieces(text: str) -> list[str]:
    """The names in a cell: one per line, or separated by 、 , ，; bullets and spaces trimmed."""
    out = []
    for part in re.split(r"[\n、,，;；]", text):
        part = part.strip(" \t\u3000").lstrip("・•●-*").strip(" \t\u3000")
        if part:
            out.append(part)
    return out


def _slug(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    # only when the name is mostly Latin: a slug of two letters out of a Japanese name says nothing
    return slug if slug and SLUG.match(slug) and len(slug) * 2 >= len(text) else fallback


def _unique(id_: str, seen: set[str]) -> str:
    base, n = id_, 2
    while id_ in seen:
        id_, n = f"{base}-{n}", n + 1
    seen.add(id_)
    return id_


def _all_numbers(row: Row, cols: list[dict]) -> bool:
    texts = [row.cells[c["col"]] for c in cols if row.cells[c["col"]]]
    return bool(texts) and all(NUMBER.fullmatch(unicodedata.normalize("NFKC", t).replace("−", "-").strip())
                               for t in texts)


def parse_sheet(sheet: Sheet, shown: str, site: Site, lang: str, fallback_id: str) -> Imported:
    """The journey a sheet draws; raises ``SheetErrors`` with every located problem."""
    parser = _Parser(sheet, shown, site, lang, fallback_id)
    try:
        return parser.parse()
    except _Failed:
        raise SheetErrors(parser.problems) from None


class SheetErrors(Exception):
    def __init__(self, problems: list[SheetError]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def looks_like_journey(sheet: Sheet) -> bool:
    """Whether a sheet has a phase row (used to pick the sheet of a workbook)."""
    for row in sheet.rows[:30]:
        for cell in row[:3]:
            if cell and (row_key(cell) == "phase" or lane_kind(cell)):
                return True
    return False
