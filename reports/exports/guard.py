"""Protection against spreadsheet formula injection (CSV injection).

OWASP's rule: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, TAB or CR can be
run as a formula when the file is opened in a spreadsheet, so such cells get a leading
apostrophe, which spreadsheets read as "this is text". We also cover LF and the
fullwidth forms ``＝＋－＠``, which some spreadsheet locales accept as formula starters.
Genuine numbers are left alone: a negative balance must stay a number a clerk can sum.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
ESCAPE_PREFIX = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet could take ``text`` as a formula or command."""
    if not text or text[0] not in FORMULA_TRIGGERS:
        return False
    return _PLAIN_NUMBER.fullmatch(text) is None


def neutralise_formula(value: Any) -> Any:
    """Return ``value`` safe to put in a CSV cell.

    Non-strings (numbers, dates, None) pass through unchanged; strings that could start
    a formula get an apostrophe in front; strings that are plain numbers such as
    ``"-12.5"`` stay as they are, since the spreadsheet reads them as numbers, not code.
    """
    if isinstance(value, str) and looks_like_formula(value):
        return ESCAPE_PREFIX + value
    return value
