"""XLSX that streams from the first row: the rows' XML is deflated into the zip as it is made.

openpyxl's write-only mode (``xlsx_stream.write_xlsx``) keeps memory flat but can only
hand the file over once it is finished: for 1,000,000 rows that took minutes on the
shared bench machine, far past any proxy or worker timeout. Here openpyxl still
writes every part of the workbook except the rows (styles, workbook, relationships,
content types, header row), as a one-row "skeleton" workbook; its parts are copied
into a zip written to an unseekable stream (the standard library then uses data
descriptors), and the sheet's rows are generated in the same cell forms openpyxl uses
(inline strings, numbers, booleans, dates as serial numbers with the skeleton's date
styles) and deflated straight into the response. The first bytes leave at once.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from .columns import ColumnSpec, row_reader
from .guard import FORMULA_TRIGGERS, looks_like_formula
from .xlsx_stream import (
    EXCEL_ERROR_CODES,
    EXCEL_MAX_CELL_CHARS,
    EXCEL_MAX_ROWS,
    ILLEGAL_XML_CHARS,
    TooManyRowsError,
)

SHEET_PART = "xl/worksheets/sheet1.xml"
DEFAULT_CHUNK_SIZE = 256 * 1024
# A sheet part over 2 GiB needs Zip64, which must be chosen before its size is known;
# past this many columns a full 1,048,576-row sheet could get there.
ZIP64_COLUMN_THRESHOLD = 16
_SAMPLE_CELL = re.compile(r'<c r="([A-Z]+)2" s="(\d+)"')


class _ByteSink:
    """Write-only, unseekable file object whose bytes are collected until drained."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


class _Skeleton:
    """The workbook parts openpyxl makes, and the style ids the streamed rows need."""

    def __init__(self, columns: Sequence[ColumnSpec], sheet_title: str) -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=sheet_title[:31])
        bold = Font(bold=True)
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, column.header)
            cell.data_type, cell.quotePrefix, cell.font = "s", True, bold
            header.append(cell)
        sheet.append(header)
        # One sample row, dropped below, so that styles.xml holds these three styles.
        quoted = WriteOnlyCell(sheet, "=sample")
        quoted.data_type, quoted.quotePrefix = "s", True
        sheet.append([date(2000, 1, 1), datetime(2000, 1, 1, 12), quoted])
        buffer = io.BytesIO()
        workbook.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            self.parts = {
                name: archive.read(name) for name in archive.namelist() if name != SHEET_PART
            }
            sheet_xml = archive.read(SHEET_PART).decode("utf-8")
        sample_start = sheet_xml.index('<row r="2"')
        rows_end = sheet_xml.index("</sheetData>")
        styles = dict(_SAMPLE_CELL.findall(sheet_xml[sample_start:rows_end]))
        self.date_style, self.datetime_style, self.text_style = (
            styles["A"],
            styles["B"],
            styles["C"],
        )
        self.sheet_head = sheet_xml[:sample_start]
        self.sheet_tail = sheet_xml[rows_end:]


def _cell_xml(reference: str, value: Any, skeleton: _Skeleton) -> str:
    kind = type(value)
    if kind is str:
        return _text_xml(reference, value, skeleton)
    if kind is int:
        return f'<c r="{reference}"><v>{value}</v></c>'
    if kind is float or kind is Decimal:
        if not (math.isfinite(value) if kind is float else value.is_finite()):
            return ""  # Excel has no NaN or infinity; an empty cell is the honest value
        return f'<c r="{reference}"><v>{value}</v></c>'
    if value is None:
        return ""
    if kind is bool:
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return f'<c r="{reference}" s="{skeleton.datetime_style}"><v>{to_excel(value)}</v></c>'
    if isinstance(value, date):
        return f'<c r="{reference}" s="{skeleton.date_style}"><v>{to_excel(value)}</v></c>'
    if isinstance(value, time):
        return _text_xml(reference, value.isoformat(), skeleton)
    if isinstance(value, int | float):  # int and float subclasses, e.g. numpy scalars
        return _cell_xml(reference, float(value), skeleton)
    return _text_xml(reference, str(value), skeleton)


def _text_xml(reference: str, text: str, skeleton: _Skeleton) -> str:
    if not text:
        return ""
    text = ILLEGAL_XML_CHARS.sub("\ufffd", text)[:EXCEL_MAX_CELL_CHARS]
    # Formula-like text and Excel error literals get Excel's own leading apostrophe
    # (quotePrefix): shown unchanged, kept as text even if someone edits the cell.
    risky = (text[0] in FORMULA_TRIGGERS and looks_like_formula(text)) or (
        text[0] == "#" and text in EXCEL_ERROR_CODES
    )
    style = f' s="{skeleton.text_style}"' if risky else ""
    return (
        f'<c r="{reference}"{style} t="inlineStr"><is><t xml:space="preserve">'
        f"{escape(text)}</t></is></c>"
    )


def stream_xlsx_rows(
    rows: Iterable[Any],
    columns: Sequence[ColumnSpec],
    *,
    sheet_title: str = "Export",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[bytes]:
    """Yield an XLSX workbook whose bytes start before the first row is read.

    Same sheet as ``write_xlsx``: bold header, typed numbers and dates, formula-like
    text kept as text. Raises ``TooManyRowsError`` past Excel's row limit; since bytes
    have gone out by then, the download ends broken rather than silently truncated.
    """
    if not columns:
        raise ValueError("an export needs at least one column")
    skeleton = _Skeleton(columns, sheet_title)
    sink = _ByteSink()
    archive = zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED)
    for name, content in skeleton.parts.items():
        archive.writestr(name, content)
    yield sink.drain()

    letters = [get_column_letter(position) for position in range(1, len(columns) + 1)]
    read = row_reader(columns)
    force_zip64 = len(columns) > ZIP64_COLUMN_THRESHOLD
    with archive.open(SHEET_PART, mode="w", force_zip64=force_zip64) as sheet:
        sheet.write(skeleton.sheet_head.encode("utf-8"))
        pending: list[str] = []
        pending_size = 0
        for row_number, row in enumerate(rows, start=2):
            if row_number > EXCEL_MAX_ROWS:
                raise TooManyRowsError(f"more than {EXCEL_MAX_ROWS - 1} rows; export as CSV")
            cells = "".join(
                _cell_xml(f"{letter}{row_number}", value, skeleton)
                for letter, value in zip(letters, read(row), strict=True)
            )
            line = f'<row r="{row_number}">{cells}</row>'
            pending.append(line)
            pending_size += len(line)
            if pending_size >= chunk_size:
                sheet.write("".join(pending).encode("utf-8"))
                pending.clear()
                pending_size = 0
                if sink.size:
                    yield sink.drain()
        sheet.write(("".join(pending) + skeleton.sheet_tail).encode("utf-8"))
    archive.close()
    yield sink.drain()
