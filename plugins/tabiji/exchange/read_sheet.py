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

from .grid import Sheet

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
        for rng in ws.merged_cells.ranges:
            top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(rows[r]))):
                    rows[r][c] = top
                    if r > rng.min_row - 1:
                        sheet.below.add((r, c))
                if rng.max_col > rng.min_col:
                    sheet.spans[(r, rng.min_col - 1)] = rng.max_col - rng.min_col + 1
        sheets.append(sheet)
    return sheets


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
    if suffix not in (".xlsx", ".xlsm", ".csv", ".tsv", ".txt"):
        hint = " (save it as .xlsx from Excel first)" if suffix in (".xls", ".ods", ".numbers") else ""
        raise SheetError(shown, "", "", f"expected a .xlsx or .csv file, found '{suffix or path.name}'{hint}")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SheetError(shown, "", "", f"expected a file of at most {MAX_BYTES // 1_000_000} MB")
        raw = path.read_bytes()
    except OSError as err:
        raise SheetError(shown, "", "", f"expected a readable file, found {err.strerror or err}") from None
    return read_xlsx(raw, shown) if suffix in (".xlsx", ".xlsm") else read_csv(raw, shown)
