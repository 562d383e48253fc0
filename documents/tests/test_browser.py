"""In a real browser: a registrar requests a travel pass, the documents officer issues it
from the queue, and a photo of its QR code verifies as valid."""

import datetime as dt

import pytest

from documents.models import Document
from documents.offices import set_up_province_offices
from documents.signing.qr import qr_png_bytes
from documents.tests.placing import placed_person
from people.tests.personas import PROVINCE

pytestmark = pytest.mark.browser


def _log_in(page, server: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{server}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_request_issue_and_verify_a_travel_pass(live_server, page, tmp_path) -> None:
    from people.tests.personas import build_personas

    personas = build_personas()
    set_up_province_offices(
        province=PROVINCE,
        prefix="NH",
        stations=[personas.onsong, personas.musan],
        activated_on=dt.date(2020, 1, 1),
    )
    person = placed_person(personas.onsong)
    server = live_server.url

    _log_in(page, server, "registrar-onsong")
    page.goto(f"{server}/people/{person.pk}/")
    page.click("text=Request a document")
    page.fill("#id_destination", "청진 제철소")
    page.click("#documents-panel button:has-text('Request')")
    page.wait_for_load_state()
    assert "The request was sent to the documents office." in page.content()

    _log_in(page, server, "documents")
    page.goto(f"{server}/documents/queue/")
    page.click("button:has-text('Issue')")
    page.wait_for_load_state()
    document = Document.objects.get(person=person)
    assert f"Issued {document.number}." in page.content()

    photo = tmp_path / "pass.png"
    photo.write_bytes(qr_png_bytes(document.qr_text))
    page.goto(f"{server}/documents/verify/")
    page.set_input_files("#id_photo", str(photo))
    page.click("button:has-text('Verify')")
    page.wait_for_load_state()
    assert page.get_attribute("[data-testid=verdict]", "data-verdict") == "valid"
    assert f"온성 → 청진 제철소 {person.pk}, 청진시" in page.content()
