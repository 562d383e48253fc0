"""Streaming CSV and HXL CSV: byte chunks from any row iterator, ready for StreamingHttpResponse.

The header goes out as the first chunk before any row is read, so the download starts at
once however slow the query behind the rows is; rows are then batched into chunks of
about ``chunk_size`` bytes, so memory stays flat for a million rows.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from .columns import ColumnSpec, row_reader
from .guard import ESCAPE_PREFIX, FORMULA_TRIGGERS, looks_like_formula, neutralise_formula

UTF8_BOM = "\ufeff"
DEFAULT_CHUNK_SIZE = 64 * 1024


class _TextBuffer:
    """The minimal file-like object csv.writer needs, collecting text until drained."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        return len(text)

    def drain(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        self.size = 0
        return text


def format_csv_cell(value: Any) -> str:
    """Text of one CSV cell: ISO dates, plain numbers, empty for None, guarded strings."""
    # Exact-type checks first: this runs for every cell of a million-row export, and
    # isinstance against unions and ABCs costs several times more than ``type() is``.
    kind = type(value)
    if kind is str:
        if value and value[0] in FORMULA_TRIGGERS and looks_like_formula(value):
            return ESCAPE_PREFIX + value
        return value
    if kind is int:
        return str(value)
    if kind is date:
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return neutralise_formula(str(value))


def _encode(text: str, encoding: str) -> bytes:
    # "replace" keeps one odd character in a name from aborting a long export midway.
    return text.encode(encoding, errors="replace")


def stream_csv(
    rows: Iterable[Any],
    columns: Sequence[ColumnSpec],
    *,
    bom: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    encoding: str = "utf-8",
    extra_header_rows: Sequence[Sequence[str]] = (),
) -> Iterator[bytes]:
    """Yield a CSV file as encoded chunks: header row(s), then one line per row.

    ``bom=True`` prepends a UTF-8 byte-order mark, without which Excel misreads Hangul and
    Hanzi as Latin-1. Rows may be dicts or objects (see ``ColumnSpec.extract``).
    """
    if not columns:
        raise ValueError("an export needs at least one column")
    buffer = _TextBuffer()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(UTF8_BOM)
    writer.writerow([neutralise_formula(column.header) for column in columns])
    for header_row in extra_header_rows:
        writer.writerow([neutralise_formula(text) for text in header_row])
    yield _encode(buffer.drain(), encoding)

    read = row_reader(columns)
    for row in rows:
        writer.writerow([format_csv_cell(value) for value in read(row)])
        if buffer.size >= chunk_size:
            yield _encode(buffer.drain(), encoding)
    if buffer.size:
        yield _encode(buffer.drain(), encoding)


def stream_hxl_csv(
    rows: Iterable[Any],
    columns: Sequence[ColumnSpec],
    *,
    bom: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[bytes]:
    """Yield an HXL-tagged CSV: the header row, the hashtag row, then the data.

    Columns without a tag get an empty hashtag cell, which HXL tools skip; at least one
    column must be tagged or the file would not be HXL at all.
    """
    if not any(column.hxl_tag for column in columns):
        raise ValueError("HXL export needs at least one column with an HXL hashtag")
    hashtags = [column.hxl_tag or "" for column in columns]
    yield from stream_csv(
        rows, columns, bom=bom, chunk_size=chunk_size, extra_header_rows=[hashtags]
    )
