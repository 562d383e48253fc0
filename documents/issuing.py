"""Numbering and signing a new document: the one place a document row is made from a
person, a rule and an office (the demo loader does the same in bulk)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from documents import keyring
from documents.models import Document, DocumentRequest, IssuingOffice, NumberCounter
from documents.rules import DocumentRule
from documents.signing import DocumentPayload, InvalidDocumentFieldError, sign_document
from people.models import DatePrecision, Person


def next_number(office: IssuingOffice, rule: DocumentRule, year: int) -> str:
    counter, _created = NumberCounter.objects.get_or_create(
        office=office, document_type=rule.document_type, year=year
    )
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return rule.number(office.code, year, counter.last)


def holder_fields(person: Person) -> dict[str, str]:
    """The holder's name and date of birth as they are signed into the QR code."""
    hangul = f"{person.family_name_hangul}{person.given_name_hangul}"
    hanzi = f"{person.family_name_hanzi}{person.given_name_hanzi}"
    latin = person.latin_name
    if person.birth_date is None or person.birth_date_precision == DatePrecision.UNKNOWN:
        raise ValidationError(
            {"person": [_("The date of birth is unknown: record at least the year first.")]}
        )
    birth = {
        DatePrecision.YEAR: f"{person.birth_date:%Y}",
        DatePrecision.ABOUT: f"{person.birth_date:%Y}",
        DatePrecision.MONTH: f"{person.birth_date:%Y-%m}",
    }.get(person.birth_date_precision, person.birth_date.isoformat())
    return {
        "name_hangul": hangul or hanzi or latin,
        "name_latin": latin or hangul or hanzi,
        "date_of_birth": birth,
    }


def scope_text(rule: DocumentRule, person: Person, destination: str) -> str:
    if rule.document_type == "TP":
        return f"{person.station.name_ko or person.station.name_en} → {destination}"
    return destination


def sign_new(
    *,
    user: Any,
    person: Person,
    rule: DocumentRule,
    office: IssuingOffice,
    scope: str,
    valid_from: dt.date,
    valid_until: dt.date,
    on: dt.date,
    now: dt.datetime,
    request: DocumentRequest | None = None,
    supersedes: Document | None = None,
) -> Document:
    key_record = keyring.active_key(office)
    number = next_number(office, rule, on.year)
    fields = holder_fields(person)
    try:
        payload = DocumentPayload(
            document_type=rule.document_type,
            number=number,
            issued_on=on,
            valid_from=valid_from,
            valid_until=valid_until,
            scope=scope,
            office=office.code,
            **fields,
        )
    except InvalidDocumentFieldError as error:
        raise ValidationError(str(error)) from error
    return Document.objects.create(
        number=number,
        document_type=rule.document_type,
        office=office,
        key=key_record,
        person=person,
        request=request,
        supersedes=supersedes,
        name_hangul=payload.name_hangul,
        name_latin=payload.name_latin,
        date_of_birth=payload.date_of_birth,
        scope=payload.scope,
        issued_on=on,
        valid_from=valid_from,
        valid_until=valid_until,
        qr_text=sign_document(payload, keyring.signing_key(key_record)),
        issued_by=user,
        issued_at=now,
    )
