"""The narrative is translated by the catalogs and prints with the shipped CJK font."""

import datetime as dt

import pytest
from django.utils import translation
from fontTools.ttLib import TTFont

from people.states import JourneyState as S
from reports.narrative import narrative, narratives
from reports.pdf import FONT_FILE
from reports.scopes import parse_scope
from reports.situation import situation_report
from reports.tests.history import local, person_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas):
    person_with_history(
        personas.onsong,
        [
            (S.ARRIVED, local("1961-10-01"), ""),
            (S.PLACED, local("1961-10-20"), ""),
            (S.LEFT_JOB, local("1961-11-01"), "family"),
        ],
    )
    person_with_history(personas.musan, [(S.ARRIVED, local("1961-11-05"), "")])
    return situation_report(parse_scope("province:North Hamgyong"), dt.date(1961, 11, 8))


def test_english_narrative(report) -> None:
    with translation.override("en"):
        text = " ".join(narrative(report))
    assert "2 people had crossed into North Hamgyong Province" in text
    assert "1 were at the reception stations: Musan 1." in text
    assert "family reasons (1)" in text
    assert "0 had gone back across the border" in text


def test_korean_and_chinese_narratives_come_from_the_catalogs(report) -> None:
    told = narratives(report)
    assert "무산" in " ".join(told["ko"]) and "명" in " ".join(told["ko"])
    assert "茂山" in " ".join(told["zh-hans"]) and "人" in " ".join(told["zh-hans"])
    for language in ("ko", "zh-hans"):
        assert not set(told[language]) & set(told["en"]), language


def test_every_character_of_the_narratives_is_in_the_pdf_font(report) -> None:
    cmap = TTFont(FONT_FILE).getBestCmap()
    for language, paragraphs in narratives(report).items():
        missing = {ch for ch in "".join(paragraphs) if ord(ch) not in cmap}
        assert not missing, (language, missing)
