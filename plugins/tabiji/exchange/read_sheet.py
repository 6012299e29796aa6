"""Spreadsheet files to ``Sheet`` grids: .xlsx through openpyxl, CSV in the encodings Japanese
Excel writes (UTF-8, UTF-8 with BOM, Shift_JIS/CP932, UTF-16 "Unicode text").

Merged cells are filled with their value in every covered cell and remembered as spans, so
the importer sees a merged phase and a phase typed into each of its columns the same way.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tabiji.exchange.grid import PHASE_NOTE, Sheet

MAX_BYTES = 20_000_000
MAX_CELLS = 200_000


@dataclass
class SheetError(Exception):
    """A located problem in a spreadsheet: file, sheet and cell (any may be empty)."""

    file: str
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f": sheet '{self.sheet}'"
        if self.cell:
            where += f", cell {self.cell}" if self.sheet else f": cell {self.cell}"
        return f"{where}: {self.message}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").strip(" \t\u3000")
    core = text.strip()
    # one trailing newline is kept: a Markdown block written in a cell round-trips exactly
    return core + "\n" if core and text.endswith("\n") else core


def read_xlsx(raw: bytes, shown: str) -> list[Sheet]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
        raise SheetError(shown, "", "", f"expected an Excel workbook (.xlsx), found a file openpyxl cannot "
                                        f"read ({type(err).__name__})") from None
    sheets = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        if (ws.max_row or 0) * (ws.max_column or 0) > MAX_CELLS:
            raise SheetError(shown, ws.title, "", f"expected at most {MAX_CELLS} cells, found "
                                                  f"{ws.max_row} rows × {ws.max_column} columns")
        rows = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        sheet = Sheet(name=ws.title, rows=rows)
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.text.startswith(PHASE_NOTE):
                    sheet.phase_cells.add((cell.row - 1, cell.column - 1))
        for rng in ws.merged_cells.ranges:
            _merge(sheet, rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1)
        sheets.append(sheet)
    return sheets


def read_calamine(raw: bytes, shown: str) -> list[Sheet]:
    """Old Excel (.xls), .xlsb and OpenDocument (.ods) through python-calamine; merged cells
    as far as the format records them (.ods: none, read like CSV)."""
    import python_calamine as pc
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception as err:  # noqa: BLE001 - calamine raises its own error types per format
        raise SheetError(shown, "", "", f"expected a spreadsheet calamine can read, found {type(err).__name__}") \
            from None
    sheets = []
    for name in wb.sheet_names:
        ws = wb.get_sheet_by_name(name)
        if ws.height * ws.width > MAX_CELLS:
            raise SheetError(shown, name, "", f"expected at most {MAX_CELLS} cells, found "
                                              f"{ws.height} rows × {ws.width} columns")
        top, left = ws.start or (0, 0)
        data = ws.to_python(skip_empty_area=False)
        rows = [[""] * left + [_text(v) for v in row] for row in data]
        rows = [[] for _ in range(top)] + rows
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        sheet = Sheet(name=name, rows=rows)
        for (r1, c1), (r2, c2) in ws.merged_cell_ranges or []:
            _merge(sheet, r1, c1, r2, c2)
        sheets.append(sheet)
    return sheets


def _merge(sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> None:
    """Fill a merged range (0-based, inclusive) with its first cell's value and record its span."""
    rows = sheet.rows
    if r1 >= len(rows):
        return
    first = rows[r1][c1] if c1 < len(rows[r1]) else ""
    for r in range(r1, min(r2 + 1, len(rows))):
        for c in range(c1, min(c2 + 1, len(rows[r]))):
            rows[r][c] = first
            if r > r1:
                sheet.below.add((r, c))
        if c2 > c1:
            sheet.spans[(r, c1)] = c2 - c1 + 1


def decode_csv(raw: bytes, shown: str) -> str:
    """The text of a CSV file: BOMs first, then strict UTF-8, then strict CP932."""
    if raw.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp932"]
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as err:
            last = err
    line = raw[: last.start].count(b"\n") + 1
    raise SheetError(shown, "", "", f"expected text in UTF-8 or Shift_JIS (CP932), found byte "
                                    f"0x{raw[last.start]:02x} on line {line} that is neither") from None


def read_csv(raw: bytes, shown: str) -> list[Sheet]:
    text = decode_csv(raw, shown)
    if "\x00" in text:
        raise SheetError(shown, "", "", "expected CSV text, found binary data")
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[_text(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as err:
        raise SheetError(shown, "", "", f"expected CSV, found {err}") from None
    if sum(len(r) for r in rows) > MAX_CELLS:
        raise SheetError(shown, "", "", f"expected at most {MAX_CELLS} cells")
    return [Sheet(name=Path(shown).stem, rows=rows)]


def read_file(path: Path, shown: str) -> list[Sheet]:
    """Every visible sheet of a workbook, or the one sheet of a CSV file."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".tsv", ".txt"):
        hint = " (save it as .xlsx first)" if suffix in (".numbers", ".gsheet", ".et") else ""
        raise SheetError(shown, "", "", f"expected a .xlsx, .xls, .ods or .csv file, found "
                                        f"'{suffix or path.name}'{hint}")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SheetError(shown, "", "", f"expected a file of at most {MAX_BYTES // 1_000_000} MB")
        raw = path.read_bytes()
    except OSError as err:
        raise SheetError(shown, "", "", f"expected a readable file, found {err.strerror or err}") from None
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(raw, shown)
    if suffix in (".xls", ".xlsb", ".ods"):
        return read_calamine(raw, shown)
    return read_csv(raw, shown)
