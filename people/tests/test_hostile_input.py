"""Property test: registration takes any input and either stores it safely or refuses it
cleanly; what it stores is shown escaped on the person's page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Person
from people.services import PersonInput, register_household
from waystation.hostile import HTML_PAYLOADS, escaped_everywhere, hostile_text

TEXT_FIELDS = (
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
    "place_of_origin",
    "occupation",
)


@st.composite
def person_inputs(draw: st.DrawFn) -> PersonInput:
    """A valid person with one to three fields made hostile, so most examples get past the
    other checks and exercise storage and display; sometimes every field is hostile."""
    fields: dict = {
        "given_name_hangul": "재수",
        "sex": "M",
        "birth_date": dt.date(1931, 5, 4),
        "birth_date_precision": "day",
    }
    hostile = draw(st.lists(st.sampled_from(TEXT_FIELDS), min_size=1, max_size=3, unique=True))
    if draw(st.integers(0, 9)) == 0:
        hostile = list(TEXT_FIELDS)
        fields["sex"] = draw(st.one_of(st.sampled_from(["M", "F"]), hostile_text(2)))
        fields["birth_date_precision"] = draw(st.one_of(st.just("unknown"), hostile_text(2)))
        fields["education_years"] = draw(st.integers(min_value=-10, max_value=100))
    for name in hostile:
        fields[name] = draw(hostile_text())
    fields["languages"] = draw(st.lists(hostile_text(2), max_size=3))
    return PersonInput(**fields)


@pytest.mark.django_db
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(member=person_inputs())
def test_registration_survives_hostile_input(personas, member: PersonInput) -> None:
    registrar = personas["registrar-onsong"]
    try:
        household, _created = register_household(
            user=registrar, station=personas.onsong, members=[member]
        )
    except ValidationError as error:
        assert error.message_dict, "a refusal says which field is wrong"
        return
    person = Person.objects.get(household=household)
    page = personas.client_for("registrar-onsong").get(reverse("person-detail", args=[person.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert not escaped_everywhere(html), "stored markup would run on the person page"
    for payload in HTML_PAYLOADS:
        if payload in (person.given_name_latin, person.occupation, person.place_of_origin):
            # Shown, and shown as text: "&lt;script&gt;", "{{ request.user }}" as typed.
            assert escape(payload) in html
