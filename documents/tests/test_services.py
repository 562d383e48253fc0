import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents import changes, keyring, services
from documents.models import Document, DocumentRequest, KeyRecord, PublishedRevocationList
from documents.revocations import server_verifier
from documents.signing import KeyList, Verdict
from documents.tests.placing import placed_person
from people.audit import AuditEntry
from people.states import JourneyState
from people.tests.factories import PersonFactory


def _request(personas, offices, person, user="registrar-onsong", **overrides):
    fields = {
        "user": personas[user],
        "person": person,
        "document_type": "TP",
        "office": offices["NH-ONSONG"],
        "destination": "청진 제철소",
    }
    fields.update(overrides)
    return services.request_document(**fields)


def _issue(personas, offices, person, **overrides):
    request = _request(personas, offices, person, **overrides)
    return services.issue_request(user=personas["documents"], request=request)


def test_issue_travel_pass_signs_a_verifiable_document(personas, offices, placed):
    document = _issue(personas, offices, placed)
    today = timezone.localdate()
    assert document.number == f"TP-NH-ONSONG-{today.year}-000001"
    assert document.valid_until == today + dt.timedelta(days=14)
    # The route ends at the placement's site, not at what the requester typed.
    assert document.scope == f"온성 → 청진 제철소 {placed.pk}, 청진시"
    result = server_verifier().verify(document.qr_text)
    assert result.verdict is Verdict.VALID
    assert result.document.name_hangul == "안재수"
    assert result.document.date_of_birth == "1931-05-04"
    assert document.request.status == DocumentRequest.Status.ISSUED
    assert AuditEntry.objects.filter(
        action="create", object_type="documents.Document", person=placed
    ).exists()


def test_numbers_run_per_office_and_type(personas, offices, placed):
    other = placed_person(personas.onsong, JourneyState.AT_WORK)
    first = _issue(personas, offices, placed)
    second = _issue(personas, offices, other)
    by_labour = _issue(
        personas,
        offices,
        placed,
        user="labour",
        document_type="EP",
        office=offices["NH-LAB"],
        destination="Ryanggang",
    )
    assert first.number.endswith("-000001") and second.number.endswith("-000002")
    assert by_labour.number.startswith("EP-NH-LAB-") and by_labour.number.endswith("-000001")


def test_double_issue_of_the_same_travel_pass_is_refused(personas, offices, placed):
    request = _request(personas, offices, placed)
    services.issue_request(user=personas["documents"], request=request)
    request.status = DocumentRequest.Status.PENDING  # a stale copy, as a second click has
    with pytest.raises(ValidationError, match="already decided"):
        services.issue_request(user=personas["documents"], request=request)
    with pytest.raises(ValidationError, match="already holds"):
        _request(personas, offices, placed)
    assert Document.objects.filter(person=placed).count() == 1


def test_the_database_refuses_a_second_current_travel_pass(personas, offices, placed):
    document = _issue(personas, offices, placed)
    copy = Document.objects.get(pk=document.pk)
    copy.pk, copy.number, copy.request = None, "TP-X-1", None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_travel_pass_needs_a_placement(personas, offices):
    waiting = PersonFactory(station=personas.onsong, state=JourneyState.AWAITING_PLACEMENT)
    with pytest.raises(ValidationError, match="placement"):
        _request(personas, offices, waiting)
    assert not DocumentRequest.objects.exists()


def test_state_is_checked_again_at_issue(personas, offices, placed):
    request = _request(personas, offices, placed)
    placed.state = JourneyState.RETURNED
    placed.save()
    with pytest.raises(ValidationError, match="placement"):
        services.issue_request(user=personas["documents"], request=request)
    assert not Document.objects.exists()
    request.refresh_from_db()
    assert request.status == DocumentRequest.Status.PENDING


@pytest.mark.parametrize(
    "overrides",
    [
        # A travel pass takes its destination from the placement: typed ones are tested on
        # the exit permit, whose destination is written by the officer.
        *(
            {"document_type": "EP", "office": "NH-LAB", "user": "labour", "destination": bad}
            for bad in ("   ", "x" * 101, "bad\x00text")
        ),
        {"document_type": "ZZ"},
        {"valid_from": dt.date(2001, 1, 1)},
        {"office": "NH-CIV"},
        {"office": "NH-MUSAN"},
        {
            "document_type": "EP",
            "office": "NH-LAB",
            "destination": "north hamgyong",
            "user": "labour",
        },
    ],
)
def test_bad_request_input_changes_nothing(personas, offices, placed, overrides):
    if "office" in overrides:
        overrides["office"] = offices[overrides["office"]]
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        _request(personas, offices, placed, **overrides)
    assert not DocumentRequest.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_a_double_submitted_request_is_stored_once(personas, offices, placed):
    import uuid

    submission = uuid.uuid4()
    first = _request(personas, offices, placed, client_uuid=submission)
    assert _request(personas, offices, placed, client_uuid=submission) == first
    assert DocumentRequest.objects.count() == 1


