"""XLSX export with openpyxl's write-only mode, written to a file or a temporary file.

Write-only mode writes each row to disk as it is appended, so memory stays flat for a
million rows. But an XLSX file is a zip whose directory comes last and openpyxl zips
the sheet only on ``save``, so ``stream_xlsx`` (temporary file, then chunks) cannot send
a byte before the whole workbook is built: minutes for 1,000,000 rows (see
``bench/exports.py``). Web downloads therefore use ``xlsx_zipstream.stream_xlsx_rows``,
which starts at once; this module stays for files on disk (management commands,
e-mailed reports) and as the reference the streaming writer is tested against.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .columns import ColumnSpec, row_reader
from .guard import FORMULA_TRIGGERS, looks_like_formula

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CELL_CHARS = 32_767
DEFAULT_CHUNK_SIZE = 1024 * 1024
# Control characters other than TAB, LF and CR are illegal in XML; openpyxl raises on them.
ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


class TooManyRowsError(ValueError):
    """The rows do not fit in one Excel worksheet."""


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> Any:
    """A cell that Excel keeps as text even when it looks like a formula.

    openpyxl would store ``"=..."`` as a formula; forcing the string type means it is
    never evaluated, and ``quotePrefix`` is Excel's own leading apostrophe, so the text
    still stays text if someone edits the cell. The visible text is unchanged.
    """
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _needs_text_care(text: str) -> bool:
    return (
        (bool(text) and text[0] in FORMULA_TRIGGERS)
        or text[:1] == "#"
        or len(text) > EXCEL_MAX_CELL_CHARS
        or ILLEGAL_XML_CHARS.search(text) is not None
    )


def _xlsx_value(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    kind = type(value)
    if kind is str and not _needs_text_care(value):
        return value
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones; store UTC so every reader sees the same instant.
        return value.astimezone(UTC).replace(tzinfo=None)
    if not isinstance(value, str):
        if hasattr(value, "isoformat"):
            return value
        value = str(value)
    value = ILLEGAL_XML_CHARS.sub("\ufffd", value)[:EXCEL_MAX_CELL_CHARS]
    if looks_like_formula(value) or value in EXCEL_ERROR_CODES:
        return _text_cell(sheet, value)
    return value


def write_xlsx(
    rows: Iterable[Any],
    columns: Sequence[ColumnSpec],
    destination: str | os.PathLike[str] | BinaryIO,
    *,
    sheet_title: str = "Export",
) -> int:
    """Write rows to an XLSX workbook (one sheet, bold header); returns the data row count.

    Dates and numbers stay typed cells so the spreadsheet can sort and sum them.
    Raises ``TooManyRowsError`` past Excel's row limit rather than write a file Excel
    would silently truncate.
    """
    if not columns:
        raise ValueError("an export needs at least one column")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = _text_cell(sheet, column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    read = row_reader(columns)
    count = 0
    try:
        for row in rows:
            count += 1
            if count >= EXCEL_MAX_ROWS:
                raise TooManyRowsError(
                    f"more than {EXCEL_MAX_ROWS - 1} rows; export as CSV instead"
                )
            sheet.append([_xlsx_value(sheet, value) for value in read(row)])
    except BaseException:
        _discard_sheet(sheet)
        raise
    workbook.save(destination)
    return count


def _discard_sheet(sheet: WriteOnlyWorksheet) -> None:
    """Finish and delete the sheet's own temporary file after a failed export.

    openpyxl keeps the sheet XML (hundreds of MB for a million rows) in a temp file of
    its own until ``save``; an export that fails midway (a database error, too many
    rows) must not leave it behind. ``_writer.cleanup`` is openpyxl's own remover.
    """
    with contextlib.suppress(Exception):
        sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


def stream_xlsx(
    rows: Iterable[Any],
    columns: Sequence[ColumnSpec],
    *,
    sheet_title: str = "Export",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    temp_dir: str | os.PathLike[str] | None = None,
) -> Iterator[bytes]:
    """Yield an XLSX workbook in chunks: built in a temporary file, then read back.

    The temporary file is removed when the stream ends, fails or is closed early
    (Django closes the iterator when a client disconnects).
    """
    handle, name = tempfile.mkstemp(suffix=".xlsx", prefix="export-", dir=temp_dir)
    os.close(handle)
    path = Path(name)
    try:
        write_xlsx(rows, columns, path, sheet_title=sheet_title)
        with path.open("rb") as built:
            while chunk := built.read(chunk_size):
                yield chunk
    finally:
        path.unlink(missing_ok=True)
