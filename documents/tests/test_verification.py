"""Every verdict, through the verification page and the `verify` command, online (the
server's database) and offline (downloaded files)."""

import datetime as dt
import io
import json
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from documents import changes, keyring, services
from documents.models import KeyRecord
from documents.revocations import server_verifier
from documents.signing import SigningKey, sign_document
from documents.signing.payload import assemble_qr_text, encode_body, parse_qr_text
from documents.signing.qr import qr_png_bytes
from documents.tests.placing import placed_person
from people.audit import AuditEntry
from people.states import JourneyState

PAST = timezone.make_aware(dt.datetime(2025, 3, 1, 10))


def _issue(personas, offices, now=None):
    person = placed_person(personas.onsong, JourneyState.AT_WORK)
    request = services.request_document(
        user=personas["registrar-onsong"],
        person=person,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="청진",
        now=now,
    )
    return services.issue_request(user=personas["documents"], request=request, now=now)


@pytest.fixture
def samples(personas, offices):
    valid = _issue(personas, offices)
    expired = _issue(personas, offices, now=PAST)
    revoked = _issue(personas, offices)
    changes.revoke_document(user=personas["documents"], document=revoked, reason="smuggling")
    signed = parse_qr_text(valid.qr_text)
    altered_body = encode_body(replace(signed.payload, name_hangul="김영철"))
    altered = assemble_qr_text(signed.key_id, altered_body, signed.signature)
    stranger = SigningKey.generate("NH-ONSONG")
    unknown = sign_document(signed.payload, stranger)
    # A stranger's signature under the office's key id.
    raw_forgery = parse_qr_text(unknown)
    forged = assemble_qr_text(signed.key_id, encode_body(signed.payload), raw_forgery.signature)
    # The retired key, stolen, signing a pass dated after its retirement.
    old_record = KeyRecord.objects.get(key_id=signed.key_id)
    old_key = keyring.signing_key(old_record)
    keyring.rotate_key(offices["NH-ONSONG"])
    later = timezone.localdate() + dt.timedelta(days=1)
    old_key_text = sign_document(
        replace(signed.payload, number="TP-NH-ONSONG-X-1", issued_on=later, valid_from=later),
        old_key,
    )
    return {
        "valid": valid.qr_text,
        "expired": expired.qr_text,
        "revoked": revoked.qr_text,
        "altered": altered,
        "forged": forged,
        "old key": old_key_text,
        "unknown key": unknown,
        "malformed": "WS1:NOT-A-DOCUMENT",
        "garbage": "hello",
    }


EXPECTED = {
    "valid": "valid",
    "expired": "expired",
    "revoked": "revoked",
    "altered": "forged",
    "forged": "forged",
    "old key": "forged",
    "unknown key": "unknown_key",
    "malformed": "malformed",
    "garbage": "malformed",
}


def test_every_verdict_on_the_web_page(personas, samples):
    client = personas.client_for("registrar-musan")
    for case, qr_text in samples.items():
        response = client.post(reverse("documents:verify"), {"payload": qr_text})
        assert response.status_code == 200
        content = response.content.decode()
        assert f'data-verdict="{EXPECTED[case]}"' in content, case
        assert "Revocation list number 2" in content or "Revocation list number 1" in content
    revoked = client.post(reverse("documents:verify"), {"payload": samples["revoked"]})
    assert "Revoked on" in revoked.content.decode()
    unknown = client.post(reverse("documents:verify"), {"payload": samples["unknown key"]})
    assert "which is not in the key list" in unknown.content.decode()
    assert AuditEntry.objects.filter(reason="verification").count() == len(samples) + 2


def test_forged_documents_show_claims_as_untrusted(personas, samples):
    client = personas.client_for("documents")
    forged = client.post(reverse("documents:verify"), {"payload": samples["forged"]})
    assert "NOT genuine" in forged.content.decode()
    valid = client.post(reverse("documents:verify"), {"payload": samples["valid"]})
    assert "NOT genuine" not in valid.content.decode()
    assert "Compare with the person in front of you" in valid.content.decode()


