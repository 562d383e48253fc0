"""The documents office's overview and daily pages: what they count and list, and for whom."""

import datetime as dt

import pytest
from django.urls import reverse

from documents import services
from documents.models import Document
from documents.tests.placing import placed_person
from people.models import Person

pytestmark = pytest.mark.django_db


def _issued(personas, offices, person: Person) -> Document:
    request = services.request_document(
        user=personas["registrar-onsong"],
        person=person,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="청진 제철소",
    )
    return services.issue_request(user=personas["documents"], request=request)


def _copies(document: Document, person: Person, count: int, first_minute: int) -> list[Document]:
    """Expired copies of `document` held by `person`, issued a minute apart."""
    copies = []
    for n in range(count):
        copy = Document.objects.get(pk=document.pk)
        copy.pk = None
        copy.request = None
        copy.person = person
        copy.number = f"{document.number}-{first_minute + n}"
        copy.status = Document.Status.EXPIRED
        copy.issued_at = document.issued_at + dt.timedelta(minutes=first_minute + n)
        copy.save()
        copies.append(copy)
    return copies


def test_overview_lists_recent_documents_of_its_scope_only(personas, offices):
    home_person = placed_person(personas.onsong)
    elsewhere = placed_person(personas.hyesan)
    original = _issued(personas, offices, home_person)
    theirs = _copies(original, elsewhere, 25, first_minute=1)

    response = personas.client_for("documents").get(reverse("documents:home"))
    page = response.content.decode()

    assert original.number in page
    assert theirs[-1].number not in page
    assert response.context["current"] == 1  # the others' copies are expired and elsewhere


def test_daily_page_counts_per_day_and_per_office_in_scope(personas, offices):
    home_person = placed_person(personas.onsong)
    elsewhere = placed_person(personas.hyesan)
    original = _issued(personas, offices, home_person)
    _copies(original, home_person, 2, first_minute=1)
    moved = _copies(original, home_person, 1, first_minute=3)[0]
    moved.office = offices["NH-MUSAN"]
    moved.issued_on = original.issued_on - dt.timedelta(days=1)
    moved.save()
    _copies(original, elsewhere, 5, first_minute=10)  # Ryanggang's: not counted here
    url = reverse("documents:daily") + f"?until={original.issued_on.isoformat()}&days=7"

    context = personas.client_for("documents").get(url).context

    by_day = {entry.day: entry.count for entry in context["counts"] if entry.count}
    assert by_day == {original.issued_on: 3, moved.issued_on: 1}
    assert len(context["counts"]) == 7 and context["total"] == 4
    assert context["per_office"] == [("NH-ONSONG", 3), ("NH-MUSAN", 1)]
    auditor = personas.client_for("auditor").get(url).context
    assert auditor["total"] == 9 and auditor["per_office"] == [("NH-ONSONG", 8), ("NH-MUSAN", 1)]
