import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents import applications, services
from documents.models import ApplicationEvent, CitizenshipApplication
from documents.tests.placing import placed_person
from people.states import JourneyState
from people.tests.factories import PersonFactory

EMBASSY = "Chinese Embassy, Pyongyang"


def _file(personas, person, kind="renunciation", user="documents"):
    return applications.file_application(
        user=personas[user], person=person, kind=kind, lodged_at=EMBASSY
    )


def test_undecided_is_a_state_that_can_be_decided_later(personas, placed):
    application = _file(personas, placed)
    applications.decide_application(
        user=personas["documents"],
        application=application,
        state="undecided",
        decision="no policy on the citizenship of border crossers",
    )
    assert application.state == "undecided" and application.decided_on is not None
    applications.decide_application(
        user=personas["admin"], application=application, state="granted", decision="renounced"
    )
    assert application.state == "granted" and application.decided_by == personas["admin"]
    steps = list(ApplicationEvent.objects.filter(application=application).values_list("to_state"))
    assert steps == [("submitted",), ("undecided",), ("granted",)]
    with pytest.raises(ValidationError):
        applications.decide_application(
            user=personas["documents"], application=application, state="refused", decision="x"
        )


def test_a_decision_needs_words_and_bad_input_changes_nothing(personas, placed):
    application = _file(personas, placed)
    for state, decision in (("granted", " "), ("bogus", "x"), ("submitted", "x")):
        with pytest.raises(ValidationError):
            applications.decide_application(
                user=personas["documents"], application=application, state=state, decision=decision
            )
    application.refresh_from_db()
    assert application.state == "submitted"
    assert ApplicationEvent.objects.filter(application=application).count() == 1
    with pytest.raises(ValidationError):
        _file(personas, placed)  # one open application of a kind
    with pytest.raises(ValidationError):
        _file(personas, placed, kind="citizenship")
    assert CitizenshipApplication.objects.count() == 1


def test_only_the_documents_office_records_applications(personas, placed):
    for name in ("registrar-onsong", "labour", "auditor"):
        with pytest.raises(PermissionDenied):
            _file(personas, placed, user=name)
    other_province = PersonFactory(station=personas.hyesan)
    with pytest.raises(PermissionDenied):
        _file(personas, other_province)


def test_reports_count_people_by_state(personas, placed):
    second = PersonFactory(station=personas.musan)
    for person in (placed, second):
        application = _file(personas, person)
        applications.decide_application(
            user=personas["documents"], application=application, state="undecided", decision="wait"
        )
    _file(personas, placed, kind="naturalisation")
    counts = applications.people_by_state()
    assert counts["undecided"] == 2 and counts["submitted"] == 1 and counts["granted"] == 0
    assert applications.people_by_state(kind="naturalisation")["undecided"] == 0


def test_residency_document_rules(personas, offices, placed):
    with pytest.raises(ValidationError, match="at work"):
        services.request_document(
            user=personas["documents"],
            person=placed,
            document_type="RD",
            office=offices["NH-CIV"],
            destination="청진시",
        )
    worker = placed_person(personas.musan, JourneyState.AT_WORK)
    with pytest.raises(ValidationError):
        services.request_document(
            user=personas["documents"],
            person=worker,
            document_type="RD",
            office=offices["NH-LAB"],
            destination="청진시",
        )
    request = services.request_document(
        user=personas["documents"],
        person=worker,
        document_type="RD",
        office=offices["NH-CIV"],
        destination="청진시",
    )
    document = services.issue_request(user=personas["admin"], request=request)
    assert document.number.startswith("RD-NH-CIV-")
    assert (document.valid_until - document.valid_from).days == 364
    assert document.scope == "청진시"


def test_unknown_birth_date_is_refused_at_issue(personas, offices):
    person = placed_person(
        personas.onsong,
        birth_date=None,
        birth_date_precision="unknown",
    )
    request = services.request_document(
        user=personas["registrar-onsong"],
        person=person,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="청진",
    )
    with pytest.raises(ValidationError, match="date of birth"):
        services.issue_request(user=personas["documents"], request=request)
    request.refresh_from_db()
    assert request.status == "pending"
