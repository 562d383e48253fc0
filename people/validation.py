"""What a registrar may type for a person: the fields, and the checks that turn typed text
into clean values or a clear error per field."""

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from identity.engine.idnumber import (
    normalize_document_number,
    parse_resident_id,
    resident_id_errors,
)
from identity.engine.phonetic import is_hangul, is_hanzi
from people.models import (
    Category,
    DatePrecision,
    EducationLevel,
    Relationship,
    Sex,
)
from waystation import clock
from waystation.text import invisible_problem, name_problem

NAME_FIELDS = frozenset(
    {
        "family_name_hangul",
        "given_name_hangul",
        "family_name_hanzi",
        "given_name_hanzi",
        "family_name_latin",
        "given_name_latin",
    }
)


@dataclass
class PersonInput:
    family_name_hangul: str = ""
    given_name_hangul: str = ""
    family_name_hanzi: str = ""
    given_name_hanzi: str = ""
    family_name_latin: str = ""
    given_name_latin: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    birth_date_precision: str = DatePrecision.DAY
    place_of_origin: str = ""
    document_number: str = ""
    # the registrar keeps an ID that does not check out as the card shows it
    document_as_written: bool = False
    education_level: str = EducationLevel.NONE
    education_years: int = 0
    occupation: str = ""
    languages: list[str] = field(default_factory=list)
    category: str = Category.BORDER_CROSSER
    relationship: str = ""
    client_uuid: uuid.UUID | None = None


def _clean_text(value: Any, limit: int, name: str, errors: dict[str, list[str]]) -> str:
    text = " ".join(str(value or "").split())
    # Controls, invisible format characters (U+202E, zero-width ones) and lone surrogates
    # (valid in JSON, not storable as UTF-8) are refused; a name holds only what names need.
    problem = name_problem(text) if name in NAME_FIELDS else invisible_problem(text)
    if problem:
        errors.setdefault(name, []).append(problem)
    if len(text) > limit:
        errors.setdefault(name, []).append(_("At most %(limit)d characters.") % {"limit": limit})
    return text


def _clean_document_number(value: Any, errors: dict[str, list[str]]) -> str:
    """A resident ID as the files check compares it (spaces and dashes dropped, X upper
    case); a number whose check character or birth date is wrong is refused, because a
    mistyped number would send the files check after somebody else."""
    number = normalize_document_number(str(value or ""))
    if number and resident_id_errors(number):
        errors.setdefault("document_number", []).append(
            _(
                "This is not a valid resident ID number: it has 18 characters (or 15 on an "
                "old card) and its last character, a check digit or X, must fit the others. "
                "Please check it against the card."
            )
        )
    return number


def _agree_with_resident_id(cleaned: PersonInput, errors: dict[str, list[str]]) -> None:
    """A valid resident ID states the date of birth and the sex. An unknown date is taken
    from it; a date or sex that contradicts it is refused, since one of the two is mistyped
    and the files check would otherwise weigh them against each other for ever."""
    resident = parse_resident_id(cleaned.document_number) if cleaned.document_number else None
    if resident is None:
        return
    if cleaned.birth_date_precision == DatePrecision.UNKNOWN:
        cleaned.birth_date, cleaned.birth_date_precision = resident.birth_date, DatePrecision.DAY
    else:
        given, on_card = cleaned.birth_date, resident.birth_date
        assert given is not None  # a known precision comes with a date (validate_person)
        agrees = given.year == on_card.year or (
            cleaned.birth_date_precision == DatePrecision.ABOUT
            and abs(given.year - on_card.year) <= 2
        )
        if cleaned.birth_date_precision in (DatePrecision.MONTH, DatePrecision.DAY):
            agrees = agrees and given.month == on_card.month
        if cleaned.birth_date_precision == DatePrecision.DAY:
            agrees = agrees and given.day == on_card.day
        if not agrees:
            errors.setdefault("birth_date", []).append(
                _(
                    "The resident ID number gives the date of birth as %(date)s. Correct "
                    "the date or the number, as the card shows them."
                )
                % {"date": date_format(on_card, "DATE_FORMAT")}
            )
    if cleaned.sex in (Sex.MALE, Sex.FEMALE) and cleaned.sex != resident.sex:
        errors.setdefault("sex", []).append(
            _("The resident ID number is a man's number.")
            if resident.sex == Sex.MALE
            else _("The resident ID number is a woman's number.")
        )


def _weigh_id_problems(
    cleaned: PersonInput, id_errors: dict[str, list[str]], errors: dict[str, list[str]]
) -> None:
    """An ID that does not check out (check digit, birth date or sex) is evidence, not a
    refusal: the registrar is warned and may keep it as written on the card; it is then
    stored flagged and the files check compares it as it is."""
    if not id_errors:
        cleaned.document_as_written = False
        return
    if cleaned.document_as_written and cleaned.document_number:
        return
    for name, messages in id_errors.items():
        errors.setdefault(name, []).extend(messages)
    if cleaned.document_number:
        errors.setdefault("document_as_written", []).append(
            _(
                "If the card shows the number exactly so, tick “As written on the card” to "
                "keep it: it is stored marked as not checking out."
            )
        )


