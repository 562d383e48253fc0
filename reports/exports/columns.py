"""Column specifications: which value goes in which column, under which header and HXL tag."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# HXL hashtag: "#" + lowercase name, then any number of "+attribute"s (HXL 1.1 standard).
_HXL_TAG = re.compile(r"#[a-z][a-z0-9_]*(?:\s*\+[a-z][a-z0-9_]*)*")


class UnknownColumnError(KeyError):
    """A requested column is not among those the export offers."""


@dataclass(frozen=True)
class ColumnSpec:
    """One export column.

    ``key`` names the value in each row (a dict key or an attribute); ``value``, if given,
    computes the cell from the whole row instead (e.g. ``lambda person: person.household.id``).
    ``hxl_tag`` is the Humanitarian Exchange Language hashtag for HXL CSV (``#adm1+name``).
    """

    key: str
    header: str
    hxl_tag: str | None = None
    value: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("column key cannot be empty")
        if self.hxl_tag is not None and not _HXL_TAG.fullmatch(self.hxl_tag):
            raise ValueError(f"not an HXL hashtag: {self.hxl_tag!r}")

    def extract(self, row: Any) -> Any:
        """The raw value of this column in ``row`` (mapping or object); missing gives None."""
        if self.value is not None:
            return self.value(row)
        if type(row) is dict:  # the common case, without the slower ABC check below
            return row.get(self.key)
        if isinstance(row, Mapping):
            return row.get(self.key)
        return getattr(row, self.key, None)


def select_columns(available: Sequence[ColumnSpec], keys: Iterable[str] | None) -> list[ColumnSpec]:
    """Limit an export to the columns a recipient needs, in the order asked for.

    ``None`` keeps every column. Unknown or repeated keys are refused rather than
    skipped, so a typo in a data-sharing agreement cannot silently widen or narrow it.
    """
    if keys is None:
        return list(available)
    by_key = {column.key: column for column in available}
    chosen: list[ColumnSpec] = []
    seen: set[str] = set()
    for key in keys:
        if key not in by_key:
            raise UnknownColumnError(key)
        if key in seen:
            raise ValueError(f"column {key!r} requested twice")
        seen.add(key)
        chosen.append(by_key[key])
    if not chosen:
        raise ValueError("an export needs at least one column")
    return chosen


def row_reader(columns: Sequence[ColumnSpec]) -> Callable[[Any], list[Any]]:
    """A function giving one row's raw values in column order, tuned for large exports.

    Plain dict rows (``queryset.values()``, generated rows) take a direct ``dict.get``
    path; anything else goes through each column's ``extract``.
    """
    keys = [column.key for column in columns]
    extractors = [column.extract for column in columns]
    if any(column.value is not None for column in columns):
        return lambda row: [extract(row) for extract in extractors]

    def read(row: Any) -> list[Any]:
        if type(row) is dict:
            return [row.get(key) for key in keys]
        return [extract(row) for extract in extractors]

    return read


def row_values(row: Any, columns: Sequence[ColumnSpec]) -> list[Any]:
    """The raw cell values of one row, in column order."""
    return row_reader(columns)(row)
