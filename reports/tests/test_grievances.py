"""Complaints and appeals: filed, assigned with a due date, answered, closed; overdue ones on
the dashboard."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from people.audit import AuditEntry
from people.tests.factories import PersonFactory
from people.tests.personas import assert_access
from reports import grievances as service
from reports.models import Grievance

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(personas):
    return PersonFactory(station=personas.onsong)


@pytest.fixture
def case(personas, person) -> Grievance:
    grievance, _created = service.file_grievance(
        user=personas["registrar-onsong"], person=person, filing="appeal",
        kind="group_return", subject="I was sent back with the group in July.",
    )  # fmt: skip
    return grievance


def test_a_case_goes_from_filing_to_answer_to_closing(personas, case) -> None:
    assert case.state == "open" and case.case_number.startswith("G-")
    assert case.due_on == timezone.localdate() + dt.timedelta(days=service.ANSWER_DAYS)
    labour = personas["labour"]
    due = timezone.localdate() + dt.timedelta(days=10)
    case = service.assign(user=personas["admin"], grievance=case, officer=labour, due_on=due)
    assert case.state == "under_review" and case.responsible == labour and case.due_on == due
    with pytest.raises(PermissionDenied):  # not the responsible officer
        service.answer(user=personas["documents"], grievance=case, text="No.")
    with pytest.raises(ValidationError):
        service.answer(user=labour, grievance=case, text="  ")
    case = service.answer(user=labour, grievance=case, text="The measure was abandoned.")
    assert case.state == "answered" and case.answered_at is not None
    case = service.close(user=labour, grievance=case)
    assert case.state == "closed"
    with pytest.raises(ValidationError):
        service.close(user=labour, grievance=case)
    assert AuditEntry.objects.filter(object_type="reports.Grievance").count() == 4


def test_bad_filings_are_refused_and_resending_stores_once(personas, person) -> None:
    registrar = personas["registrar-onsong"]
    for bad in ({"filing": "petition"}, {"kind": "weather"}, {"subject": "   "}):
        with pytest.raises(ValidationError):
            service.file_grievance(
                user=registrar, person=person,
                **{"filing": "complaint", "kind": "job_assignment", "subject": "x", **bad},
            )  # fmt: skip
    for outsider in ("registrar-musan", "auditor", "medical-onsong", "labour-ryanggang"):
        with pytest.raises(PermissionDenied):
            service.file_grievance(
                user=personas[outsider], person=person, filing="complaint",
                kind="job_assignment", subject="x",
            )  # fmt: skip
    key = uuid.uuid4()
    for _ in range(2):
        service.file_grievance(
            user=registrar, person=person, filing="complaint", kind="job_assignment",
            subject="The mine is too far from my family.", client_uuid=key,
        )  # fmt: skip
    assert Grievance.objects.count() == 1


def test_only_officers_of_the_area_can_be_responsible(personas, case) -> None:
    for officer in ("registrar-onsong", "labour-ryanggang", "auditor"):
        with pytest.raises(ValidationError):
            service.assign(
                user=personas["labour"], grievance=case, officer=personas[officer],
                due_on=timezone.localdate(),
            )  # fmt: skip
    names = {user.username for user in service.officers_for(case)}
    assert names == {"labour", "documents", "admin"}


def test_overdue_cases_show_on_the_dashboard(personas, case) -> None:
    Grievance.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert list(service.overdue(Grievance.objects.all())) == [case]
    page = personas.client_for("admin").get(reverse("reports:dashboard"))
    assert page.context["overdue_count"] == 1
    assert case.case_number in page.content.decode()
    musan = personas.client_for("registrar-musan").get(reverse("reports:dashboard"))
    assert musan.context["overdue_count"] == 0


def test_who_may_open_the_grievance_pages(personas, case) -> None:
    readers = {"registrar-onsong", "labour", "documents", "admin", "auditor"}
    assert_access(personas, reverse("reports:grievance", args=[case.pk]), readers)
    assert_access(
        personas,
        reverse("reports:grievances"),
        readers | {"registrar-musan", "labour-ryanggang"},
    )
    assert_access(
        personas,
        reverse("reports:grievance-new", args=[case.person.pk]),
        {"registrar-onsong", "labour", "documents", "admin"},
    )
    assert_access(
        personas,
        reverse("reports:grievance-action", args=[case.pk, "close"]),
        {"labour", "documents", "admin"},
        method="post",
        allowed_status=(302,),
    )


def test_filing_and_answering_through_the_pages(personas, person) -> None:
    client = personas.client_for("registrar-onsong")
    response = client.post(
        reverse("reports:grievance-new", args=[person.pk]),
        {"filing": "complaint", "kind": "job_assignment", "subject": "Wrong occupation."},
    )
    case = Grievance.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/grievances/{case.pk}/")
    labour = personas.client_for("labour")
    action = "reports:grievance-action"
    labour.post(
        reverse(action, args=[case.pk, "assign"]),
        {"officer": personas["labour"].pk, "due_on": "2999-01-01"},
    )
    labour.post(reverse(action, args=[case.pk, "answer"]), {"answer": "Reassigned to a farm."})
    case.refresh_from_db()
    assert case.state == "answered" and case.answer == "Reassigned to a farm."
    page = labour.get(reverse("reports:grievance", args=[case.pk]))
    assert "Reassigned to a farm." in page.content.decode()
    person_page = client.get(reverse("person-detail", args=[person.pk]))
    assert case.case_number in person_page.content.decode()