def test_verify_a_photo_on_the_web_page(personas, samples):
    photo = SimpleUploadedFile("pass.png", qr_png_bytes(samples["valid"]), "image/png")
    response = personas.client_for("documents").post(reverse("documents:verify"), {"photo": photo})
    assert 'data-verdict="valid"' in response.content.decode()
    blank = SimpleUploadedFile("blank.png", b"not an image", "image/png")
    response = personas.client_for("documents").post(reverse("documents:verify"), {"photo": blank})
    assert 'data-verdict="malformed"' in response.content.decode()


def test_empty_verification_form_is_an_error(personas, offices):
    response = personas.client_for("documents").post(reverse("documents:verify"), {})
    assert "Give the QR text or a photo" in response.content.decode()
    assert not AuditEntry.objects.filter(reason="verification").exists()


def test_every_verdict_by_the_command_on_the_server(samples):
    for case, qr_text in samples.items():
        out = io.StringIO()
        call_command("verify", qr_text, "--json", stdout=out)
        assert json.loads(out.getvalue())["verdict"] == EXPECTED[case], case


def test_every_verdict_by_the_command_offline_with_downloaded_files(samples, tmp_path):
    call_command("export_document_lists", str(tmp_path), stdout=io.StringIO())
    (tmp_path / "revocations" / "bogus.json").write_text('{"format": "nope"}')
    for case, qr_text in samples.items():
        out = io.StringIO()
        call_command(
            "verify",
            qr_text,
            "--key-list",
            str(tmp_path / "keys.json"),
            "--revocations",
            str(tmp_path / "revocations"),
            "--json",
            stdout=out,
        )
        result = json.loads(out.getvalue())
        assert result["verdict"] == EXPECTED[case], case
        assert result["revocation_checked"] and result["revocation_list_age_hours"] < 1
        assert result["ignored_revocation_files"][0]["reason"] == "malformed"


def test_command_reads_a_photo_and_explains_in_words(samples, tmp_path):
    photo = tmp_path / "pass.png"
    photo.write_bytes(qr_png_bytes(samples["revoked"]))
    out = io.StringIO()
    call_command("verify", "--image", str(photo), stdout=out)
    assert out.getvalue().startswith("REVOKED")
    assert "revocation list #" in out.getvalue()


def test_command_refuses_bad_usage(offices, tmp_path):
    with pytest.raises(CommandError):
        call_command("verify")
    with pytest.raises(CommandError):
        call_command("verify", "WS1:X", "--key-list", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError):
        call_command("verify", "--image", str(tmp_path / "missing.png"))


def test_rotate_command(offices):
    office = offices["NH-LAB"]
    old = KeyRecord.objects.get(office=office)
    out = io.StringIO()
    call_command("rotate_document_key", "NH-LAB", stdout=out)
    old.refresh_from_db()
    assert old.retired_on == timezone.localdate()
    assert f"retired key {old.key_id}" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("rotate_document_key", "NOPE")
    with pytest.raises(CommandError):
        call_command("rotate_document_key", "NH-LAB", "--on", "2019-01-01")
    assert KeyRecord.objects.filter(office=office).count() == 2


def test_expire_command(personas, offices):
    document = _issue(personas, offices, now=PAST)
    out = io.StringIO()
    call_command("expire_documents", stdout=out)
    document.refresh_from_db()
    assert document.status == "expired" and out.getvalue().startswith("1 ")


def test_a_stolen_key_is_withdrawn_and_its_documents_become_unknown(personas, offices):
    document = _issue(personas, offices)
    out = io.StringIO()
    call_command("rotate_document_key", "NH-ONSONG", "--stolen", "laptop stolen", stdout=out)
    assert f"withdrew key {document.key.key_id}" in out.getvalue()
    assert "1 valid documents it signed must be reissued" in out.getvalue()
    verdict = server_verifier().verify(document.qr_text).verdict
    assert verdict.value == "unknown_key"
    keys = json.loads(keyring.key_list_json())
    assert document.key.key_id not in {key["key_id"] for key in keys["keys"]}
    replacement = changes.reissue_document(
        user=personas["documents"], document=document, reason="key stolen"
    )
    assert server_verifier().verify(replacement.qr_text).verdict.value == "valid"
    with pytest.raises(CommandError):
        call_command("rotate_document_key", "NH-ONSONG", "--stolen", " ")
