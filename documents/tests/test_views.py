import pytest
from django.test import Client
from django.urls import reverse

from documents import changes, services
from documents.models import CitizenshipApplication, Document, DocumentRequest
from documents.signing import KeyList, read_signed_revocation_list
from people.audit import AuditEntry
from people.tests.personas import assert_access

OFFICE = {"documents", "admin", "auditor"}
ISSUERS = {"documents", "admin"}
STAFF = {
    "registrar-onsong",
    "medical-onsong",
    "supplies-onsong",
    "registrar-musan",
    "medical-musan",
    "supplies-musan",
    "labour",
    "documents",
    "labour-ryanggang",
    "admin",
    "auditor",
}


@pytest.mark.parametrize("name", ["home", "queue", "daily", "offices", "applications"])
def test_office_pages_are_for_the_documents_office(personas, offices, document, name):
    assert_access(personas, reverse(f"documents:{name}"), OFFICE)


def test_verify_page_is_for_all_staff(personas, offices):
    assert_access(personas, reverse("documents:verify"), STAFF)


def test_document_page_follows_the_persons_scope_and_is_audited(personas, document):
    url = reverse("documents:detail", args=[document.pk])
    assert_access(personas, url, {"registrar-onsong", "labour", "documents", "admin", "auditor"})
    response = personas.client_for("documents").get(url)
    assert document.number in response.content.decode()
    assert 'data-verdict="valid"' in response.content.decode()
    assert AuditEntry.objects.filter(
        action="view", object_type="documents.Document", object_id=str(document.pk)
    ).exists()


def test_pdf_is_for_issuers_and_is_a_pdf(personas, document):
    url = reverse("documents:pdf", args=[document.pk])
    assert_access(personas, url, ISSUERS)
    response = personas.client_for("documents").get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="export", object_id=str(document.pk)).exists()


def test_request_from_the_person_page(personas, offices, placed):
    url = reverse("documents:person-request", args=[placed.pk])
    data = {"document_type": "TP", "office": offices["NH-ONSONG"].pk, "destination": "청진"}
    assert_access(
        personas,
        url,
        {"registrar-onsong", "labour", "documents", "admin"},
        method="post",
        data=data,
        allowed_status=(302,),
    )
    assert DocumentRequest.objects.filter(person=placed, status="pending").count() == 1


def test_bad_request_form_changes_nothing(personas, offices, placed):
    client = personas.client_for("registrar-onsong")
    url = reverse("documents:person-request", args=[placed.pk])
    for data in (
        {"document_type": "RD", "office": offices["NH-CIV"].pk, "destination": ""},
        {"document_type": "EP", "office": offices["NH-LAB"].pk, "destination": "Ryanggang"},
        {"document_type": "TP", "office": 999999, "destination": "청진"},
        {"document_type": "TP", "office": offices["RG-LAB"].pk, "destination": "청진"},
    ):
        response = client.post(url, data)
        assert response.status_code == 302
    assert not DocumentRequest.objects.exists()


def test_issue_and_refuse_from_the_queue(personas, offices, placed):
    pending = services.request_document(
        user=personas["registrar-onsong"],
        person=placed,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="청진",
    )
    url = reverse("documents:request-issue", args=[pending.pk])
    assert_access(personas, url, ISSUERS, method="post", allowed_status=(302,))
    assert Document.objects.filter(request=pending).count() == 1
    queue = personas.client_for("documents").get(reverse("documents:queue"))
    assert "No requests are waiting" in queue.content.decode()


def test_refuse_needs_a_reason(personas, offices, placed):
    pending = services.request_document(
        user=personas["labour"],
        person=placed,
        document_type="EP",
        office=offices["NH-LAB"],
        destination="Ryanggang",
    )
    client = personas.client_for("documents")
    url = reverse("documents:request-refuse", args=[pending.pk])
    client.post(url, {"reason": ""})
    pending.refresh_from_db()
    assert pending.status == "pending"
    client.post(url, {"reason": "not needed"})
    pending.refresh_from_db()
    assert pending.status == "refused" and pending.refusal_reason == "not needed"


def test_revoke_and_reissue_pages(personas, document):
    client = personas.client_for("documents")
    client.post(reverse("documents:revoke", args=[document.pk]), {"reason": ""})
    document.refresh_from_db()
    assert document.status == "issued"
    response = client.post(reverse("documents:reissue", args=[document.pk]), {"reason": "lost"})
    replacement = Document.objects.get(supersedes=document)
    assert response["Location"] == reverse("documents:detail", args=[replacement.pk])
    assert_access(
        personas,
        reverse("documents:revoke", args=[replacement.pk]),
        ISSUERS,
        method="post",
        data={"reason": "fraud"},
        allowed_status=(302,),
    )
    replacement.refresh_from_db()
    assert replacement.status == "revoked"


