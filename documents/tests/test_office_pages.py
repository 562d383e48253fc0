"""The documents office pages at scale: which documents the overview lists as recent."""

import datetime as dt

import pytest
from django.urls import reverse

from documents import services, stats
from documents.models import Document
from documents.tests.placing import placed_person
from documents.views import visible_documents
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


def test_recent_documents_are_the_newest_in_scope_even_behind_many_out_of_scope(personas, offices):
    """The overview reads the newest documents of every scope a window at a time: a
    province with few of them still gets its own newest, in order."""
    home_person = placed_person(personas.onsong)
    elsewhere = placed_person(personas.hyesan)  # Ryanggang: not the North Hamgyong office's
    original = _issued(personas, offices, home_person)
    ours = _copies(original, home_person, 3, first_minute=1)
    _copies(original, elsewhere, 30, first_minute=10)  # newer than all of ours
    scope = visible_documents(personas["documents"].staff_profile)

    recent = stats.most_recent(scope, 3)
    everything = stats.most_recent(scope, 10)

    assert recent == list(reversed(ours))
    assert everything == [*reversed(ours), original]
    assert stats.most_recent(visible_documents(personas["auditor"].staff_profile), 2) == list(
        Document.objects.order_by("-issued_at", "-id")[:2]
    )


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
