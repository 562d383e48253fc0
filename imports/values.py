"""Turning a register's cells into what a registrar would have typed: sex, dates of birth of
any precision, education, category and languages, in the words registers use."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Category, DatePrecision, EducationLevel, Sex
from people.validation import check_crossing_time

SEXES = {
    Sex.MALE: {"m", "male", "man", "남", "남자", "男", "1"},
    Sex.FEMALE: {"f", "female", "woman", "녀", "여", "여자", "女", "2"},
    Sex.OTHER: {"x", "other", "기타", "其他"},
}
RELATIONSHIPS = {
    "head": {"head", "세대주", "호주", "户主"},
    "spouse": {"spouse", "wife", "husband", "배우자", "처", "남편", "妻", "夫", "配偶"},
    "child": {"child", "son", "daughter", "자녀", "아들", "딸", "子", "女儿", "儿子", "子女"},
    "parent": {"parent", "father", "mother", "부모", "아버지", "어머니", "父", "母", "父母"},
    "other": {"other", "기타", "其他"},
}
_DAY = re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$")
_MONTH = re.compile(r"^(\d{4})[-./年](\d{1,2})月?$")
_YEAR = re.compile(r"^(\d{4})年?$")
# a day as above, then a time of day (14:30 or 14:30:00) after a space or a T, or none
_MOMENT = re.compile(
    r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?(?:[T ]+(\d{1,2})[:시时] ?(\d{2})(?::(\d{2}))?분?)?$"
)


def parse_sex(text: str) -> tuple[str, str | None]:
    plain = text.strip().lower()
    if not plain:
        return "", _("The sex is missing.")
    for sex, words in SEXES.items():
        if plain in words:
            return sex, None
    return "", _("“%(value)s” is not a sex this import knows: write M or F.") % {"value": text}


def parse_birth_date(text: str) -> tuple[dt.date | None, str, str | None]:
    """(date, precision, problem): 1931-05-04 is a day, 1931-05 a month, 1931 a year, an
    empty cell unknown."""
    plain = text.strip().replace(" ", "")
    if not plain or plain.lower() in {"unknown", "?", "모름", "不详"}:
        return None, DatePrecision.UNKNOWN, None
    try:
        if found := _DAY.match(plain):
            return dt.date(*map(int, found.groups())), DatePrecision.DAY, None
        if found := _MONTH.match(plain):
            year, month = map(int, found.groups())
            return dt.date(year, month, 1), DatePrecision.MONTH, None
        if found := _YEAR.match(plain):
            return dt.date(int(found.group(1)), 1, 1), DatePrecision.YEAR, None
    except ValueError:
        pass
    return (
        None,
        DatePrecision.UNKNOWN,
        _("“%(value)s” is not a date: write it as 1931-05-04, 1931-05 or 1931.") % {"value": text},
    )


def _choice(text: str, choices: type[models.TextChoices], default: str) -> str | None:
    plain = text.strip().lower()
    if not plain:
        return default
    for value, label in choices.choices:
        if plain in {str(value).lower(), str(label).lower()}:
            return str(value)
    return None


def parse_education(text: str) -> tuple[str, str | None]:
    found = _choice(text, EducationLevel, EducationLevel.NONE)
    if found is None:
        return EducationLevel.NONE, _(
            "“%(value)s” is not an education level this import knows."
        ) % {"value": text}
    return found, None


def parse_category(text: str) -> tuple[str, str | None]:
    found = _choice(text, Category, Category.BORDER_CROSSER)
    if found is None:
        return Category.BORDER_CROSSER, _("“%(value)s” is not a category this import knows.") % {
            "value": text
        }
    return found, None


def parse_years(text: str) -> tuple[int, str | None]:
    plain = text.strip()
    if not plain:
        return 0, None
    if plain.isdigit() and int(plain) <= 30:
        return int(plain), None
    return 0, _("“%(value)s” is not a number of years from 0 to 30.") % {"value": text}


def parse_relationship(text: str) -> tuple[str, str | None]:
    plain = text.strip().lower()
    if not plain:
        return "", None
    for relationship, words in RELATIONSHIPS.items():
        if plain in words:
            return relationship, None
    return "", _(
        "“%(value)s” is not a relationship: write head, spouse, child, parent or other."
    ) % {"value": text}


def parse_languages(text: str) -> list[str]:
    return [code.strip() for code in re.split(r"[,;，、/]", text) if code.strip()]


def parse_crossing(text: str) -> tuple[dt.datetime | None, str | None]:
    """(moment, problem): when the person crossed the border, as 1961-11-08 14:30 (a workbook's
    date-and-time cell reads so too) or as a day alone, taken as its first minute in the
    deployment's time zone; an empty cell is None (the import's time, as on the form)."""
    plain = " ".join(text.split())
    if not plain:
        return None, None
    found = _MOMENT.match(plain)
    try:
        if found is None:
            raise ValueError(plain)
        year, month, day, hour, minute, second = (int(part or 0) for part in found.groups())
        moment = timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))
    except ValueError:
        return None, _(
            "“%(value)s” is not a crossing time: write it as 1961-11-08 14:30, or as 1961-11-08."
        ) % {"value": text}
    try:
        check_crossing_time(moment)
    except ValidationError as error:
        return None, error.messages[0]
    return moment, None
