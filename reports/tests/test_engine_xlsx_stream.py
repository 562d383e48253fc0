"""The zip-streamed XLSX writer: starts at once, and reads back like openpyxl's own file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from reports.exports import (
    ColumnSpec,
    TooManyRowsError,
    stream_xlsx_rows,
    write_xlsx,
    xlsx_zipstream,
)

COLUMNS = [
    ColumnSpec("name", "Name <&> 이름"),
    ColumnSpec("arrived", "Arrived"),
    ColumnSpec("when", "When"),
    ColumnSpec("amount", "Amount"),
    ColumnSpec("flag", "Flag"),
    ColumnSpec("note", "Note"),
]
ROWS: list[dict[str, Any]] = [
    {"name": "김철수 Kim <Chol-su> & co", "arrived": date(1961, 11, 6), "when": None,
     "amount": -3, "flag": True, "note": "=HYPERLINK(\"http://x\")"},
    {"name": "  spaced  ", "arrived": date(1960, 3, 1),
     "when": datetime(1961, 11, 8, 10, 30, tzinfo=UTC), "amount": 2.5, "flag": False,
     "note": "#N/A"},
    {"name": "bad\x01char", "arrived": None, "when": datetime(1961, 1, 1, 8),
     "amount": Decimal("-12.50"), "flag": None, "note": "-7"},
    {"name": "", "arrived": None, "when": None, "amount": float("nan"), "flag": None,
     "note": "@SUM(A1)"},
]  # fmt: skip


def cells(workbook_bytes: bytes) -> list[list[tuple[Any, str, bool]]]:
    sheet = load_workbook(io.BytesIO(workbook_bytes)).active
    # An empty cell may be stored as an empty string or left out; both read as None.
    return [
        [
            (cell.value, cell.data_type if cell.value is not None else "-", bool(cell.quotePrefix))
            for cell in row
        ]
        for row in sheet.iter_rows(max_col=len(COLUMNS))
    ]


def test_streamed_workbook_reads_back_like_the_openpyxl_reference(tmp_path: Path) -> None:
    reference = tmp_path / "reference.xlsx"
    write_xlsx(ROWS, COLUMNS, reference)
    streamed = b"".join(stream_xlsx_rows(ROWS, COLUMNS))
    assert zipfile.ZipFile(io.BytesIO(streamed)).testzip() is None
    assert cells(streamed) == cells(reference.read_bytes())


def test_streamed_values_keep_their_types_and_formulas_stay_text() -> None:
    table = cells(b"".join(stream_xlsx_rows(ROWS, COLUMNS)))
    assert table[0][0] == ("Name <&> 이름", "s", True)
    first, second, third, fourth = table[1:]
    assert first[0][0] == "김철수 Kim <Chol-su> & co"
    assert first[1][0] == datetime(1961, 11, 6)
    assert first[3][0] == -3 and first[4][0] is True
    assert first[5] == ('=HYPERLINK("http://x")', "s", True)
    assert second[0][0] == "  spaced  "
    assert second[2][0] == datetime(1961, 11, 8, 10, 30)
    assert second[5] == ("#N/A", "s", True)
    assert third[0][0] == "bad\ufffdchar"
    assert third[3][0] == -12.5
    assert third[5] == ("-7", "s", False)  # a genuine number stays unmarked
    assert fourth[3][0] is None  # NaN has no Excel form
    assert fourth[5] == ("@SUM(A1)", "s", True)


def test_bytes_leave_before_the_rows_are_read() -> None:
    consumed: list[int] = []

    def slow_rows() -> Iterator[dict[str, Any]]:
        for number in range(5):
            consumed.append(number)
            yield {"name": f"person {number}"}

    stream = stream_xlsx_rows(slow_rows(), COLUMNS)
    first = next(stream)
    assert first.startswith(b"PK")
    assert consumed == []
    rest = b"".join(stream)
    assert load_workbook(io.BytesIO(first + rest)).active.max_row == 6


def test_many_rows_come_out_in_many_chunks() -> None:
    rows = ({"name": f"person {n}", "arrived": date(1961, 1, 1), "amount": n} for n in range(3000))
    chunks = list(stream_xlsx_rows(rows, COLUMNS, chunk_size=4096))
    assert len(chunks) >= 4  # deflate buffers internally, so fewer chunks than rows/4096
    sheet = load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).active
    last = list(sheet.iter_rows(min_row=3001, max_row=3001, values_only=True))[0]
    assert last[0] == "person 2999" and last[3] == 2999


def test_streaming_stops_at_the_excel_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_zipstream, "EXCEL_MAX_ROWS", 3)
    with pytest.raises(TooManyRowsError):
        list(stream_xlsx_rows(ROWS, COLUMNS))
