"""Fixtures for the documents app: the North Hamgyong offices with keys, and placed people."""

import datetime as dt

import pytest

from documents.models import Document, IssuingOffice
from documents.offices import set_up_province_offices
from documents.tests.placing import placed_person
from people.models import Person
from people.tests.personas import PROVINCE, Personas

KEYS_FROM = dt.date(2020, 1, 1)


@pytest.fixture
def offices(personas: Personas) -> dict[str, IssuingOffice]:
    made = set_up_province_offices(
        province=PROVINCE,
        prefix="NH",
        stations=[personas.onsong, personas.musan],
        activated_on=KEYS_FROM,
        province_names=("함경북도", "咸镜北道"),
    )
    made.update(
        set_up_province_offices(
            province="Ryanggang",
            prefix="RG",
            stations=[personas.hyesan],
            activated_on=KEYS_FROM,
            signs_lists=False,
        )
    )
    return made


@pytest.fixture
def placed(personas: Personas) -> Person:
    return placed_person(personas.onsong)


@pytest.fixture
def document(personas: Personas, offices: dict[str, IssuingOffice], placed: Person) -> Document:
    """A travel pass issued at Onsong's office to a placed person."""
    from documents import services

    request = services.request_document(
        user=personas["registrar-onsong"],
        person=placed,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="청진 제철소",
    )
    return services.issue_request(user=personas["documents"], request=request)
