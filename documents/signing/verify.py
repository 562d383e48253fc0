"""Offline verification of a document's QR payload: no database, no network.

Inputs are a key list file and any number of revocation list files; output is a verdict
with the holder's details to compare with the person in front of the officer. Checks run
in the order below and the first failing one gives the verdict, so a revoked document is
reported as revoked even when it has also expired:

    malformed -> unknown key -> forged (bad signature, key out of service on the issue date,
    key of another office) -> revoked -> not yet valid / expired -> valid
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from PIL import Image, UnidentifiedImageError

from documents.signing.keys import KeyList, PublishedKey
from documents.signing.payload import DocumentPayload, MalformedPayloadError, parse_qr_text
from documents.signing.qr import read_qr_texts
from documents.signing.revocation import (
    RejectedRevocationFile,
    RevocationList,
    RevokedDocument,
    choose_newest_revocation_list,
)

# A ticket office that has been offline for longer than this still verifies, but the
# officer is told that a recent revocation may be missing.
DEFAULT_MAX_REVOCATION_AGE = timedelta(days=7)


class Verdict(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    FORGED = "forged"
    UNKNOWN_KEY = "unknown_key"
    MALFORMED = "malformed"


@dataclass(frozen=True, slots=True)
class RevocationStatus:
    """Which revocation list the verdict used, and how old it was."""

    checked: bool
    sequence: int | None = None
    issued_at: datetime | None = None
    age: timedelta | None = None
    stale: bool = True

    def describe(self) -> str:
        if not self.checked or self.age is None:
            return "no valid revocation list: revocation NOT checked"
        hours = self.age.total_seconds() / 3600
        freshness = "STALE, " if self.stale else ""
        return f"revocation list #{self.sequence}, {freshness}{hours:.1f} hours old"


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """The verdict and why.

    `document` (the holder's details) is set only when the signature checked out; for a
    forged or unknown-key payload the details it claims are in `claimed_document` so that a
    screen cannot show them as genuine by mistake.
    """

    verdict: Verdict
    reason: str
    document: DocumentPayload | None = None
    claimed_document: DocumentPayload | None = None
    key_id: str | None = None
    signing_key: PublishedKey | None = None
    revocation: RevocationStatus | None = None
    revoked_entry: RevokedDocument | None = None

    @property
    def is_valid(self) -> bool:
        return self.verdict is Verdict.VALID

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary for a command line or an API response."""
        revocation = self.revocation
        return {
            "verdict": self.verdict.value,
            "reason": self.reason,
            "document": self.document.to_dict() if self.document else None,
            "claimed_document": (
                self.claimed_document.to_dict() if self.claimed_document else None
            ),
            "key_id": self.key_id,
            "signing_office": self.signing_key.office if self.signing_key else None,
            "revocation_checked": revocation.checked if revocation else False,
            "revocation_list_sequence": revocation.sequence if revocation else None,
            "revocation_list_age_hours": (
                round(revocation.age.total_seconds() / 3600, 2)
                if revocation and revocation.age is not None
                else None
            ),
            "revocation_list_stale": revocation.stale if revocation else True,
            "revoked_on": self.revoked_entry.revoked_on.isoformat() if self.revoked_entry else None,
            "revocation_reason": self.revoked_entry.reason if self.revoked_entry else None,
        }


class Verifier:
    """Verifies QR payloads against one key list and (optionally) one revocation list.

    Build it once per key list / revocation list and reuse it: the public keys are parsed
    at construction, so each verification is one signature check and a dict lookup.
    """

    def __init__(
        self,
        key_list: KeyList,
        revocation_list: RevocationList | None = None,
        max_revocation_age: timedelta = DEFAULT_MAX_REVOCATION_AGE,
        rejected_revocation_files: tuple[RejectedRevocationFile, ...] = (),
    ) -> None:
        self.key_list = key_list
        self.revocation_list = revocation_list
        self.max_revocation_age = max_revocation_age
        self.rejected_revocation_files = rejected_revocation_files
        for key in key_list.keys:
            _ = key.public_key

    @classmethod
    def from_files(
        cls,
        key_list_path: str | Path,
        revocation_paths: Iterable[str | Path] = (),
        max_revocation_age: timedelta = DEFAULT_MAX_REVOCATION_AGE,
    ) -> Verifier:
        """Load the key list and pick the newest valid revocation list among the files
        (directories are searched for *.json); rejected files are kept for reporting."""
        key_list = KeyList.load(key_list_path)
        choice = choose_newest_revocation_list(revocation_paths, key_list)
        return cls(key_list, choice.current, max_revocation_age, choice.rejected)

    def revocation_status(self, now: datetime) -> RevocationStatus:
        if self.revocation_list is None:
            return RevocationStatus(checked=False)
        age = self.revocation_list.age(now)
        return RevocationStatus(
            checked=True,
            sequence=self.revocation_list.sequence,
            issued_at=self.revocation_list.issued_at,
            age=age,
            stale=age > self.max_revocation_age,
        )

    def verify(
        self, qr_text: str, today: date | None = None, now: datetime | None = None
    ) -> VerificationResult:
        """Verdict for one QR text. `today` is the local date validity is judged on;
        `now` (timezone-aware) is when the revocation list's age is measured."""
        now = now or datetime.now(UTC)
        today = today or date.today()
        revocation = self.revocation_status(now)
        try:
            signed = parse_qr_text(qr_text)
        except MalformedPayloadError as error:
            return VerificationResult(Verdict.MALFORMED, str(error), revocation=revocation)
        claimed = signed.payload
        key = self.key_list.get(signed.key_id)
        if key is None:
            return VerificationResult(
                Verdict.UNKNOWN_KEY,
                f"key {signed.key_id} is not in the key list",
                claimed_document=claimed,
                key_id=signed.key_id,
                revocation=revocation,
            )
        forgery = self._forgery(signed.signature, signed.signed_message, claimed, key)
        if forgery is not None:
            return VerificationResult(
                Verdict.FORGED,
                forgery,
                claimed_document=claimed,
                key_id=key.key_id,
                signing_key=key,
                revocation=revocation,
            )
        revoked = self.revocation_list.find(claimed.number) if self.revocation_list else None
        if revoked is not None:
            verdict, reason = Verdict.REVOKED, f"revoked on {revoked.revoked_on}"
        elif today < claimed.valid_from:
            verdict, reason = Verdict.NOT_YET_VALID, f"valid only from {claimed.valid_from}"
        elif today > claimed.valid_until:
            verdict, reason = Verdict.EXPIRED, f"expired after {claimed.valid_until}"
        else:
            verdict, reason = Verdict.VALID, f"valid until {claimed.valid_until}"
        return VerificationResult(
            verdict,
            reason,
            document=claimed,
            key_id=key.key_id,
            signing_key=key,
            revocation=revocation,
            revoked_entry=revoked,
        )

    @staticmethod
    def _forgery(
        signature: bytes, message: bytes, claimed: DocumentPayload, key: PublishedKey
    ) -> str | None:
        """Why the document is not what the listed key signed, or None if it is."""
        try:
            key.public_key.verify(signature, message)
        except InvalidSignature:
            return "the signature does not match the document"
        if not key.could_sign_on(claimed.issued_on):
            # A genuine signature dated outside the key's service period means the key was
            # used after retirement (stolen) or the dates were set to look older.
            return f"key {key.key_id} was not in service on the issue date {claimed.issued_on}"
        if key.office != claimed.office:
            # Each office signs only its own documents.
            return f"document names office {claimed.office} but key {key.key_id} is {key.office}'s"
        return None

    def verify_image(
        self,
        image: Image.Image | bytes | str | Path,
        today: date | None = None,
        now: datetime | None = None,
    ) -> VerificationResult:
        """Verdict for a photo or scan of a document; MALFORMED if no QR code is readable.

        When several codes are in the picture, the first Waystation payload is used.
        """
        try:
            texts = read_qr_texts(image)
        except (UnidentifiedImageError, OSError) as error:
            return VerificationResult(
                Verdict.MALFORMED,
                f"the image cannot be read: {error}",
                revocation=self.revocation_status(now or datetime.now(UTC)),
            )
        if not texts:
            return VerificationResult(
                Verdict.MALFORMED,
                "no QR code could be read from the image",
                revocation=self.revocation_status(now or datetime.now(UTC)),
            )
        results = [self.verify(text, today, now) for text in texts]
        return next((r for r in results if r.verdict is not Verdict.MALFORMED), results[0])
