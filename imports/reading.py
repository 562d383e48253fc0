"""Reading a spreadsheet (CSV or XLSX) into a header and rows of text. Plain Python: no Django.

Every cell becomes text; a date cell of a workbook becomes its ISO date (1931-05-04), a whole
number 7.0 becomes 7. Empty rows are dropped; rows keep their number in the sheet, so a
refusal can name the row the user sees (the header is row 1).
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 60
ENCODINGS = ("utf-8-sig", "cp949", "gb18030")


class UnreadableFile(ValueError):
    """The file cannot be read as a spreadsheet; the message says why, in English (the view
    translates the kinds it knows)."""


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    # (row number in the sheet, cells) for every row that is not empty
    rows: list[tuple[int, list[str]]]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _sheet(lines: list[list[object]]) -> Sheet:
    if not lines:
        raise UnreadableFile("empty")
    header = [_cell(value) for value in lines[0]][:MAX_COLUMNS]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise UnreadableFile("no header")
    width = len(header)
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [_cell(value) for value in list(line)[:width]]
        cells += [""] * (width - len(cells))
        if any(cells):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise UnreadableFile("too many rows")
    return Sheet(header, rows)


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("encoding")


def read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    lines: list[list[object]] = [list(line) for line in csv.reader(io.StringIO(text), dialect)]
    return _sheet(lines)


def read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile("not a workbook") from error
    try:
        sheet = workbook.worksheets[0]
        lines = []
        for line in sheet.iter_rows(values_only=True):
            lines.append(list(line))
            if len(lines) > MAX_ROWS + 1:
                raise UnreadableFile("too many rows")
        return _sheet(lines)
    finally:
        workbook.close()


def read_spreadsheet(name: str, data: bytes) -> Sheet:
    if len(data) > MAX_BYTES:
        raise UnreadableFile("too large")
    if name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    if name.lower().endswith((".csv", ".txt", ".tsv")):
        return read_csv(data)
    raise UnreadableFile("kind")
