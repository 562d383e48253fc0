"""The offline command line: key generation, rotation, revocation and verification."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from documents.signing.cli import main
from documents.signing.keys import KeyList, SigningKey
from documents.signing.qr import qr_png_bytes
from documents.signing.samples import sample_payload
from documents.signing.sign import sign_document


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_keygen_rotate_revoke_and_verify_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = str(tmp_path / "keys.json")
    code, old_id = _run(
        capsys, "keygen", "--office", "NH-LAB", "--private-key", str(tmp_path / "old.pem"),
        "--key-list", keys, "--activated-on", "1960-01-01",
    )  # fmt: skip
    assert code == 0
    old_key = SigningKey.from_pem((tmp_path / "old.pem").read_bytes(), "NH-LAB")
    assert old_key.key_id == old_id.strip()
    old_pass = sign_document(sample_payload(0, issued_on=date(1961, 5, 1)), old_key)

    code, new_id = _run(
        capsys, "keygen", "--office", "NH-LAB", "--private-key", str(tmp_path / "new.pem"),
        "--key-list", keys, "--activated-on", "1961-06-01", "--retire", old_id.strip(),
    )  # fmt: skip
    assert code == 0
    key_list = KeyList.load(keys)
    retired = key_list.get(old_id.strip())
    assert retired is not None and retired.retired_on == date(1961, 5, 31)
    new_key = SigningKey.from_pem((tmp_path / "new.pem").read_bytes(), "NH-LAB")
    new_pass = sign_document(sample_payload(1, issued_on=date(1961, 11, 8)), new_key)

    revocations = tmp_path / "revocations"
    revocations.mkdir()
    code, _ = _run(
        capsys, "revoke", "--key-list", keys, "--private-key", str(tmp_path / "new.pem"),
        "--office", "NH-LAB", "--number", sample_payload(1, issued_on=date(1961, 11, 8)).number,
        "--reason", "lost", "--out", str(revocations / "r1.json"),
    )  # fmt: skip
    assert code == 0
    (revocations / "tampered.json").write_text('{"format": "waystation-revocations"}')

    verify = ("verify", "--key-list", keys, "--revocations", str(revocations))
    code, out = _run(capsys, *verify, old_pass, "--today", "1961-05-10")
    assert code == 0
    assert out.startswith("VALID")
    assert "김영철" in out and "revocation list #1" in out
    assert "ignored revocation file" in out and "tampered.json" in out

    code, out = _run(capsys, *verify, new_pass, "--today", "1961-11-10", "--json")
    assert code == 1
    summary = json.loads(out)
    assert summary["verdict"] == "revoked"
    assert summary["revocation_reason"] == "lost"
    assert summary["ignored_revocation_files"][0]["reason"] == "malformed"


def test_verify_from_a_photo_and_malformed_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = SigningKey.generate("NH-LAB")
    keys = tmp_path / "keys.json"
    KeyList((key.published(date(1960, 1, 1)),)).save(keys)
    qr_text = sign_document(sample_payload(2), key)
    photo = tmp_path / "pass.png"
    photo.write_bytes(qr_png_bytes(qr_text, module_pixels=6))
    code, out = _run(
        capsys, "verify", "--key-list", str(keys), "--image", str(photo), "--today", "1961-11-09"
    )
    assert code == 0 and "박정남" in out
    code, out = _run(capsys, "verify", "--key-list", str(keys), "WS1:NOPE")
    assert code == 1 and out.startswith("MALFORMED")
    assert "NOT checked" in out


def test_keygen_refuses_to_overwrite_a_private_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "key.pem"
    existing.write_bytes(b"precious")
    argv = ["keygen", "--office", "X", "--private-key", str(existing)]
    code, _ = _run(capsys, *argv, "--key-list", str(tmp_path / "k.json"))
    assert code == 2
    assert existing.read_bytes() == b"precious"
    assert not (tmp_path / "k.json").exists()


def test_missing_key_list_is_one_line_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["verify", "--key-list", str(tmp_path / "absent.json"), "WS1:X"])
    assert code == 2
    assert capsys.readouterr().err.startswith("error:")


def test_published_key_list_update_is_accepted_and_a_tampered_one_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = str(tmp_path / "keys.json")
    pem = str(tmp_path / "admin.pem")
    assert main(["keygen", "--office", "NH-DOC", "--private-key", pem, "--key-list", keys]) == 0
    station_keys = tmp_path / "station-keys.json"
    station_keys.write_text((tmp_path / "keys.json").read_text())
    added = str(tmp_path / "civ.pem")
    assert main(["keygen", "--office", "NH-CIV", "--private-key", added, "--key-list", keys]) == 0
    signed = tmp_path / "keys-signed.json"
    publish = ["publish-keys", "--key-list", keys, "--private-key", pem, "--office", "NH-DOC"]
    assert main([*publish, "--out", str(signed)]) == 0

    tampered = tmp_path / "keys-tampered.json"
    tampered.write_text(signed.read_text().replace("NH-CIV", "NH-EVIL"))
    update = ["update-keys", "--key-list", str(station_keys), "--update"]
    assert main([*update, str(tampered)]) == 2
    assert len(KeyList.load(station_keys).keys) == 1
    assert main([*update, str(signed)]) == 0
    assert len(KeyList.load(station_keys).keys) == 2
    capsys.readouterr()


def test_a_key_made_today_may_sign_todays_key_list_whatever_the_local_time_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pyongyang is a day ahead of UTC from 15:00 UTC: a key list dated in UTC must still
    # be signable by a key made in the same moment.
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14, ahead of UTC most of the day
    time.tzset()
    try:
        keys, pem = str(tmp_path / "keys.json"), str(tmp_path / "admin.pem")
        assert main(["keygen", "--office", "NH-DOC", "--private-key", pem, "--key-list", keys]) == 0
        station_keys = tmp_path / "station-keys.json"
        station_keys.write_text((tmp_path / "keys.json").read_text())
        extra = str(tmp_path / "civ.pem")
        assert (
            main(["keygen", "--office", "NH-CIV", "--private-key", extra, "--key-list", keys]) == 0
        )
        signed = tmp_path / "signed.json"
        publish = ["publish-keys", "--key-list", keys, "--private-key", pem, "--office", "NH-DOC"]
        assert main([*publish, "--out", str(signed)]) == 0
        update = ["update-keys", "--key-list", str(station_keys), "--update", str(signed)]
        assert main(update) == 0
    finally:
        monkeypatch.undo()
        time.tzset()
