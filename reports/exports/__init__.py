"""Export writers for lists and reports: CSV, XLSX and HXL-tagged CSV, streamed.

Plain Python (no Django). A view wraps a stream in ``StreamingHttpResponse``::

    columns = select_columns(PERSON_COLUMNS, request_fields)          # field limiting
    columns = standard_anonymisation(columns, name_keys=["name"])     # optional
    stream = export_stream("csv", queryset.iterator(), columns, bom=True)
    response = StreamingHttpResponse(stream, content_type=EXPORT_FORMATS["csv"].media_type)

Rows can be dicts (``queryset.values(...).iterator(chunk_size=2000)`` streams from a
server-side cursor on PostgreSQL) or objects. Every format starts sending at once:
CSV/HXL send the header first, XLSX sends the workbook's fixed parts first and deflates
rows into the zip as they come (``xlsx_zipstream``). Every format guards cells against
formula injection (``guard``); ``select_columns`` limits fields and ``anonymise``
pseudonymises, bands and masks personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .anonymise import (
    Pseudonymiser,
    anonymise_columns,
    coarsen_birth_date,
    mask_document_number,
    standard_anonymisation,
)
from .columns import ColumnSpec, UnknownColumnError, row_values, select_columns
from .csv_stream import format_csv_cell, stream_csv, stream_hxl_csv
from .guard import looks_like_formula, neutralise_formula
from .xlsx_stream import EXCEL_MAX_ROWS, TooManyRowsError, stream_xlsx, write_xlsx
from .xlsx_zipstream import stream_xlsx_rows

FormatName = Literal["csv", "xlsx", "hxl"]


@dataclass(frozen=True)
class ExportFormat:
    """What an HTTP response needs to know about a format."""

    name: str
    media_type: str
    extension: str


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv"),
    "hxl": ExportFormat("hxl", "text/csv; charset=utf-8", "hxl.csv"),
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
}


def export_stream(
    format_name: FormatName,
    rows: Iterable[Any],
    columns: Sequence[ColumnSpec],
    *,
    bom: bool = False,
    sheet_title: str = "Export",
) -> Iterator[bytes]:
    """Byte chunks of ``rows`` in the named format (``csv``, ``hxl`` or ``xlsx``)."""
    if format_name == "csv":
        return stream_csv(rows, columns, bom=bom)
    if format_name == "hxl":
        return stream_hxl_csv(rows, columns, bom=bom)
    if format_name == "xlsx":
        return stream_xlsx_rows(rows, columns, sheet_title=sheet_title)
    raise ValueError(f"unknown export format: {format_name!r}")


def download_filename(stem: str, format_name: FormatName) -> str:
    """A safe attachment filename such as ``situation-1961-11-08.xlsx``."""
    safe = "".join(char if char.isalnum() or char in "-_." else "-" for char in stem).strip("-.")
    return f"{safe or 'export'}.{EXPORT_FORMATS[format_name].extension}"


__all__ = [
    "EXCEL_MAX_ROWS",
    "EXPORT_FORMATS",
    "ColumnSpec",
    "ExportFormat",
    "FormatName",
    "Pseudonymiser",
    "TooManyRowsError",
    "UnknownColumnError",
    "anonymise_columns",
    "coarsen_birth_date",
    "download_filename",
    "export_stream",
    "format_csv_cell",
    "looks_like_formula",
    "mask_document_number",
    "neutralise_formula",
    "row_values",
    "select_columns",
    "standard_anonymisation",
    "stream_csv",
    "stream_hxl_csv",
    "stream_xlsx",
    "stream_xlsx_rows",
    "write_xlsx",
]
