"""A journey as the grid teams draw in Excel: phases (merged) and steps across, one lane per
row, the emotion as a scored row (and a chart in the workbook).

The same ``Sheet`` is written as .xlsx (openpyxl) or CSV; ``import_sheet`` reads both back
to the same journey. Catalog references are written as names, so people read them; the
importer maps names back to ids.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tabiji.core import model as m
from tabiji.render.text import display_width
from tabiji.source.validate import Site
from tabiji.exchange.cells import evidence_text, loop_targets, people_text, target_text
from tabiji.exchange.grid import PHASE_NOTE, Sheet, cell_text, languages
from tabiji.exchange.words import LABELS, lane_kind, lane_label, row_key
from tabiji.exchange.zipfix import fixed_zip

REF_COLLECTION = {"touchpoints": "touchpoints", "departments": "departments", "kpis": "kpis"}


def columns(journey: m.Journey) -> list[tuple[m.Phase, m.Step | None]]:
    """One column per step, or per phase when it has no steps (the swimlane's columns)."""
    return [(p, s) for p in journey.phases for s in (p.steps or [None])]


def column_id(phase: m.Phase, step: m.Step | None) -> str:
    return f"{phase.id}/{step.id}" if step else phase.id


def ref_name(site: Site, collection: str, id_: str, lang: str) -> str:
    entry = getattr(site, collection).get(id_)
    if entry is None:
        return id_
    return cell_text(entry.name, lang, lang) or id_


class _Builder:
    def __init__(self, journey: m.Journey, site: Site, lang: str):
        self.j, self.site, self.lang = journey, site, lang
        self.words = LABELS.get(lang, LABELS["en"])
        self.cols = columns(journey)
        self.sheet = Sheet(name=_sheet_name(cell_text(journey.title, lang, lang) or journey.id))
        self.kinds: dict[int, str] = {}

    def row(self, kind: str, label: str, cells: list[str], spans: dict[int, int] | None = None) -> int:
        if kind in ("meta", "trans") and getattr(self, "meta_span", 0) > 1 and len(cells) == 1:
            spans = {0: self.meta_span}  # a journey's title or goal across the grid's width
            cells = cells + [""] * (self.meta_span - 1)
        r = self.sheet.add([label] + cells)
        self.kinds[r] = kind
        for col, n in (spans or {}).items():
            self.sheet.spans[(r, col + 1)] = n
        return r

    def texts(self, kind: str, label: str, values: list[Any], spans: dict[int, int] | None = None,
              label_value: Any = None) -> None:
        """A row of texts, then one row per other language any of them is written in."""
        self.row(kind, label, [cell_text(v, self.lang, self.lang) for v in values], spans)
        for other in sorted(languages(values) | languages(label_value) - {self.lang}):
            if other == self.lang:
                continue
            tl = cell_text(label_value, other, self.lang) if isinstance(label_value, dict) else ""
            self.row("trans", f"{tl} [{other}]".strip(), [cell_text(v, other, self.lang) for v in values], spans)

    # -------------------------------------------------------------- parts

    def meta(self) -> None:
        j, w = self.j, self.words
        self.meta_span = max(1, len(self.cols))
        names = lambda coll, ids: "\n".join(ref_name(self.site, coll, i, self.lang) for i in ids)  # noqa: E731
        self.row("meta", w["id"], [j.id])
        self.texts("meta", w["title"], [j.title])
        self.row("meta", w["personas"], [names("personas", j.personas)])
        self.texts("meta", w["goal"], [j.goal])
        if j.kpis:
            self.row("meta", w["kpis"], [names("kpis", j.kpis)])
        self.row("meta", w["owner"], [ref_name(self.site, "departments", j.owner, self.lang)])
        if j.segments:
            self.row("meta", w["segments"], [names("segments", j.segments)])
        if j.description:
            self.texts("meta", w["description"], [j.description])
        if j.tags:
            self.row("meta", w["tags"], ["\n".join(j.tags)])
        if j.order is not None:
            self.row("meta", w["order"], [str(j.order)])
        if j.review_every:
            self.row("meta", w["review_every"], [j.review_every])
        if j.last_reviewed:
            self.row("meta", w["last_reviewed"], [j.last_reviewed.isoformat()])
        self.row("meta", w["language"], [self.lang])
        self.meta_span = 0
        self.row("blank", "", [])

    def phase_row(self, kind: str, label: str, value_of) -> None:
        """A row with one value per phase, spanning the phase's columns."""
        values, spans = [], {}
        for phase in self.j.phases:
            spans[len(values)] = max(1, len(phase.steps))
            values += [value_of(phase)] + [""] * (max(1, len(phase.steps)) - 1)
        self.texts(kind, label, values, {c: n for c, n in spans.items() if n > 1})

    def header(self) -> None:
        w, j = self.words, self.j
        self.phase_row("phase", w["phase"], lambda p: p.name)
        if any(p.steps for p in j.phases):
            self.texts("step", w["step"], [s.name if s else "" for _, s in self.cols])
        if any(s.description for p in j.phases for s in p.steps):
            self.texts("header", w["step_description"], [s.description if s else "" for _, s in self.cols])
        if any(p.goal for p in j.phases):
            self.phase_row("header", w["phase_goal"], lambda p: p.goal or "")
        if any(p.owners for p in j.phases):
            self.phase_row("header", w["phase_owners"], lambda p: "\n".join(
                ref_name(self.site, "departments", d, self.lang) for d in p.owners))
        if any(p.description for p in j.phases):
            self.phase_row("header", w["phase_description"], lambda p: p.description or "")
        self.loops()

    def loops(self) -> None:
        """Where customers go back: a phase's in phase rows, a step's in step rows (never mixed up)."""
        w, j = self.words, self.j
        targets = loop_targets(j.phases, self.lang)
        names = {x.id: x.name for p in j.phases for x in [p, *p.steps]}
        to = lambda x: target_text(x.returns_to, targets, self.lang, names.get(x.returns_to)) \
            if x.returns_to else ""  # noqa: E731
        if any(p.returns_to or p.returns_when for p in j.phases):
            self.phase_row("header", w["phase_returns_to"], to)
            self.phase_row("header", w["phase_returns_when"], lambda p: p.returns_when or "")
        steps = [s for p in j.phases for s in p.steps]
        if any(s.returns_to or s.returns_when for s in steps):
            self.texts("header", w["step_returns_to"], [to(s) if s else "" for _, s in self.cols])
            self.texts("header", w["step_returns_when"], [s.returns_when or "" if s else "" for _, s in self.cols])

    def lane_cells(self, lane: Any, value_of, cells: dict | None = None) -> tuple[list[Any], dict[int, int]]:
        """The lane's values per column (or another mapping's keyed like its cells: people,
        evidence); a cell given for a phase with steps spans its steps."""
        cells = lane.cells if cells is None else cells
        values: list[Any] = []
        spans: dict[int, int] = {}
        for phase in self.j.phases:
            width = max(1, len(phase.steps))
            if phase.steps and phase.id in cells:
                spans[len(values)] = width  # a span of 1 still says: the phase's cell (a note in xlsx)
                values += [value_of(cells[phase.id])] * width
            elif phase.steps:
                values += [value_of(cells[s.id]) if s.id in cells else "" for s in phase.steps]
            else:
                values.append(value_of(cells[phase.id]) if phase.id in cells else "")
        return values, spans

    def lane_title(self, lane: Any) -> tuple[str, Any]:
        default = lane_label(lane.kind, self.lang)
        if lane.title is None:
            return default, None
        title = cell_text(lane.title, self.lang, self.lang)
        if lane.kind == "text" and lane_kind(title) is None and row_key(title) is None:
            return title, lane.title
        # a text lane titled like a kind (課題), or a kind with its own title: 'メモ：課題',
        # 'ペインポイント：現場の声', so import knows the kind
        return f"{default}：{title}", lane.title

    def lanes(self) -> None:
        w = self.words
        for lane in self.j.lanes:
            label, label_value = self.lane_title(lane)
            if lane.kind == "emotions":
                values, spans = self.lane_cells(lane, lambda e: e.label or "")
                self.texts("lane", label, values, spans, label_value)
                scores, _ = self.lane_cells(lane, lambda e: "" if e.score is None else f"{e.score:+d}" if e.score else "0")
                self.row("score", w["emotion_score"], scores, spans)
                thoughts, _ = self.lane_cells(lane, lambda e: e.thought or "")
                if any(thoughts):
                    self.texts("lane", w["thought"], thoughts, spans)
                self.evidence(lane)
                continue
            if lane.kind in REF_COLLECTION:
                coll = REF_COLLECTION[lane.kind]
                values, spans = self.lane_cells(
                    lane, lambda ids: "\n".join(ref_name(self.site, coll, i, self.lang) for i in ids))
            else:
                values, spans = self.lane_cells(lane, lambda v: v)
            self.texts("lane", label, values, spans, label_value)
            if getattr(lane, "people", None):
                self.people(lane)
            self.evidence(lane)

    def people(self, lane: m.RefLane) -> None:
        """担当者・チーム right below the departments: 'department：people' lines per cell."""
        name_of = lambda d, lang: ref_name(self.site, "departments", d, lang)  # noqa: E731
        langs = sorted(set().union(*(languages(list(p.values())) for p in lane.people.values())) - {self.lang})
        for lang in [self.lang, *langs]:
            values, spans = self.lane_cells(lane, lambda p: people_text(p, name_of, lang, self.lang), lane.people)
            label = self.words["people"] if lang == self.lang else f"[{lang}]"
            self.row("lane" if lang == self.lang else "trans", label, values, spans)

    def evidence(self, lane: Any) -> None:
        """根拠 right below the lane: each cell's evidence as 'field：value' lines."""
        if lane.evidence:
            values, spans = self.lane_cells(lane, lambda evs: evidence_text(evs, self.lang), lane.evidence)
            self.row("lane", self.words["evidence"], values, spans)

    def build(self) -> tuple[Sheet, dict[int, str]]:
        self.meta()
        self.header()
        self.lanes()
        self.row("blank", "", [])
        self.row("ids", self.words["columns"], [column_id(p, s) for p, s in self.cols])
        return self.sheet, self.kinds


def _sheet_name(title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("' ")
    return (cleaned or "journey")[:31]


def journey_sheet(journey: m.Journey, site: Site, lang: str) -> tuple[Sheet, dict[int, str]]:
    return _Builder(journey, site, lang).build()


# ------------------------------------------------------------------ writers


def to_csv(journey: m.Journey, site: Site, lang: str) -> str:
    """The grid as CSV: a phase's name in its first column (as Excel saves merged cells), a lane
    cell given for a whole phase repeated in each of its columns (import reads it back as one)."""
    sheet, kinds = journey_sheet(journey, site, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for r, cells in enumerate(sheet.rows):
        row = list(cells)
        if kinds[r] in ("lane", "trans", "score"):
            pass  # lane values are already repeated across their span
        else:
            for (sr, sc), n in sheet.spans.items():
                if sr == r:
                    for c in range(sc + 1, sc + n):
                        if c < len(row):
                            row[c] = ""
        writer.writerow(row)
    return out.getvalue()


_FILL = {"phase": "1F4E79", "step": "DDEBF7", "header": "F2F2F2", "meta": "FFFFFF", "score": "FFF2CC"}
_THIN = Side(style="thin", color="A6A6A6")


def to_xlsx(journey: m.Journey, site: Site, lang: str) -> bytes:
    """The grid as a workbook: merged phases, wrapped text, frozen headers, an emotion chart."""
    return workbook([journey], site, lang, cell_text(journey.title, lang, lang))


def workbook(journeys: list[m.Journey], site: Site, lang: str, title: str) -> bytes:
    """One sheet per journey (a roadmap's journeys, in stage order)."""
    wb = Workbook()
    wb.remove(wb.active)
    names: set[str] = set()
    for journey in journeys:
        _write_sheet(wb, journey, site, lang, names)
    wb.properties.title = title
    wb.properties.creator = "tabiji"
    # fixed dates: the same journey makes the same workbook bytes
    wb.properties.created = wb.properties.modified = datetime.datetime(2000, 1, 1)
    out = io.BytesIO()
    wb.save(out)
    return fixed_zip(out.getvalue())


def _write_sheet(wb: Workbook, journey: m.Journey, site: Site, lang: str, names: set[str]) -> None:
    sheet, kinds = journey_sheet(journey, site, lang)
    name, n = sheet.name, 2
    while name in names:  # Excel wants unique sheet names of at most 31 characters
        name, n = f"{sheet.name[:28]}({n})", n + 1
    names.add(name)
    ws = wb.create_sheet(name)
    top = Alignment(wrap_text=True, vertical="top")
    first_lane = next((r for r, k in kinds.items() if k == "lane"), 0)
    for r, cells in enumerate(sheet.rows):
        kind = kinds[r]
        for c, text in enumerate(cells):
            if kind == "score" and c > 0 and text:
                value: Any = int(text)
            else:
                value = text if text != "" else None
            if (r, c) in sheet.spans or value is not None or kind not in ("blank", "meta"):
                cell = ws.cell(row=r + 1, column=c + 1, value=value)
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center") \
                    if kind == "score" and c > 0 else top
                if kind not in ("blank", "meta", "ids") or c == 0:
                    cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
                if kind in _FILL and (kind != "meta" or c == 0):
                    cell.fill = PatternFill("solid", fgColor=_FILL[kind] if kind != "meta" else "F2F2F2")
                if kind == "phase":
                    cell.font = Font(bold=True, color="FFFFFF")
                elif c == 0 or kind == "step":
                    cell.font = Font(bold=True)
                elif kind == "ids":
                    cell.font = Font(color="808080", size=8)
        for (sr, sc), n in sheet.spans.items():
            if sr == r and n > 1:
                ws.merge_cells(start_row=r + 1, start_column=sc + 1, end_row=r + 1, end_column=sc + n)
            elif sr == r and kind in ("lane", "trans", "score"):
                # a phase with one step: nothing to merge, so a note says the cell is the phase's
                ws.cell(row=r + 1, column=sc + 1).comment = Comment(PHASE_NOTE, "tabiji")
    for r, cells in enumerate(sheet.rows):  # Excel does not grow rows for wrapped text on open
        lines = 1
        for c, text in enumerate(cells):
            if not text:
                continue
            chars = (18 if c == 0 else 26 * sheet.spans.get((r, c), 1)) - 2
            lines = max(lines, sum(-(-max(1, display_width(p)) // chars) for p in text.split("\n")))
        if lines > 1:
            ws.row_dimensions[r + 1].height = min(409, 15 * lines + 3)
    # printed from Excel: A3 landscape, one page wide, like the site's print
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.column_dimensions["A"].width = 18
    for c in range(2, sheet.width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 26
    if first_lane:
        ws.freeze_panes = ws.cell(row=first_lane + 1, column=2)
    score_row = next((r for r, k in kinds.items() if k == "score"), None)
    cat_row = next((r for r, k in kinds.items() if k == "step"), None)
    if cat_row is None:
        cat_row = next(r for r, k in kinds.items() if k == "phase")
    if score_row is not None and sheet.width > 1:
        chart = LineChart()
        chart.title = LABELS.get(lang, LABELS["en"])["chart"]
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = m.EMOTION_MIN, m.EMOTION_MAX
        chart.y_axis.majorUnit = 1
        chart.legend = None
        chart.height, chart.width = 7, max(12, 2.2 * (sheet.width - 1))
        chart.add_data(Reference(ws, min_col=2, max_col=sheet.width, min_row=score_row + 1), from_rows=True)
        chart.set_categories(Reference(ws, min_col=2, max_col=sheet.width, min_row=cat_row + 1))
        ws.add_chart(chart, f"B{len(sheet.rows) + 3}")
