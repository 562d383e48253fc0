"""Property test: the document service takes any text and either stores it safely or refuses
it cleanly; stored text is shown escaped on the person page and in the office's queue."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents import services
from documents.models import DocumentRequest
from people.states import JourneyState
from people.tests.factories import PersonFactory
from waystation.hostile import escaped_everywhere, hostile_text


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    document_type=st.one_of(st.sampled_from(["TP", "PE", "RD"]), hostile_text(2)),
    destination=st.one_of(st.just("청진 제철소"), hostile_text()),
    note=hostile_text(),
    refusal=hostile_text(),
)
def test_document_requests_survive_hostile_input(
    personas, offices, document_type: str, destination: str, note: str, refusal: str
) -> None:
    person = PersonFactory(station=personas.onsong, state=JourneyState.PLACED)
    try:
        request = services.request_document(
            user=personas["documents"],
            person=person,
            document_type=document_type,
            office=offices["NH-ONSONG"],
            destination=destination,
            note=note,
        )
    except ValidationError as error:
        assert error.messages, "a refusal says what is wrong"
        return
    except PermissionDenied:
        return  # a hostile document type may name a rule the officer may not use
    client = personas.client_for("documents")
    for url in (reverse("person-detail", args=[person.pk]), reverse("documents:queue")):
        page = client.get(url)
        assert page.status_code == 200
        assert not escaped_everywhere(page.content.decode()), f"stored markup would run on {url}"
    try:
        services.refuse_request(user=personas["documents"], request=request, reason=refusal)
    except ValidationError:
        return
    assert DocumentRequest.objects.get(pk=request.pk).status == DocumentRequest.Status.REFUSED