NAME_SCRIPTS = ("hangul", "hanzi", "latin")


def script_of(text: str) -> str:
    """The one script a name is written in ("hangul", "hanzi" or "latin"), or "" when it
    mixes scripts or has no letters."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return ""
    if all(is_hanzi(ch) for ch in letters):
        return "hanzi"
    if all(is_hangul(ch) for ch in letters):
        return "hangul"
    if all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters):
        return "latin"
    return ""


def _names_in_their_scripts(cleaned: PersonInput, errors: dict[str, list[str]]) -> None:
    """A name in the field of another script goes to its own: a register whose 성 and 이름
    columns hold "An" and "Zaixiu" for some rows, compared as Hangul, matched nobody. A
    name that would overwrite another one there is refused instead."""
    for part in ("family", "given"):
        for script in NAME_SCRIPTS:
            field_name = f"{part}_name_{script}"
            value = getattr(cleaned, field_name)
            written_in = script_of(value)
            if not written_in or written_in == script:
                continue
            target = f"{part}_name_{written_in}"
            held = getattr(cleaned, target)
            if held and held != value:
                errors.setdefault(field_name, []).append(
                    _(
                        "“%(value)s” is not in this field's script, and “%(held)s” is already given in its own."
                    )
                    % {"value": value, "held": held}
                )
                continue
            setattr(cleaned, target, value)
            setattr(cleaned, field_name, "")


def validate_person(data: PersonInput, today: dt.date | None = None) -> PersonInput:
    """Return a cleaned copy or raise ValidationError with errors per field."""
    errors: dict[str, list[str]] = {}
    today = today or clock.today()
    limits = {"family_name_latin": 80, "given_name_latin": 80, "place_of_origin": 200}
    cleaned = replace(data, languages=list(data.languages or []))
    for name in (
        "family_name_hangul",
        "given_name_hangul",
        "family_name_hanzi",
        "given_name_hanzi",
        "family_name_latin",
        "given_name_latin",
        "place_of_origin",
        "occupation",
    ):
        setattr(
            cleaned,
            name,
            _clean_text(
                getattr(data, name), limits.get(name, 60 if "name" in name else 120), name, errors
            ),
        )
    _names_in_their_scripts(cleaned, errors)
    if not any(
        getattr(cleaned, n)
        for n in (
            "family_name_hangul",
            "given_name_hangul",
            "family_name_hanzi",
            "given_name_hanzi",
            "family_name_latin",
            "given_name_latin",
        )
    ):
        errors.setdefault("family_name_hangul", []).append(
            _("Give the name in at least one script (Hangul, Hanzi or Latin letters).")
        )
    id_errors: dict[str, list[str]] = {}
    cleaned.document_number = _clean_document_number(data.document_number, id_errors)
    if cleaned.sex not in Sex.values:
        errors.setdefault("sex", []).append(_("Choose the sex."))
    if cleaned.birth_date_precision not in DatePrecision.values:
        errors.setdefault("birth_date_precision", []).append(_("Unknown precision."))
    elif cleaned.birth_date_precision == DatePrecision.UNKNOWN:
        cleaned.birth_date = None
    elif cleaned.birth_date is None:
        errors.setdefault("birth_date", []).append(
            _("Give the date of birth, or mark it as unknown.")
        )
    elif cleaned.birth_date > today:
        errors.setdefault("birth_date", []).append(_("The date of birth is in the future."))
    elif cleaned.birth_date.year < today.year - 120:
        errors.setdefault("birth_date", []).append(_("The date of birth is too long ago."))
    if not (errors.keys() | id_errors.keys()) & {
        "document_number",
        "birth_date",
        "birth_date_precision",
        "sex",
    }:
        _agree_with_resident_id(cleaned, id_errors)
    _weigh_id_problems(cleaned, id_errors, errors)
    if cleaned.education_level not in EducationLevel.values:
        errors.setdefault("education_level", []).append(_("Unknown education level."))
    if not isinstance(cleaned.education_years, int) or not 0 <= cleaned.education_years <= 30:
        errors.setdefault("education_years", []).append(_("Between 0 and 30 years."))
    if cleaned.category not in Category.values:
        errors.setdefault("category", []).append(_("Unknown category."))
    cleaned.relationship = cleaned.relationship or ""
    if cleaned.relationship and cleaned.relationship not in Relationship.values:
        errors.setdefault("relationship", []).append(
            _("Choose head, spouse, child, parent or other.")
        )
    languages = [_clean_text(code, 20, "languages", errors) for code in cleaned.languages or []]
    cleaned.languages = [code for code in languages if code][:10]
    if errors:
        raise ValidationError(errors)
    return cleaned


EARLIEST_CROSSING = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


def check_crossing_time(crossed_at: dt.datetime) -> None:
    """A crossing is in the past, and not before 1900 (a mistyped year, or a date so far off
    that it cannot even be stored)."""
    if crossed_at > clock.now() + dt.timedelta(minutes=5):
        raise ValidationError({"crossed_at": [_("The crossing time is in the future.")]})
    if crossed_at < EARLIEST_CROSSING:
        raise ValidationError({"crossed_at": [_("The crossing time is before 1900.")]})