def test_roles_and_scope_are_enforced(personas, offices, placed):
    with pytest.raises(PermissionDenied):
        _request(personas, offices, placed, user="registrar-musan")
    with pytest.raises(PermissionDenied):
        _request(personas, offices, placed, user="medical-onsong")
    request = _request(personas, offices, placed)
    for name in ("registrar-onsong", "labour", "auditor"):
        with pytest.raises(PermissionDenied):
            services.issue_request(user=personas[name], request=request)
    assert not Document.objects.exists()


def test_refusal_needs_a_reason(personas, offices, placed):
    request = _request(personas, offices, placed)
    with pytest.raises(ValidationError):
        services.refuse_request(user=personas["documents"], request=request, reason=" ")
    refused = services.refuse_request(
        user=personas["documents"], request=request, reason="no placement letter"
    )
    assert refused.status == DocumentRequest.Status.REFUSED
    with pytest.raises(ValidationError):
        services.issue_request(user=personas["documents"], request=request)


def test_revoke_publishes_a_signed_list_that_the_verifier_uses(personas, offices, placed):
    document = _issue(personas, offices, placed)
    with pytest.raises(ValidationError):
        changes.revoke_document(user=personas["documents"], document=document, reason="")
    assert not PublishedRevocationList.objects.exists()
    changes.revoke_document(user=personas["documents"], document=document, reason="smuggling")
    assert document.status == Document.Status.REVOKED
    result = server_verifier().verify(document.qr_text)
    assert result.verdict is Verdict.REVOKED
    assert result.revocation.sequence == 1
    with pytest.raises(ValidationError, match="already revoked"):
        changes.revoke_document(user=personas["documents"], document=document, reason="again")


def test_reissue_supersedes_with_a_new_number(personas, offices, placed):
    document = _issue(personas, offices, placed)
    replacement = changes.reissue_document(
        user=personas["documents"], document=document, reason="lost on the train"
    )
    assert replacement.number != document.number
    assert replacement.supersedes == document
    assert replacement.valid_until == document.valid_until
    document.refresh_from_db()
    assert document.status == Document.Status.REVOKED
    assert "lost on the train" in document.status_reason
    verifier = server_verifier()
    assert verifier.verify(document.qr_text).verdict is Verdict.REVOKED
    assert verifier.verify(replacement.qr_text).verdict is Verdict.VALID


def test_expiry_is_a_state_and_frees_the_type(personas, offices, placed):
    document = _issue(personas, offices, placed)
    assert services.expire_documents(document.valid_until) == 0
    assert services.expire_documents(document.valid_until + dt.timedelta(days=1)) == 1
    document.refresh_from_db()
    assert document.status == Document.Status.EXPIRED
    assert _issue(personas, offices, placed).number.endswith("-000002")


def test_rotation_keeps_earlier_documents_valid(personas, offices, placed):
    office = offices["NH-ONSONG"]
    before = _issue(personas, offices, placed)
    old_key = before.key
    new_key = keyring.rotate_key(office)
    old_key.refresh_from_db()
    assert old_key.retired_on == timezone.localdate()
    assert KeyRecord.objects.filter(office=office, retired_on__isnull=True).get() == new_key
    other = placed_person(personas.onsong)
    after = _issue(personas, offices, other)
    assert after.key == new_key
    verifier = server_verifier()
    assert verifier.verify(before.qr_text).verdict is Verdict.VALID
    assert verifier.verify(after.qr_text).verdict is Verdict.VALID


def test_private_keys_are_stored_encrypted(offices):
    record = KeyRecord.objects.first()
    assert "ENCRYPTED PRIVATE KEY" in record.private_pem_encrypted
    assert keyring.signing_key(record).key_id == record.key_id


def test_a_ticket_office_follows_the_rotation_of_the_list_signing_key(offices, client):
    anchor = KeyList.from_json(client.get("/documents/keys.json").content)
    new_key = keyring.rotate_key(offices["NH-LAB"])
    updated = KeyList.update_from_json(client.get("/documents/keys.json").content, anchor)
    assert updated.get(new_key.key_id) is not None
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert keyring.list_signing_key(tomorrow).key_id == new_key.key_id
