"""Signed revocation lists on a ticket office's disk: newest wins, bad files never count."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from documents.signing.keys import KeyList, SigningKey
from documents.signing.revocation import (
    RevocationList,
    RevocationListError,
    RevokedDocument,
    choose_newest_revocation_list,
    read_signed_revocation_list,
    sign_revocation_list,
)
from documents.signing.samples import sample_payload
from documents.signing.sign import sign_document
from documents.signing.verify import Verdict, Verifier

NOW = datetime(1961, 11, 10, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(scope="module")
def office_key() -> SigningKey:
    return SigningKey.generate("NH-LAB")


@pytest.fixture(scope="module")
def key_list(office_key: SigningKey) -> KeyList:
    return KeyList((office_key.published(date(1960, 1, 1)),))


def _list(sequence: int, age: timedelta, *numbers: str) -> RevocationList:
    entries = tuple(RevokedDocument(n, date(1961, 11, 1), "test") for n in numbers)
    return RevocationList(sequence, NOW - age, "NH-DOC", entries)


def _write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def test_signed_list_round_trips(office_key: SigningKey, key_list: KeyList) -> None:
    original = _list(7, timedelta(hours=1), "TP-1", "TP-2")
    loaded = read_signed_revocation_list(sign_revocation_list(original, office_key), key_list)
    assert loaded == original
    assert loaded.find("TP-2") is not None
    assert loaded.find("TP-3") is None


def test_newest_list_on_disk_is_used(
    tmp_path: Path, office_key: SigningKey, key_list: KeyList
) -> None:
    number = sample_payload().number
    _write(tmp_path, "old.json", sign_revocation_list(_list(1, timedelta(days=3)), office_key))
    newest = sign_revocation_list(_list(2, timedelta(hours=2), number), office_key)
    _write(tmp_path, "new.json", newest)
    verifier = Verifier.from_files(_write(tmp_path, "keys.json", key_list.to_json()), [tmp_path])
    assert verifier.revocation_list is not None and verifier.revocation_list.sequence == 2
    result = verifier.verify(sign_document(sample_payload(), office_key), TODAY, NOW)
    assert result.verdict is Verdict.REVOKED
    assert result.revocation is not None and result.revocation.age == timedelta(hours=2)


def test_forged_newer_list_is_rejected_and_the_genuine_one_used(
    tmp_path: Path, office_key: SigningKey, key_list: KeyList
) -> None:
    number = sample_payload().number
    genuine = _write(
        tmp_path,
        "genuine.json",
        sign_revocation_list(_list(5, timedelta(days=1), number), office_key),
    )
    # An attacker "un-revokes" the pass: same signature, newer body without the entry.
    envelope = json.loads(genuine.read_text())
    forged_body = _list(6, timedelta(hours=1)).body_json()
    envelope["body"] = base64.urlsafe_b64encode(forged_body).decode().rstrip("=")
    forged = _write(tmp_path, "forged.json", json.dumps(envelope))
    choice = choose_newest_revocation_list([genuine, forged], key_list)
    assert choice.current is not None and choice.current.sequence == 5
    assert choice.source == genuine
    assert [(r.path, r.reason) for r in choice.rejected] == [(forged, "forged")]


def test_unsigned_list_is_rejected(
    tmp_path: Path, office_key: SigningKey, key_list: KeyList
) -> None:
    envelope = json.loads(sign_revocation_list(_list(9, timedelta(hours=1)), office_key))
    del envelope["signature"]
    path = _write(tmp_path, "unsigned.json", json.dumps(envelope))
    with pytest.raises(RevocationListError) as raised:
        read_signed_revocation_list(path.read_text(), key_list)
    assert raised.value.reason == "unsigned"
    choice = choose_newest_revocation_list([path], key_list)
    assert choice.current is None and choice.rejected[0].reason == "unsigned"


def test_list_signed_by_unlisted_or_unauthorised_key_is_rejected(key_list: KeyList) -> None:
    stranger = SigningKey.generate("ELSEWHERE")
    content = sign_revocation_list(_list(9, timedelta(hours=1)), stranger)
    with pytest.raises(RevocationListError) as raised:
        read_signed_revocation_list(content, key_list)
    assert raised.value.reason == "unknown_key"
    station_key = SigningKey.generate("ONSONG")
    with_station = key_list.with_key(station_key.published(date(1960, 1, 1), False))
    content = sign_revocation_list(_list(9, timedelta(hours=1)), station_key)
    with pytest.raises(RevocationListError) as raised:
        read_signed_revocation_list(content, with_station)
    assert raised.value.reason == "not_authorised"


def test_document_signature_cannot_pose_as_list_signature(
    office_key: SigningKey, key_list: KeyList
) -> None:
    body = _list(9, timedelta(hours=1)).body_json()
    envelope = {
        "format": "waystation-revocations",
        "version": 1,
        "key_id": office_key.key_id,
        "body": base64.urlsafe_b64encode(body).decode().rstrip("="),
        # Signed without the revocation context, as a careless signing oracle would.
        "signature": base64.urlsafe_b64encode(office_key.sign(body)).decode().rstrip("="),
    }
    with pytest.raises(RevocationListError) as raised:
        read_signed_revocation_list(json.dumps(envelope), key_list)
    assert raised.value.reason == "forged"


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": "other"}', ""])
def test_garbage_files_are_rejected_as_malformed(
    tmp_path: Path, key_list: KeyList, content: str
) -> None:
    path = _write(tmp_path, "garbage.json", content)
    choice = choose_newest_revocation_list([path, tmp_path / "missing.json"], key_list)
    assert choice.current is None
    assert [r.reason for r in choice.rejected] == ["malformed", "unreadable"]


def test_stale_list_still_revokes_but_says_it_is_stale(
    office_key: SigningKey, key_list: KeyList
) -> None:
    number = sample_payload().number
    verifier = Verifier(
        key_list, _list(4, timedelta(days=10), number), max_revocation_age=timedelta(days=7)
    )
    revoked = verifier.verify(sign_document(sample_payload(), office_key), TODAY, NOW)
    assert revoked.verdict is Verdict.REVOKED
    assert revoked.revocation is not None and revoked.revocation.stale
    assert "STALE" in revoked.revocation.describe()
    other = verifier.verify(sign_document(sample_payload(1), office_key), TODAY, NOW)
    assert other.verdict is Verdict.VALID
    assert other.to_dict()["revocation_list_stale"] is True
    assert other.to_dict()["revocation_list_age_hours"] == 240.0


def test_without_any_list_the_result_says_revocation_was_not_checked(
    office_key: SigningKey, key_list: KeyList
) -> None:
    result = Verifier(key_list).verify(sign_document(sample_payload(), office_key), TODAY, NOW)
    assert result.verdict is Verdict.VALID
    assert result.revocation is not None and not result.revocation.checked
    assert "NOT checked" in result.revocation.describe()


def test_next_list_keeps_earlier_entries_and_increments_sequence() -> None:
    first = _list(1, timedelta(days=1), "TP-1")
    second = first.with_revoked([RevokedDocument("TP-2", date(1961, 11, 9))], NOW)
    assert second.sequence == 2
    assert second.find("TP-1") is not None and second.find("TP-2") is not None
