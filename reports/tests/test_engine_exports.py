"""Export writers: formula guard, column selection, streaming CSV, HXL and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook

from reports.exports import (
    ColumnSpec,
    TooManyRowsError,
    UnknownColumnError,
    download_filename,
    export_stream,
    neutralise_formula,
    select_columns,
    stream_csv,
    stream_hxl_csv,
    stream_xlsx,
    write_xlsx,
    xlsx_stream,
)

COLUMNS = [
    ColumnSpec("station", "Station", "#loc+name"),
    ColumnSpec("province", "Province", "#adm1+name"),
    ColumnSpec("week", "Week", "#date"),
    ColumnSpec("arrived", "Arrived", "#affected+arrived"),
    ColumnSpec("note", "Note"),
]
ROWS = [
    {
        "station": "온성 Onsong",
        "province": "North Hamgyong",
        "week": date(1961, 11, 6),
        "arrived": 712,
        "note": '=HYPERLINK("http://x","click")',
    },
    {
        "station": "Musan",
        "province": "North Hamgyong",
        "week": date(1961, 11, 6),
        "arrived": -3,
        "note": None,
    },
]


def read_csv(chunks: Iterator[bytes]) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "\n=1",
        "＝1+1",
        "＋1",
        "－1",
        "＠x",
        "-A1",
        "+44 20 7946 0000",
        "=cmd|' /C calc'!A0",
    ],
)
def test_formula_starters_get_an_apostrophe(text: str) -> None:
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.5", "-3", "+7", "1e5", "-.5", "Kim", "", "a=b", 0, -4, 2.5])
def test_numbers_and_plain_text_are_left_alone(value: object) -> None:
    assert neutralise_formula(value) == value


def test_select_columns_keeps_the_requested_order() -> None:
    chosen = select_columns(COLUMNS, ["arrived", "station"])
    assert [column.key for column in chosen] == ["arrived", "station"]
    assert select_columns(COLUMNS, None) == COLUMNS


@pytest.mark.parametrize(
    ("keys", "error"),
    [
        (["station", "passport"], UnknownColumnError),
        (["station", "station"], ValueError),
        ([], ValueError),
    ],
)
def test_select_columns_refuses_unknown_repeated_or_no_columns(
    keys: list[str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        select_columns(COLUMNS, keys)


def test_invalid_hxl_tag_is_refused() -> None:
    with pytest.raises(ValueError):
        ColumnSpec("x", "X", "affected")
    assert ColumnSpec("x", "X", "#affected +arrived").hxl_tag


def test_csv_round_trip_with_guarded_cells_and_typed_values() -> None:
    table = read_csv(stream_csv(ROWS, COLUMNS))
    assert table[0] == ["Station", "Province", "Week", "Arrived", "Note"]
    assert table[1] == [
        "온성 Onsong",
        "North Hamgyong",
        "1961-11-06",
        "712",
        '\'=HYPERLINK("http://x","click")',
    ]
    assert table[2][3] == "-3"
    assert table[2][4] == ""


def test_csv_header_goes_out_before_any_row_is_read() -> None:
    consumed: list[int] = []

    def slow_rows() -> Iterator[dict[str, Any]]:
        for number in range(3):
            consumed.append(number)
            yield {"station": f"S{number}"}

    stream = stream_csv(slow_rows(), COLUMNS[:1])
    first = next(stream)
    assert first == b"Station\r\n"
    assert consumed == []
    assert b"".join(stream) == b"S0\r\nS1\r\nS2\r\n"


def test_csv_bom_and_chunking() -> None:
    rows = ({"station": f"station {number}"} for number in range(500))
    chunks = list(stream_csv(rows, COLUMNS[:1], bom=True, chunk_size=256))
    assert chunks[0].startswith(b"\xef\xbb\xbf")
    assert len(chunks) > 10
    assert all(len(chunk) < 256 + 64 for chunk in chunks)
    assert len(read_csv(iter(chunks))) == 501


def test_csv_formats_other_value_types() -> None:
    row = {
        "when": datetime(1961, 11, 8, 9, 30, tzinfo=UTC),
        "amount": Decimal("-12.50"),
        "flag": True,
        "ratio": float("nan"),
    }
    columns = [ColumnSpec(key, key) for key in ("when", "amount", "flag", "ratio")]
    table = read_csv(stream_csv([row], columns))
    assert table[1] == ["1961-11-08T09:30:00+00:00", "-12.50", "true", ""]


def test_rows_may_be_objects_and_columns_may_compute_values() -> None:
    person = SimpleNamespace(name="Ri Yong-hui", household=SimpleNamespace(size=4))
    columns = [
        ColumnSpec("name", "Name"),
        ColumnSpec("household_size", "Household", value=lambda p: p.household.size),
        ColumnSpec("missing", "Missing"),
    ]
    assert read_csv(stream_csv([person], columns))[1] == ["Ri Yong-hui", "4", ""]


def test_hxl_csv_has_the_hashtag_row_under_the_header() -> None:
    table = read_csv(stream_hxl_csv(ROWS, COLUMNS))
    assert table[1] == ["#loc+name", "#adm1+name", "#date", "#affected+arrived", ""]
    assert table[2][0] == "온성 Onsong"
    with pytest.raises(ValueError, match="hashtag"):
        list(stream_hxl_csv(ROWS, [ColumnSpec("note", "Note")]))


def test_xlsx_keeps_types_and_never_stores_a_formula(tmp_path: Path) -> None:
    rows = [
        *ROWS,
        {"station": "bad\x07char", "note": "#N/A", "week": datetime(1961, 11, 8, 10, tzinfo=UTC)},
    ]
    target = tmp_path / "out.xlsx"
    assert write_xlsx(rows, COLUMNS, target, sheet_title="Arrivals") == 3
    sheet = load_workbook(target)["Arrivals"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Station", "Province", "Week", "Arrived", "Note"]
    assert values[1][2] == datetime(1961, 11, 6)
    assert values[1][3] == 712 and values[2][3] == -3
    note = sheet.cell(row=2, column=5)
    assert note.value.startswith("=HYPERLINK") and note.data_type == "s" and note.quotePrefix
    assert values[3][0] == "bad\ufffdchar"
    assert sheet.cell(row=4, column=5).data_type == "s"  # "#N/A" is text, not an error
    assert values[3][2] == datetime(1961, 11, 8, 10)


def test_xlsx_stream_cleans_up_its_temporary_file(tmp_path: Path) -> None:
    data = b"".join(stream_xlsx(ROWS, COLUMNS, temp_dir=tmp_path, chunk_size=1024))
    assert data[:2] == b"PK"
    assert list(tmp_path.iterdir()) == []
    assert load_workbook(io.BytesIO(data)).active.max_row == 3

    abandoned = stream_xlsx(ROWS, COLUMNS, temp_dir=tmp_path, chunk_size=16)
    next(abandoned)
    abandoned.close()  # what Django does when the client goes away
    assert list(tmp_path.iterdir()) == []


def test_xlsx_refuses_more_rows_than_excel_holds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(xlsx_stream, "EXCEL_MAX_ROWS", 3)
    with pytest.raises(TooManyRowsError):
        list(stream_xlsx(ROWS * 2, COLUMNS, temp_dir=tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_export_stream_dispatches_and_names_files() -> None:
    assert b"".join(export_stream("csv", ROWS, COLUMNS)).startswith(b"Station,")
    assert b"#loc+name" in b"".join(export_stream("hxl", ROWS, COLUMNS))
    assert b"".join(export_stream("xlsx", ROWS, COLUMNS))[:2] == b"PK"
    with pytest.raises(ValueError):
        export_stream("pdf", ROWS, COLUMNS)  # type: ignore[arg-type]
    assert download_filename("situation 1961/11/08", "hxl") == "situation-1961-11-08.hxl.csv"
    assert download_filename("../..", "csv") == "export.csv"
