"""Apps built on people hook in without changing it: guards on steps, panels on pages."""

import pytest
from django.utils.safestring import mark_safe

from people import extensions, journey, services
from people.states import JourneyState as S
from people.tests.factories import PersonFactory


def no_clearance_recorded(person, target, profile):
    return "No clearance decision is recorded for this person."


def test_a_guard_refuses_a_regular_step_until_overridden_with_a_reason(
    personas, monkeypatch
) -> None:
    monkeypatch.setitem(extensions._guards, S.MEDICALLY_CLEARED, [no_clearance_recorded])
    person = PersonFactory(station=personas.onsong, state=S.IN_QUARANTINE)
    with pytest.raises(journey.TransitionRefused, match="No clearance decision"):
        services.move_person(
            user=personas["medical-onsong"], person=person, target=S.MEDICALLY_CLEARED
        )
    person.refresh_from_db()
    assert person.state == S.IN_QUARANTINE
    services.move_person(
        user=personas["medical-onsong"],
        person=person,
        target=S.MEDICALLY_CLEARED,
        reason="Examined at the county hospital; papers follow",
        override=True,
    )
    assert person.transitions.order_by("-id").first().is_override


def test_registered_panels_appear_on_the_person_page_and_the_dashboard(
    personas, monkeypatch
) -> None:
    monkeypatch.setattr(
        extensions,
        "_person_panels",
        [lambda request, person: mark_safe(f"<div id='extra'>{person.pk}</div>")],
    )
    monkeypatch.setattr(
        extensions,
        "_station_panels",
        [
            lambda request, station: (
                "" if request.staff.role == "auditor" else mark_safe("<div id='beds'>beds</div>")
            )
        ],
    )
    person = PersonFactory(station=personas.onsong)
    page = personas.client_for("registrar-onsong").get(f"/people/{person.pk}/").content.decode()
    assert f"<div id='extra'>{person.pk}</div>" in page
    assert (
        "<div id='beds'>"
        in personas.client_for("registrar-onsong").get("/stations/onsong/").content.decode()
    )
    assert (
        "<div id='beds'>"
        not in personas.client_for("auditor").get("/stations/onsong/").content.decode()
    )


def test_nav_links_show_only_to_their_roles(personas, monkeypatch) -> None:
    monkeypatch.setattr(
        extensions,
        "_nav_links",
        [extensions.NavLink("audit-log", "Quarantine board", frozenset({"medical_officer"}))],
    )
    assert (
        "Quarantine board" in personas.client_for("medical-onsong").get("/people/").content.decode()
    )
    assert (
        "Quarantine board"
        not in personas.client_for("registrar-onsong").get("/people/").content.decode()
    )
