"""Verify a document's QR text or a photo of it, without a network.

At a ticket office, with the files it downloaded when it had a connection:
    manage.py verify --key-list keys.json --revocations revocations/ WS1:...
    manage.py verify --key-list keys.json --revocations revocations/ --image photo.jpg
On the province server, with its own database:
    manage.py verify WS1:...
"""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from PIL import Image

from documents.revocations import server_verifier
from documents.signing import KeyListError, VerificationResult, Verifier


class Command(BaseCommand):
    help = "Verify a document (QR text or photo): valid, expired, revoked, forged, unknown key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("payload", nargs="?", help="the QR text, WS1:...")
        parser.add_argument("--image", help="a photo or scan of the document")
        parser.add_argument("--key-list", help="key list file (default: this server's keys)")
        parser.add_argument(
            "--revocations",
            action="append",
            default=[],
            metavar="PATH",
            help="revocation list file or folder; the newest valid list is used",
        )
        parser.add_argument("--today", type=dt.date.fromisoformat, help="judge validity on")
        parser.add_argument("--max-age-days", type=int, default=7)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: object, **options: object) -> None:
        payload, image = options["payload"], options["image"]
        if bool(payload) == bool(image):
            raise CommandError("give either the QR text or --image")
        if options["key_list"]:
            try:
                verifier = Verifier.from_files(
                    options["key_list"],
                    options["revocations"],
                    max_revocation_age=dt.timedelta(days=options["max_age_days"]),
                )
            except (OSError, KeyListError) as error:
                raise CommandError(f"cannot read the key list: {error}") from error
        else:
            if options["revocations"]:
                raise CommandError("--revocations needs --key-list")
            verifier = server_verifier()
        if image:
            if not Path(image).is_file():
                raise CommandError(f"no such file: {image}")
            try:
                result = verifier.verify_image(Path(image), today=options["today"])
            except (Image.DecompressionBombError, ValueError) as error:
                raise CommandError(f"the image cannot be read: {error}") from error
        else:
            result = verifier.verify(payload, today=options["today"])
        if options["json"]:
            summary = result.to_dict()
            summary["ignored_revocation_files"] = [
                {"path": str(r.path), "reason": r.reason}
                for r in verifier.rejected_revocation_files
            ]
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self._describe(result, verifier)

    def _describe(self, result: VerificationResult, verifier: Verifier) -> None:
        style = self.style.SUCCESS if result.is_valid else self.style.ERROR
        self.stdout.write(style(f"{result.verdict.value.upper()}: {result.reason}"))
        shown = result.document or result.claimed_document
        if shown is not None:
            heading = "holder" if result.document else "CLAIMED, not genuine"
            self.stdout.write(
                f"  {heading}: {shown.name_hangul} / {shown.name_latin}, born {shown.date_of_birth}"
            )
            self.stdout.write(f"  {shown.document_type.value} {shown.number}: {shown.scope}")
            self.stdout.write(
                f"  valid {shown.valid_from} to {shown.valid_until}, office {shown.office}"
            )
        if result.revocation is not None:
            self.stdout.write(f"  {result.revocation.describe()}")
        for rejected in verifier.rejected_revocation_files:
            self.stdout.write(f"  ignored {rejected.path}: {rejected.reason} ({rejected.detail})")
