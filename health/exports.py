"""A person's vaccination record, for them to take along: a FHIR R4 Immunization bundle (JSON)
and a printable card (PDF, WeasyPrint with the shipped CJK font so Hangul and Hanzi print)."""

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from health.models import Clearance, Vaccination
from people.models import DatePrecision, Person
from waystation import clock

FONT = Path(settings.BASE_DIR) / "documents" / "fonts" / "NotoSansCJKkr-Subset-Regular.otf"
NAMESPACE = uuid.UUID("6d1b6a3c-2f4e-4f51-9a51-8a3a0b7c5e11")
CVX = "http://hl7.org/fhir/sid/cvx"
GENDER = {"F": "female", "M": "male", "X": "unknown"}


def vaccinations_of(person: Person) -> list[Vaccination]:
    return list(
        Vaccination.objects.filter(person=person)
        .select_related("vaccine", "given_by", "stay__station")
        .order_by("given_on", "id")
    )


def _birth_date(person: Person) -> str | None:
    if person.birth_date is None:
        return None
    if person.birth_date_precision in (DatePrecision.YEAR, DatePrecision.ABOUT):
        return f"{person.birth_date:%Y}"
    if person.birth_date_precision == DatePrecision.MONTH:
        return f"{person.birth_date:%Y-%m}"
    return person.birth_date.isoformat()


def _patient(person: Person) -> dict[str, Any]:
    names = []
    if person.family_name_latin or person.given_name_latin:
        names.append(
            {
                "use": "official",
                "family": person.family_name_latin,
                "given": [person.given_name_latin] if person.given_name_latin else [],
            }
        )
    for family, given, language in (
        (person.family_name_hangul, person.given_name_hangul, "ko"),
        (person.family_name_hanzi, person.given_name_hanzi, "zh"),
    ):
        if family or given:
            names.append(
                {
                    "use": "usual",
                    "text": f"{family}{given}",
                    "family": family,
                    "given": [given] if given else [],
                    "extension": [
                        {
                            "url": "http://hl7.org/fhir/StructureDefinition/language",
                            "valueCode": language,
                        }
                    ],
                }
            )
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": "urn:waystation:person", "value": str(person.client_uuid)}],
        "name": names,
        "gender": GENDER.get(person.sex, "unknown"),
    }
    if birth := _birth_date(person):
        patient["birthDate"] = birth
    return patient


def _immunization(vaccination: Vaccination, patient_url: str) -> dict[str, Any]:
    vaccine = vaccination.vaccine
    code: dict[str, Any] = {"text": vaccine.name_en}
    if vaccine.cvx:
        code["coding"] = [{"system": CVX, "code": vaccine.cvx, "display": vaccine.name_en}]
    performer = vaccination.given_by.get_username() if vaccination.given_by else ""
    resource: dict[str, Any] = {
        "resourceType": "Immunization",
        "identifier": [{"system": "urn:waystation:vaccination", "value": str(vaccination.pk)}],
        "status": "completed",
        "vaccineCode": code,
        "patient": {"reference": patient_url},
        "occurrenceDateTime": vaccination.given_on.isoformat(),
        "recorded": vaccination.recorded_at.isoformat(),
        "primarySource": True,
        "lotNumber": vaccination.lot_number,
        "location": {"display": vaccination.stay.station.name_en},
        "protocolApplied": [{"doseNumberPositiveInt": vaccination.dose}],
    }
    if performer:
        resource["performer"] = [{"actor": {"display": performer}}]
    return resource


def fhir_bundle(person: Person) -> dict[str, Any]:
    """A FHIR R4 `collection` Bundle: the Patient and one Immunization per dose given."""
    patient_url = f"urn:uuid:{uuid.uuid5(NAMESPACE, f'patient:{person.client_uuid}')}"
    entries = [{"fullUrl": patient_url, "resource": _patient(person)}]
    for vaccination in vaccinations_of(person):
        entries.append(
            {
                "fullUrl": f"urn:uuid:{uuid.uuid5(NAMESPACE, f'immunization:{vaccination.pk}')}",
                "resource": _immunization(vaccination, patient_url),
            }
        )
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": clock.now().isoformat(),
        "entry": entries,
    }


def vaccination_card_pdf(person: Person) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint takes a moment

    clearance = Clearance.objects.filter(person=person).order_by("-decided_at").first()
    html = render_to_string(
        "health/card.html",
        {
            "person": person,
            "vaccinations": vaccinations_of(person),
            "clearance": clearance,
            "birth": _birth_date(person) or "—",
            "font_url": FONT.as_uri(),
            "issued": clock.today(),
        },
    )
    return HTML(string=html, base_url=str(FONT.parent)).write_pdf()