def test_public_key_and_revocation_lists(personas, document):
    changes.revoke_document(user=personas["documents"], document=document, reason="smuggling")
    client = Client()
    keys = client.get(reverse("documents:keys-json"))
    assert keys.status_code == 200
    key_list = KeyList.from_json(keys.content)
    assert document.key.key_id in {key.key_id for key in key_list.keys}
    revocations = client.get(reverse("documents:revocations-json"))
    assert revocations.status_code == 200
    listing = read_signed_revocation_list(revocations.content, key_list)
    assert listing.find(document.number).reason == "revoked"
    assert "smuggling" not in revocations.content.decode()


def test_person_page_shows_documents_to_those_who_may_see_them(personas, document, placed):
    url = reverse("person-detail", args=[placed.pk])
    page = personas.client_for("registrar-onsong").get(url).content.decode()
    assert document.number in page and "documents-panel" in page
    assert "Request a document" in page
    assert "documents-panel" not in personas.client_for("medical-onsong").get(url).content.decode()
    auditor_page = personas.client_for("auditor").get(url).content.decode()
    assert document.number in auditor_page and "Request a document" not in auditor_page


def test_nav_link_for_documents_officers(personas):
    documents_page = personas.client_for("documents").get(reverse("person-list")).content.decode()
    registrar_page = personas.client_for("registrar-onsong").get(reverse("person-list"))
    assert reverse("documents:home") in documents_page
    assert reverse("documents:home") not in registrar_page.content.decode()


def test_daily_issuance_chart(personas, document):
    response = personas.client_for("documents").get(reverse("documents:daily"))
    content = response.content.decode()
    assert "<svg" in content and f"{document.issued_on.isoformat()}: 1" in content
    odd = personas.client_for("documents").get(reverse("documents:daily") + "?days=x&until=bad")
    assert odd.status_code == 200 and "<svg" in odd.content.decode()


def test_citizenship_applications_pages(personas, placed):
    file_url = reverse("documents:application-file", args=[placed.pk])
    data = {"kind": "renunciation", "lodged_at": "Chinese Embassy, Pyongyang"}
    assert_access(personas, file_url, ISSUERS, method="post", data=data, allowed_status=(302,))
    application = CitizenshipApplication.objects.get(person=placed)
    decide_url = reverse("documents:application-decide", args=[application.pk])
    client = personas.client_for("documents")
    client.post(decide_url, {"state": "undecided", "decision": ""})
    application.refresh_from_db()
    assert application.state == "submitted"
    client.post(decide_url, {"state": "undecided", "decision": "no policy yet"})
    application.refresh_from_db()
    assert application.state == "undecided" and application.decided_by == personas["documents"]
    page = client.get(reverse("documents:applications")).content.decode()
    assert 'data-testid="count-undecided">1<' in page


def test_a_days_documents_print_as_one_pdf(personas, document):
    url = reverse("documents:batch-pdf") + f"?office=NH-ONSONG&day={document.issued_on.isoformat()}"
    assert_access(personas, url, ISSUERS, allowed_status=(302,))
    asked = personas.client_for("admin").get(url)
    assert asked.status_code == 302  # laid out by the worker (documents/tests/test_batches.py)
    client = personas.client_for("documents")
    assert client.get(reverse("documents:batch-pdf") + "?office=NH-ONSONG&day=x").status_code == 404
    assert (
        client.get(reverse("documents:batch-pdf") + "?office=NH-LAB&day=2020-01-01").status_code
        == 404
    )
    daily = client.get(reverse("documents:daily") + "?office=NH-ONSONG").content.decode()
    assert "Print the day (PDF)" in daily


def test_station_dashboard_shows_the_documents_card(personas, document):
    url = reverse("station-dashboard", args=["onsong"])
    page = personas.client_for("registrar-onsong").get(url).content.decode()
    assert "documents-station-panel" in page
    assert 'data-testid="current-passes">1<' in page
    medical = personas.client_for("medical-onsong").get(url).content.decode()
    assert "documents-station-panel" not in medical


def test_a_filtered_queue_still_counts_everyone_waiting(personas, offices, placed):
    """Issue 16, item 7: the queue's header showed 0 waiting under a filter while others
    waited; it counts everyone waiting, as the office page does, and says what the filter
    shows."""
    services.request_document(
        user=personas["registrar-onsong"],
        person=placed,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="청진",
    )
    client = personas.client_for("documents")
    home = client.get(reverse("documents:home")).content.decode()
    queue = client.get(reverse("documents:queue"), {"type": "RD"}).content.decode()
    assert '<span class="muted" data-testid="waiting">1</span>' in queue
    assert "0 of them are of the chosen document" in queue
    assert '<p class="num"><a href="/documents/queue/">1</a></p>' in home
