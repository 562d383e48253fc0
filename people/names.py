"""Normalised name forms for search: every way a registrar might type a name finds the person."""

import re
import unicodedata

from people.models import Person, PersonName

_NOT_NAME_CHARS = re.compile(r"[\s\-'’.·,]+")


def normalise_name(text: str) -> str:
    """Lower-case, NFKC, without spaces, hyphens and apostrophes: 'An Jae-su' -> 'anjaesu'."""
    return _NOT_NAME_CHARS.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def name_form_values(
    family_hangul: str,
    given_hangul: str,
    family_hanzi: str,
    given_hanzi: str,
    family_latin: str,
    given_latin: str,
) -> dict[str, str]:
    """Every searchable form, normalised; empty forms are left out."""
    forms = {
        PersonName.Form.HANGUL: family_hangul + given_hangul,
        PersonName.Form.HANZI: family_hanzi + given_hanzi,
        PersonName.Form.LATIN: family_latin + given_latin,
        PersonName.Form.LATIN_GIVEN_FIRST: given_latin + family_latin,
        PersonName.Form.GIVEN_HANGUL: given_hangul,
        PersonName.Form.GIVEN_HANZI: given_hanzi,
        PersonName.Form.GIVEN_LATIN: given_latin,
    }
    normalised = {str(form): normalise_name(value) for form, value in forms.items()}
    return {form: value for form, value in normalised.items() if value}


def name_parts(person: Person) -> tuple[str, str, str, str, str, str]:
    """The six name fields, in name_form_values' order."""
    return (
        person.family_name_hangul,
        person.given_name_hangul,
        person.family_name_hanzi,
        person.given_name_hanzi,
        person.family_name_latin,
        person.given_name_latin,
    )


def name_forms_of(person: Person) -> list[PersonName]:
    values = name_form_values(*name_parts(person))
    return [PersonName(person=person, form=form, value=value) for form, value in values.items()]


def prefix_range(prefix: str) -> tuple[str, str]:
    """Bounds for an index range scan that finds every value starting with `prefix`
    (portable: a LIKE prefix needs special indexes on PostgreSQL and SQLite alike)."""
    return prefix, prefix + "\U0010ffff"
