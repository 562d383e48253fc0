"""Command line for offline key handling and verification (no Django, no network).

    python -m documents.signing.cli keygen --office NH-DOC --private-key nh-doc.pem \\
        --key-list keys.json [--retire OLD_KEY_ID]
    python -m documents.signing.cli revoke --key-list keys.json --private-key nh-doc.pem \\
        --office NH-DOC [--previous revocations-41.json] --number TP-... --out revocations-42.json
    python -m documents.signing.cli verify --key-list keys.json --revocations revocations/ \\
        (QR_TEXT | --image photo.jpg) [--today 2026-11-29] [--json]
    python -m documents.signing.cli publish-keys --key-list keys.json \\
        --private-key nh-doc.pem --office NH-DOC --out keys-signed.json
    python -m documents.signing.cli update-keys --key-list keys.json --update keys-signed.json

`verify` exits 0 for a valid document, 1 for any other verdict, 2 for a usage error.
A passphrase for a private key is read from the environment variable named by
--passphrase-env, never from the command line where `ps` would show it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from documents.signing.keys import KeyList, KeyListError, SigningKey
from documents.signing.revocation import (
    RevocationList,
    RevocationListError,
    RevokedDocument,
    read_signed_revocation_list,
    sign_revocation_list,
)
from documents.signing.verify import Verdict, VerificationResult, Verifier


def _passphrase(variable: str | None) -> bytes | None:
    if not variable:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise SystemExit(f"environment variable {variable} is not set")
    return value.encode("utf-8")


def command_keygen(arguments: argparse.Namespace) -> int:
    private_key_path = Path(arguments.private_key)
    if private_key_path.exists():
        print(f"{private_key_path} exists; refusing to overwrite a key", file=sys.stderr)
        return 2
    key = SigningKey.generate(arguments.office)
    key_list_path = Path(arguments.key_list)
    key_list = KeyList.load(key_list_path) if key_list_path.exists() else KeyList(())
    # The key list dates its publication in UTC; a key must be in service on that day too.
    activated_on = arguments.activated_on or datetime.now(UTC).date()
    entry = key.published(activated_on, signs_lists=not arguments.no_lists)
    if arguments.retire:
        # The old key signs until the day before the new one starts.
        key_list = key_list.rotated(arguments.retire, entry, activated_on - timedelta(days=1))
    else:
        key_list = key_list.with_key(entry)
    private_key_path.write_bytes(key.to_pem(_passphrase(arguments.passphrase_env)))
    private_key_path.chmod(0o600)
    key_list.save(key_list_path)
    print(key.key_id)
    return 0


def command_revoke(arguments: argparse.Namespace) -> int:
    key_list = KeyList.load(arguments.key_list)
    signing_key = SigningKey.from_pem(
        Path(arguments.private_key).read_bytes(),
        arguments.office,
        _passphrase(arguments.passphrase_env),
    )
    if arguments.previous:
        previous = read_signed_revocation_list(Path(arguments.previous).read_bytes(), key_list)
    else:
        previous = RevocationList(0, datetime.now(UTC), arguments.office)
    today = date.today()
    new_entries = [RevokedDocument(n, today, arguments.reason) for n in arguments.number]
    next_list = previous.with_revoked(new_entries)
    Path(arguments.out).write_text(sign_revocation_list(next_list, signing_key), encoding="utf-8")
    print(f"revocation list #{next_list.sequence} with {len(next_list.revoked)} entries")
    return 0


def command_publish_keys(arguments: argparse.Namespace) -> int:
    key_list = KeyList.load(arguments.key_list)
    signing_key = SigningKey.from_pem(
        Path(arguments.private_key).read_bytes(),
        arguments.office,
        _passphrase(arguments.passphrase_env),
    )
    # Re-dated on publication so that it is newer than every list already out there.
    published = KeyList(key_list.keys, datetime.now(UTC))
    Path(arguments.out).write_text(published.to_json(signed_by=signing_key), encoding="utf-8")
    print(f"key list of {len(published.keys)} keys signed by {signing_key.key_id}")
    return 0


def command_update_keys(arguments: argparse.Namespace) -> int:
    current = KeyList.load(arguments.key_list)
    update_text = Path(arguments.update).read_bytes()
    updated = KeyList.update_from_json(update_text, current)
    # Keep the signed file as it came, so the next update can be checked against it too.
    Path(arguments.key_list).write_bytes(update_text)
    print(f"key list updated: {len(updated.keys)} keys, published {updated.published_at}")
    return 0


def _print_result(result: VerificationResult, verifier: Verifier) -> None:
    print(f"{result.verdict.value.upper()}: {result.reason}")
    shown = result.document or result.claimed_document
    if shown is not None:
        heading = "holder" if result.document else "CLAIMED (not trustworthy)"
        print(f"  {heading}: {shown.name_hangul} / {shown.name_latin}, born {shown.date_of_birth}")
        print(f"  document {shown.document_type.value} {shown.number}, scope: {shown.scope}")
        print(f"  valid {shown.valid_from} to {shown.valid_until}, office {shown.office}")
    if result.revocation is not None:
        print(f"  {result.revocation.describe()}")
    for rejected in verifier.rejected_revocation_files:
        print(f"  ignored revocation file {rejected.path}: {rejected.reason} ({rejected.detail})")


def command_verify(arguments: argparse.Namespace) -> int:
    verifier = Verifier.from_files(
        arguments.key_list,
        arguments.revocations or (),
        max_revocation_age=timedelta(days=arguments.max_age_days),
    )
    if arguments.image:
        result = verifier.verify_image(Path(arguments.image), today=arguments.today)
    elif arguments.payload:
        result = verifier.verify(arguments.payload, today=arguments.today)
    else:
        print("give a QR text or --image", file=sys.stderr)
        return 2
    if arguments.json:
        summary = result.to_dict()
        summary["ignored_revocation_files"] = [
            {"path": str(r.path), "reason": r.reason} for r in verifier.rejected_revocation_files
        ]
        print(json.dumps(summary, ensure_ascii=False))
    else:
        _print_result(result, verifier)
    return 0 if result.verdict is Verdict.VALID else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m documents.signing.cli",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    keygen = commands.add_parser("keygen", help="new office key, added to the key list")
    keygen.add_argument("--office", required=True)
    keygen.add_argument("--private-key", required=True, help="PEM file to create")
    keygen.add_argument("--key-list", required=True, help="key list JSON (created if missing)")
    keygen.add_argument("--activated-on", type=date.fromisoformat)
    keygen.add_argument("--retire", metavar="OLD_KEY_ID", help="rotate: retire this key")
    keygen.add_argument("--no-lists", action="store_true")
    keygen.add_argument("--passphrase-env", metavar="VARIABLE")
    keygen.set_defaults(handler=command_keygen)

    revoke = commands.add_parser("revoke", help="publish the next signed revocation list")
    revoke.add_argument("--key-list", required=True)
    revoke.add_argument("--private-key", required=True)
    revoke.add_argument("--office", required=True)
    revoke.add_argument("--previous", help="the current list, whose entries are kept")
    revoke.add_argument("--number", action="append", default=[], help="document number")
    revoke.add_argument("--reason", default="")
    revoke.add_argument("--out", required=True)
    revoke.add_argument("--passphrase-env", metavar="VARIABLE")
    revoke.set_defaults(handler=command_revoke)

    publish_keys = commands.add_parser("publish-keys", help="sign the key list for download")
    publish_keys.add_argument("--key-list", required=True)
    publish_keys.add_argument("--private-key", required=True)
    publish_keys.add_argument("--office", required=True)
    publish_keys.add_argument("--out", required=True)
    publish_keys.add_argument("--passphrase-env", metavar="VARIABLE")
    publish_keys.set_defaults(handler=command_publish_keys)

    update_keys = commands.add_parser("update-keys", help="accept a downloaded key list")
    update_keys.add_argument("--key-list", required=True, help="the list in use, replaced")
    update_keys.add_argument("--update", required=True, help="the downloaded signed list")
    update_keys.set_defaults(handler=command_update_keys)

    verify = commands.add_parser("verify", help="verify a QR text or a photo, offline")
    verify.add_argument("payload", nargs="?", help="QR text (WS1:...)")
    verify.add_argument("--image", help="photo or scan of the document")
    verify.add_argument("--key-list", required=True)
    verify.add_argument(
        "--revocations",
        action="append",
        metavar="PATH",
        help="revocation list file or folder of them (repeat for several)",
    )
    verify.add_argument("--today", type=date.fromisoformat)
    verify.add_argument("--max-age-days", type=float, default=7.0)
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=command_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        return int(arguments.handler(arguments))
    except (OSError, KeyListError, RevocationListError, ValueError) as error:
        # A ticket clerk gets one readable line, not a traceback.
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
