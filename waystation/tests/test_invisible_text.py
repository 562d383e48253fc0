"""Text that reads otherwise than it is stored is refused wherever it comes in: control
characters, bidirectional overrides and zero-width characters in names, person fields,
crossing notes, credential names and grievance subjects; names keep only what names need."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from labour.services.credentials import record_claim
from people import services
from people.tests.factories import PersonFactory
from people.tests.test_services import member
from reports import grievances
from waystation.text import invisible_problem, name_problem

pytestmark = pytest.mark.django_db
HIDDEN = ["\u202eevil", "zero\u200bwidth", "\ufeffbom", "bell\x07", "esc\x1b[31m", "c1\x85x",
          "\u2066isolate\u2069", "private\ue000"]  # fmt: skip


@pytest.mark.parametrize("text", HIDDEN)
def test_hidden_characters_are_found(text: str) -> None:
    assert invisible_problem(text) is not None and name_problem(text) is not None


def test_what_names_and_notes_need_passes() -> None:
    for name in ("안재수", "安在秀", "Jae-su", "O'Brien", "St. John", "Nguyễn", "Ахмед", "李·明"):
        assert name_problem(name) is None, name
    for bad in ("R2D2", "a<b>", "x@y", "안재수!"):
        assert name_problem(bad) is not None, bad
    assert invisible_problem("line one\nline two", multiline=True) is None
    assert invisible_problem("Onsong, 8 Nov. 10:00 — 김영희 (金英姬)") is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("given_name_hangul", "재\u202e수"), ("given_name_latin", "Jae\u200bsu"),
     ("family_name_latin", "An1"), ("place_of_origin", "延吉\u202e"),
     ("occupation", "miner\x1b[0m")],
)  # fmt: skip
def test_a_person_field_with_hidden_characters_is_refused(personas, field: str, value: str):
    with pytest.raises(ValidationError) as refused:
        services.register_household(
            user=personas["registrar-onsong"],
            station=personas.onsong,
            members=[member(**{field: value})],
        )
    assert any(field in message for message in refused.value.message_dict["members.0"])


def test_a_crossing_note_with_an_override_is_refused(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    with pytest.raises(ValidationError) as refused:
        services.record_crossing(
            user=personas["registrar-onsong"], person=person, station=personas.onsong,
            direction="out", crossed_at=timezone.now(), note="left \u202egnissorc",
        )  # fmt: skip
    assert "note" in refused.value.message_dict


def test_a_credential_name_with_a_control_character_is_refused(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    with pytest.raises(ValidationError) as refused:
        record_claim(
            user=personas["registrar-onsong"], person=person, kind="skill", name="welder\x07"
        )
    assert "name" in refused.value.message_dict


def test_a_grievance_subject_with_a_zero_width_character_is_refused(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    with pytest.raises(ValidationError) as refused:
        grievances.file_grievance(
            user=personas["registrar-onsong"], person=person, filing="appeal",
            kind="group_return", subject="sent\u200b back",
        )  # fmt: skip
    assert "subject" in refused.value.message_dict
