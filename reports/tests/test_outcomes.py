"""Outcomes after placement: recorded by labour officers, each one a step of the journey."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from labour.tests.factories import place
from people.audit import AuditEntry
from people.journey import TransitionRefused
from people.models import JourneyTransition, Person
from people.states import JourneyState as S
from people.tests.personas import assert_access
from reports.models import LeaveReason, Outcome
from reports.outcomes import moment_on, record_outcome
from reports.scopes import parse_scope
from reports.situation import situation_report
from reports.tests.history import local, person_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(personas) -> Person:
    person = person_with_history(
        personas.onsong,
        [
            (S.ARRIVED, local("1961-09-01"), ""),
            (S.AWAITING_PLACEMENT, local("1961-09-20"), ""),
            (S.PLACED, local("1961-09-25"), ""),
        ],
        birth_date=dt.date(1940, 1, 1),
    )
    place(person)  # nobody is placed without a placement
    return person


def reason(code: str) -> LeaveReason:
    return LeaveReason.objects.get(code=code)


def test_the_reasons_list_is_seeded_with_the_cables_reasons() -> None:
    labels = list(LeaveReason.objects.values_list("label_en", flat=True))
    assert labels[:4] == [
        "work too hard", "unable to do the work", "dissatisfied with the assignment", "family",
    ]  # fmt: skip
    assert reason("other").needs_text and not reason("family").needs_text


def test_arrival_then_leaving_moves_the_person_and_shows_in_the_report(personas, placed) -> None:
    labour = personas["labour"]
    arrived, created = record_outcome(
        user=labour, person=placed, kind="arrived_at_work",
        occurred_at=local("1961-09-28"), source="employer",
    )  # fmt: skip
    assert created and arrived.transition.to_state == S.AT_WORK
    left, _ = record_outcome(
        user=labour, person=placed, kind="left_job", occurred_at=local("1961-10-15"),
        source="visit", reason=reason("work_too_hard"),
    )  # fmt: skip
    placed.refresh_from_db()
    assert placed.state == S.LEFT_JOB
    assert left.transition.reason == "work too hard" and left.transition.by == labour
    assert AuditEntry.objects.filter(object_type="reports.Outcome", person=placed).count() == 2
    report = situation_report(parse_scope("station:onsong"), dt.date(1961, 11, 8))
    assert report.totals["left_job"] == 1
    assert report.left_job_reasons == [("work too hard", 1)]
    assert report.left_job_young == 1


def test_other_needs_an_explanation_and_counts_as_other(personas, placed) -> None:
    labour = personas["labour"]
    with pytest.raises(ValidationError) as error:
        record_outcome(
            user=labour, person=placed, kind="left_job", occurred_at=local("1961-10-01"),
            source="person", reason=reason("other"),
        )  # fmt: skip
    assert "reason_text" in error.value.message_dict
    record_outcome(
        user=labour, person=placed, kind="left_job", occurred_at=local("1961-10-01"),
        source="person", reason=reason("other"), reason_text="Went to study",
    )  # fmt: skip
    report = situation_report(parse_scope("station:onsong"), dt.date(1961, 11, 8))
    assert report.left_job_reasons == [("other", 1)]


def test_bad_outcomes_are_refused_and_change_nothing(personas, placed) -> None:
    labour = personas["labour"]
    cases = [
        {"kind": "left_job", "source": "visit"},  # no reason
        {"kind": "moved", "source": "visit", "reason": reason("family")},  # reason on a move
        {"kind": "exploded", "source": "visit"},
        {"kind": "arrived_at_work", "source": "rumour"},
        {"kind": "arrived_at_work", "source": "visit", "occurred_at": local("1961-09-01")},
        {"kind": "arrived_at_work", "source": "visit", "occurred_at": local("2999-01-01")},
    ]
    for case in cases:
        with pytest.raises(ValidationError):
            record_outcome(
                user=labour, person=placed, **{"occurred_at": local("1961-10-01"), **case}
            )
    retired = reason("health")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError):
        record_outcome(
            user=labour, person=placed, kind="left_job", occurred_at=local("1961-10-01"),
            source="visit", reason=retired,
        )  # fmt: skip
    with pytest.raises(TransitionRefused):  # placed people must arrive before they can move
        record_outcome(
            user=labour, person=placed, kind="moved", occurred_at=local("1961-10-01"),
            source="visit",
        )  # fmt: skip
    placed.refresh_from_db()
    assert placed.state == S.PLACED and not Outcome.objects.exists()
    assert JourneyTransition.objects.filter(person=placed).count() == 3


def test_only_labour_officers_in_scope_record(personas, placed) -> None:
    for name in ("registrar-onsong", "auditor", "documents", "labour-ryanggang", "admin"):
        with pytest.raises(PermissionDenied):
            record_outcome(
                user=personas[name], person=placed, kind="arrived_at_work",
                occurred_at=local("1961-10-01"), source="visit",
            )  # fmt: skip
    record_outcome(
        user=personas["labour"], person=placed, kind="arrived_at_work",
        occurred_at=local("1961-10-01"), source="visit",
    )  # fmt: skip


def test_sending_the_same_outcome_twice_stores_it_once(personas, placed) -> None:
    key = uuid.uuid4()
    kwargs = {
        "user": personas["labour"], "person": placed, "kind": "arrived_at_work",
        "occurred_at": local("1961-10-01"), "source": "employer", "client_uuid": key,
    }  # fmt: skip
    first, created = record_outcome(**kwargs)
    again, created_again = record_outcome(**kwargs)
    assert created and not created_again and first.pk == again.pk
    assert Outcome.objects.count() == 1


def test_an_outcome_reported_for_a_day_falls_after_that_days_last_step(placed) -> None:
    moment = moment_on(dt.date(1961, 9, 25), placed)
    assert moment > local("1961-09-25")
    assert moment_on(dt.date(1961, 10, 3), placed) == local("1961-10-03")


def test_the_outcome_form_is_for_labour_officers_in_scope(personas, placed) -> None:
    url = reverse("reports:record-outcome", args=[placed.pk])
    data = {"kind": "arrived_at_work", "occurred_on": "1961-10-01", "source": "employer"}
    assert_access(personas, url, {"labour"}, method="post", data=data, allowed_status=(302,))
    assert Outcome.objects.get().transition.to_state == S.AT_WORK


def test_the_person_page_shows_the_outcomes_card(personas, placed) -> None:
    page = personas.client_for("labour").get(reverse("person-detail", args=[placed.pk]))
    html = page.content.decode()
    assert 'data-testid="outcomes"' in html and 'name="reason"' in html
    assert "Arrived at work" in html and "Went back across the border" in html
    registrar = personas.client_for("registrar-onsong").get(
        reverse("person-detail", args=[placed.pk])
    )
    assert 'data-testid="outcomes"' not in registrar.content.decode()
    client = personas.client_for("labour")
    response = client.post(
        reverse("reports:record-outcome", args=[placed.pk]),
        {"kind": "left_job", "occurred_on": "1961-10-01", "source": "visit"},
        follow=True,
    )
    assert "Choose why the person left the job." in response.content.decode()
    assert not Outcome.objects.exists()


def test_administrators_maintain_the_reasons_but_never_delete_one(personas) -> None:
    admin = personas["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = personas.client_for("admin")
    listing = client.get(reverse("admin:reports_leavereason_changelist"))
    assert listing.status_code == 200 and "unable to do the work" in listing.content.decode()
    family = reason("family")
    response = client.get(reverse("admin:reports_leavereason_delete", args=[family.pk]))
    assert response.status_code == 403
    assert LeaveReason.objects.filter(pk=family.pk).exists()
