"""Verdicts of offline verification: every way a document can be good or bad."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from documents.signing import base45
from documents.signing.keys import KeyList, SigningKey
from documents.signing.payload import (
    QR_PREFIX,
    SIGNATURE_BYTES,
    assemble_qr_text,
    encode_body,
    message_to_sign,
)
from documents.signing.revocation import RevocationList, RevokedDocument
from documents.signing.samples import sample_payload
from documents.signing.sign import sign_document
from documents.signing.verify import Verdict, Verifier

ISSUED = date(1961, 11, 8)
TODAY = date(1961, 11, 10)
NOW = datetime(1961, 11, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def office_key() -> SigningKey:
    return SigningKey.generate("NH-LAB")


@pytest.fixture(scope="module")
def key_list(office_key: SigningKey) -> KeyList:
    return KeyList((office_key.published(date(1960, 1, 1)),))


def _raw(qr_text: str) -> bytearray:
    return bytearray(base45.decode(qr_text[len(QR_PREFIX) :]))


def _text(raw: bytes | bytearray) -> str:
    return QR_PREFIX + base45.encode(bytes(raw))


def test_genuine_document_is_valid_with_holder_details(
    office_key: SigningKey, key_list: KeyList
) -> None:
    payload = sample_payload(1)
    result = Verifier(key_list).verify(sign_document(payload, office_key), TODAY, NOW)
    assert result.verdict is Verdict.VALID
    assert result.is_valid
    assert result.document == payload
    assert result.document is not None and result.document.name_hangul == "리순희"
    assert result.claimed_document is None
    assert result.signing_key is not None and result.signing_key.office == "NH-LAB"


def test_flipped_signature_bit_is_forged(office_key: SigningKey, key_list: KeyList) -> None:
    raw = _raw(sign_document(sample_payload(), office_key))
    raw[-1] ^= 0x01
    result = Verifier(key_list).verify(_text(raw), TODAY, NOW)
    assert result.verdict is Verdict.FORGED
    assert result.document is None
    assert result.claimed_document == sample_payload()


@pytest.mark.parametrize(
    "altered",
    [
        {"name_hangul": "김영출"},
        {"name_latin": "Kim Yongchul"},
        {"valid_until": ISSUED + timedelta(days=400)},
        {"scope": "온성 → 평양"},
        {"date_of_birth": "1940-01-01"},
        {"number": "TP-NH-1961-000999"},
    ],
)
def test_altered_field_with_original_signature_is_forged(
    office_key: SigningKey, key_list: KeyList, altered: dict[str, Any]
) -> None:
    original = sample_payload(issued_on=ISSUED)
    signature = _raw(sign_document(original, office_key))[-SIGNATURE_BYTES:]
    tampered = sample_payload(issued_on=ISSUED, **altered)
    qr_text = assemble_qr_text(office_key.key_id, encode_body(tampered), bytes(signature))
    result = Verifier(key_list).verify(qr_text, TODAY, NOW)
    assert result.verdict is Verdict.FORGED
    assert result.claimed_document == tampered


def test_other_key_claiming_the_office_key_id_is_forged(
    office_key: SigningKey, key_list: KeyList
) -> None:
    impostor = SigningKey.generate("NH-LAB")
    body = encode_body(sample_payload())
    forged_signature = impostor.sign(message_to_sign(office_key.key_id, body))
    qr_text = assemble_qr_text(office_key.key_id, body, forged_signature)
    assert Verifier(key_list).verify(qr_text, TODAY, NOW).verdict is Verdict.FORGED


def test_key_not_in_list_is_unknown_key(key_list: KeyList) -> None:
    stranger = SigningKey.generate("ELSEWHERE")
    result = Verifier(key_list).verify(sign_document(sample_payload(), stranger), TODAY, NOW)
    assert result.verdict is Verdict.UNKNOWN_KEY
    assert result.key_id == stranger.key_id
    assert result.document is None


def test_stolen_key_removed_from_list_makes_its_documents_unknown(office_key: SigningKey) -> None:
    key_list = KeyList((office_key.published(date(1960, 1, 1)),)).without(office_key.key_id)
    result = Verifier(key_list).verify(sign_document(sample_payload(), office_key), TODAY, NOW)
    assert result.verdict is Verdict.UNKNOWN_KEY


@pytest.mark.parametrize(
    ("today", "verdict"),
    [
        (ISSUED - timedelta(days=1), Verdict.NOT_YET_VALID),
        (ISSUED, Verdict.VALID),
        (ISSUED + timedelta(days=14), Verdict.VALID),
        (ISSUED + timedelta(days=15), Verdict.EXPIRED),
    ],
)
def test_validity_period_is_inclusive(
    office_key: SigningKey, key_list: KeyList, today: date, verdict: Verdict
) -> None:
    qr_text = sign_document(sample_payload(issued_on=ISSUED), office_key)
    result = Verifier(key_list).verify(qr_text, today, NOW)
    assert result.verdict is verdict
    assert result.document is not None


def test_revoked_document_is_revoked_even_after_expiry(
    office_key: SigningKey, key_list: KeyList
) -> None:
    payload = sample_payload(issued_on=ISSUED)
    revocations = RevocationList(
        sequence=3,
        issued_at=NOW - timedelta(hours=5),
        issuer="NH-DOC",
        revoked=(RevokedDocument(payload.number, date(1961, 11, 9), "lost"),),
    )
    verifier = Verifier(key_list, revocations)
    qr_text = sign_document(payload, office_key)
    for today in (TODAY, TODAY + timedelta(days=100)):
        result = verifier.verify(qr_text, today, NOW)
        assert result.verdict is Verdict.REVOKED
        assert result.revoked_entry is not None and result.revoked_entry.reason == "lost"
    other = verifier.verify(sign_document(sample_payload(2), office_key), TODAY, NOW)
    assert other.verdict is Verdict.VALID
    assert other.revocation is not None and other.revocation.sequence == 3
    assert other.revocation.age == timedelta(hours=5)
    assert not other.revocation.stale


def test_rotated_key_still_verifies_documents_signed_before_rotation() -> None:
    old, new = SigningKey.generate("NH-LAB"), SigningKey.generate("NH-LAB")
    rotation_day = date(1961, 6, 1)
    key_list = KeyList((old.published(date(1960, 1, 1)),)).rotated(
        old.key_id, new.published(rotation_day), retired_on=rotation_day - timedelta(days=1)
    )
    verifier = Verifier(KeyList.from_json(key_list.to_json()))
    signed_before = sign_document(
        sample_payload(issued_on=date(1961, 5, 20), valid_until=date(1961, 12, 31)), old
    )
    signed_after = sign_document(sample_payload(issued_on=date(1961, 11, 8)), new)
    assert verifier.verify(signed_before, TODAY, NOW).verdict is Verdict.VALID
    assert verifier.verify(signed_after, TODAY, NOW).verdict is Verdict.VALID
    # The retired key signing a document dated after its retirement: stolen or backdated.
    late_with_old_key = sign_document(sample_payload(issued_on=date(1961, 11, 8)), old)
    result = verifier.verify(late_with_old_key, TODAY, NOW)
    assert result.verdict is Verdict.FORGED
    assert "not in service" in result.reason


def test_key_of_another_office_signing_is_forged(key_list: KeyList) -> None:
    civil_affairs = SigningKey.generate("NH-CIV")
    both = key_list.with_key(civil_affairs.published(date(1960, 1, 1)))
    verifier = Verifier(both)
    own = sign_document(sample_payload(office="NH-CIV"), civil_affairs)
    assert verifier.verify(own, TODAY, NOW).verdict is Verdict.VALID
    posing = sign_document(sample_payload(office="NH-LAB"), civil_affairs)
    result = verifier.verify(posing, TODAY, NOW)
    assert result.verdict is Verdict.FORGED
    assert "NH-CIV" in result.reason


@pytest.mark.parametrize(
    "qr_text",
    [
        "",
        "https://example.org/not-a-document",
        "WS1:",
        "WS1:not base45 at all!",
        "ws1:abc",
        QR_PREFIX + base45.encode(b"\x01\x00\x00\x00\x00" + b"x" * 70),
    ],
)
def test_malformed_qr_text_is_malformed(key_list: KeyList, qr_text: str) -> None:
    result = Verifier(key_list).verify(qr_text, TODAY, NOW)
    assert result.verdict is Verdict.MALFORMED
    assert result.document is None and result.claimed_document is None


def test_truncated_payload_is_malformed_not_a_crash(
    office_key: SigningKey, key_list: KeyList
) -> None:
    qr_text = sign_document(sample_payload(), office_key)
    verifier = Verifier(key_list)
    verdicts = {verifier.verify(qr_text[:cut], TODAY, NOW).verdict for cut in range(0, 60, 7)}
    assert verdicts == {Verdict.MALFORMED}


def test_unsupported_version_byte_is_malformed(office_key: SigningKey, key_list: KeyList) -> None:
    raw = _raw(sign_document(sample_payload(), office_key))
    raw[0] = 9
    result = Verifier(key_list).verify(_text(raw), TODAY, NOW)
    assert result.verdict is Verdict.MALFORMED
    assert "version" in result.reason


def test_result_dict_is_json_ready(office_key: SigningKey, key_list: KeyList) -> None:
    result = Verifier(key_list).verify(sign_document(sample_payload(), office_key), TODAY, NOW)
    summary = result.to_dict()
    assert summary["verdict"] == "valid"
    assert summary["revocation_checked"] is False
    assert isinstance(summary["document"], dict)
    assert summary["document"]["name_latin"] == "Kim Yŏngch'ŏl"


def test_no_single_byte_change_anywhere_in_the_payload_verifies(
    office_key: SigningKey, key_list: KeyList
) -> None:
    verifier = Verifier(key_list)
    raw = _raw(sign_document(sample_payload(), office_key))
    for position in range(len(raw)):
        tampered = bytearray(raw)
        tampered[position] ^= 0x20
        verdict = verifier.verify(_text(tampered), TODAY, NOW).verdict
        assert verdict in {Verdict.FORGED, Verdict.MALFORMED, Verdict.UNKNOWN_KEY}, position
