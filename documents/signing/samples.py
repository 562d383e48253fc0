"""Sample documents shaped like the 1961 cable's: for tests, the benchmark and demos."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from documents.signing.payload import DocumentPayload, DocumentType

# (Hangul, Hanzi, McCune-Reischauer) names of the kind the demo data set generates.
SAMPLE_NAMES: tuple[tuple[str, str, str], ...] = (
    ("김영철", "金永哲", "Kim Yŏngch'ŏl"),
    ("리순희", "李顺姬", "Ri Sunhŭi"),
    ("박정남", "朴正男", "Pak Chŏngnam"),
    ("최옥련", "崔玉莲", "Ch'oe Ongnyŏn"),
    ("안재수", "安在秀", "An Chaesu"),
    ("정룡길", "郑龙吉", "Chŏng Ryonggil"),
    ("한명숙", "韩明淑", "Han Myŏngsuk"),
    ("윤태식", "尹泰植", "Yun T'aesik"),
)
SAMPLE_ROUTES: tuple[str, ...] = (
    "온성 → 청진",
    "회령 → 함흥",
    "경성 → 김책",
    "무산 → 평양",
    "남양 → 라진",
)


def sample_payload(
    index: int = 0, issued_on: date | None = None, **overrides: Any
) -> DocumentPayload:
    """A 15-day travel pass for the index-th sample person; fields can be overridden."""
    issued = issued_on or date(1961, 11, 8)
    hangul, _, latin = SAMPLE_NAMES[index % len(SAMPLE_NAMES)]
    payload = DocumentPayload(
        document_type=DocumentType.TRAVEL_PASS,
        number=f"TP-NH-{issued.year}-{index + 1:06d}",
        name_hangul=hangul,
        name_latin=latin,
        date_of_birth=f"{1925 + index % 15}-{1 + index % 12:02d}-{1 + index % 28:02d}",
        issued_on=issued,
        valid_from=issued,
        valid_until=issued + timedelta(days=14),
        scope=SAMPLE_ROUTES[index % len(SAMPLE_ROUTES)],
        office="NH-LAB",
    )
    return replace(payload, **overrides) if overrides else payload


def sample_name_hanzi(index: int = 0) -> str:
    return SAMPLE_NAMES[index % len(SAMPLE_NAMES)][1]
