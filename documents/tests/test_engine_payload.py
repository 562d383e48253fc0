"""Payload encoding, field validation, keys and key lists."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from documents.signing import base45
from documents.signing.keys import KeyList, KeyListError, SigningKey
from documents.signing.payload import (
    QR_PREFIX,
    DocumentPayload,
    DocumentType,
    InvalidDocumentFieldError,
    MalformedPayloadError,
    parse_qr_text,
)
from documents.signing.qr import make_qr
from documents.signing.samples import sample_payload
from documents.signing.sign import sign_document

QR_ALPHANUMERIC = re.compile(r"^[0-9A-Z $%*+\-./:]+$")


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"", "")],
)
def test_base45_matches_rfc_9285_examples(data: bytes, text: str) -> None:
    assert base45.encode(data) == text
    assert base45.decode(text) == data


@pytest.mark.parametrize("bad", ["GGW", "A", "ZZ", "abc"])
def test_base45_rejects_impossible_text(bad: str) -> None:
    with pytest.raises(ValueError):
        base45.decode(bad)


def test_signed_payload_round_trips_every_field() -> None:
    key = SigningKey.generate("NH-LAB")
    payload = sample_payload(3, date_of_birth="1938-07", scope="함경북도 → 평안남도")
    signed = parse_qr_text(sign_document(payload, key))
    assert signed.payload == payload
    assert signed.key_id == key.key_id
    assert signed.payload.date_of_birth == "1938-07"


def _qr_version(qr_text: str) -> int:
    version = make_qr(qr_text).version
    assert isinstance(version, int)  # a str version would mean a Micro QR code
    return version


def test_qr_text_is_alphanumeric_and_fits_a_small_qr_code() -> None:
    longest = sample_payload(
        number="TP-NH-2026-" + "9" * 29,
        name_hangul="남궁" + "가" * 10,
        name_latin="Namgung " + "Kaka" * 10,
        scope="온성군 남양 노동자구 → 평양시 " + "중구역" * 5,
    )
    qr_text = sign_document(longest, SigningKey.generate("NH-LAB"))
    assert qr_text.startswith(QR_PREFIX)
    assert QR_ALPHANUMERIC.match(qr_text)
    # Version 20 is 97 modules: still readable by a phone at 40 mm on paper.
    assert _qr_version(qr_text) <= 20
    typical = sign_document(sample_payload(), SigningKey.generate("NH-LAB"))
    assert _qr_version(typical) <= 12


def test_decomposed_hangul_is_normalised_before_signing() -> None:
    decomposed = "\u1100\u1175\u11b7\u110b\u1167\u11bc\u110e\u1165\u11af"  # 김영철 as jamo
    payload = sample_payload(name_hangul=decomposed)
    assert payload.name_hangul == "김영철"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name_hangul": "   "}, "empty"),
        ({"name_latin": "Kim\x1fYong"}, "control"),
        ({"number": "TP\n1"}, "control"),
        ({"valid_from": date(1961, 12, 1), "valid_until": date(1961, 11, 30)}, "after"),
        ({"date_of_birth": "1935-13"}, "date of birth"),
        ({"date_of_birth": "35-03-01"}, "date of birth"),
        ({"document_type": "XX"}, "document type"),
        ({"scope": "x" * 121}, "longer"),
    ],
)
def test_invalid_fields_are_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidDocumentFieldError, match=message):
        sample_payload(**overrides)


def test_payload_dict_round_trip_uses_iso_dates() -> None:
    payload = sample_payload(document_type=DocumentType.RESIDENCY_DOCUMENT)
    as_dict = payload.to_dict()
    assert as_dict["valid_until"] == "1961-11-22"
    assert as_dict["document_type"] == "RD"
    assert DocumentPayload.from_dict(as_dict) == payload
    with pytest.raises(InvalidDocumentFieldError, match="missing"):
        DocumentPayload.from_dict({"number": "1"})


@pytest.mark.parametrize(
    "text",
    ["", "hello", "WS1:", "WS1:abc", "WS2:" + base45.encode(b"x" * 80), "WS1:" + "0" * 30],
)
def test_garbage_is_malformed(text: str) -> None:
    with pytest.raises(MalformedPayloadError):
        parse_qr_text(text)


def test_key_list_json_round_trip_keeps_rotation_dates() -> None:
    old, new = SigningKey.generate("NH-LAB"), SigningKey.generate("NH-LAB")
    key_list = KeyList((old.published(date(1960, 1, 1)),)).rotated(
        old.key_id, new.published(date(1961, 6, 1)), retired_on=date(1961, 5, 31)
    )
    loaded = KeyList.from_json(key_list.to_json())
    old_entry, new_entry = loaded.get(old.key_id), loaded.get(new.key_id)
    assert old_entry is not None and new_entry is not None
    assert old_entry.retired_on == date(1961, 5, 31)
    assert old_entry.could_sign_on(date(1961, 5, 31))
    assert not old_entry.could_sign_on(date(1961, 6, 1))
    assert new_entry.retired_on is None
    assert old_entry.public_key_raw == old.published(date(1960, 1, 1)).public_key_raw


def test_key_list_refuses_an_id_that_is_not_the_keys_fingerprint() -> None:
    first, second = SigningKey.generate("A"), SigningKey.generate("B")
    document = json.loads(KeyList((first.published(date(1961, 1, 1)),)).to_json())
    document["keys"][0]["key_id"] = second.key_id
    with pytest.raises(KeyListError, match="does not match"):
        KeyList.from_json(json.dumps(document))


def test_key_list_refuses_duplicates_and_foreign_files() -> None:
    entry = SigningKey.generate("A").published(date(1961, 1, 1))
    with pytest.raises(KeyListError, match="twice"):
        KeyList((entry, entry))
    with pytest.raises(KeyListError):
        KeyList.from_json('{"format": "something-else"}')
    with pytest.raises(KeyListError):
        KeyList.from_json(b"\xff not json")


def test_private_key_pem_round_trip_with_passphrase() -> None:
    key = SigningKey.generate("NH-LAB")
    pem = key.to_pem(b"correct horse")
    assert b"ENCRYPTED" in pem
    assert SigningKey.from_pem(pem, "NH-LAB", b"correct horse").key_id == key.key_id
    with pytest.raises(ValueError):
        SigningKey.from_pem(pem, "NH-LAB", b"wrong")


def _signed_update(current_key: SigningKey, added: SigningKey, minutes_later: int) -> str:
    anchor_time = datetime(1961, 11, 1, tzinfo=UTC)
    current = KeyList((current_key.published(date(1960, 1, 1)),), anchor_time)
    update = current.with_key(
        added.published(date(1961, 11, 1)), anchor_time + timedelta(minutes=minutes_later)
    )
    return update.to_json(signed_by=current_key)


def test_signed_key_list_update_is_accepted_from_a_current_key() -> None:
    anchor, added = SigningKey.generate("NH-DOC"), SigningKey.generate("NH-CIV")
    current = KeyList((anchor.published(date(1960, 1, 1)),), datetime(1961, 11, 1, tzinfo=UTC))
    text = _signed_update(anchor, added, minutes_later=60)
    # Re-indenting the file on the way does not matter: the signature is over canonical JSON.
    reindented = json.dumps(json.loads(text), indent=4, ensure_ascii=True)
    updated = KeyList.update_from_json(reindented, current)
    assert updated.get(added.key_id) is not None


@pytest.mark.parametrize("attack", ["added_key", "unsigned", "stranger", "replay", "no_lists"])
def test_key_list_update_that_current_list_does_not_vouch_for_is_refused(attack: str) -> None:
    anchor, added = SigningKey.generate("NH-DOC"), SigningKey.generate("NH-CIV")
    current = KeyList(
        (anchor.published(date(1960, 1, 1), signs_lists=attack != "no_lists"),),
        datetime(1961, 11, 1, tzinfo=UTC),
    )
    signer = SigningKey.generate("EVIL") if attack == "stranger" else anchor
    document = json.loads(_signed_update(signer, added, 0 if attack == "replay" else 60))
    if attack == "added_key":
        document["keys"].append(
            SigningKey.generate("EVIL").published(date(1961, 1, 1)).to_json_dict()
        )
    if attack == "unsigned":
        del document["signature"]
    with pytest.raises(KeyListError):
        KeyList.update_from_json(json.dumps(document), current)
