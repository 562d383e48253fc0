"""Signed revocation lists: which document numbers are no longer valid.

A ticket office downloads a list when it has a connection and may keep several on disk.
Verification uses the newest list whose signature checks out against the key list;
unsigned, forged or unreadable files are set aside with a reason, never trusted.

File format (JSON envelope around the exact signed bytes, so no canonical JSON is needed):

    {"format": "waystation-revocations", "version": 1, "key_id": "1a2b3c4d",
     "body": "<base64url of UTF-8 JSON>", "signature": "<base64url Ed25519 signature>"}

    body = {"sequence": 42, "issued_at": "2026-11-29T07:00:00+00:00", "issuer": "NH-DOC",
            "revoked": [{"number": "TP-...", "revoked_on": "2026-11-28", "reason": "lost"}]}

`sequence` orders lists from the same publisher; it grows by one for each list published.
Revocation is by document number, so a reissued document must get a new number.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature

from documents.signing.keys import KeyList, SigningKey, b64url_decode, b64url_encode

REVOCATION_FORMAT = "waystation-revocations"
REVOCATION_VERSION = 1
# Different from the document context so neither signature can stand in for the other.
REVOCATION_SIGNING_CONTEXT = b"waystation/revocations/v1\x00"
REVOCATION_FILE_PATTERN = "*.json"


class RevocationListError(ValueError):
    """A revocation list file that must not be trusted; `reason` is a short code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class RevokedDocument:
    number: str
    revoked_on: date
    reason: str = ""


@dataclass(frozen=True)
class RevocationList:
    sequence: int
    issued_at: datetime
    issuer: str
    revoked: tuple[RevokedDocument, ...] = ()
    _by_number: dict[str, RevokedDocument] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be timezone-aware")
        # A set lookup keeps the revocation check O(1) with thousands of entries.
        object.__setattr__(self, "_by_number", {entry.number: entry for entry in self.revoked})

    def find(self, number: str) -> RevokedDocument | None:
        return self._by_number.get(number)

    def age(self, now: datetime) -> timedelta:
        return now - self.issued_at

    def with_revoked(
        self, entries: Iterable[RevokedDocument], issued_at: datetime | None = None
    ) -> RevocationList:
        """The next list in the series: same entries plus `entries`, sequence + 1."""
        return RevocationList(
            sequence=self.sequence + 1,
            issued_at=issued_at or datetime.now(UTC),
            issuer=self.issuer,
            revoked=self.revoked + tuple(entries),
        )

    def body_json(self) -> bytes:
        body = {
            "sequence": self.sequence,
            "issued_at": self.issued_at.isoformat(),
            "issuer": self.issuer,
            "revoked": [
                {"number": e.number, "revoked_on": e.revoked_on.isoformat(), "reason": e.reason}
                for e in self.revoked
            ],
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_body_json(cls, body: bytes) -> RevocationList:
        try:
            document = json.loads(body)
            return cls(
                sequence=int(document["sequence"]),
                issued_at=datetime.fromisoformat(document["issued_at"]),
                issuer=str(document["issuer"]),
                revoked=tuple(
                    RevokedDocument(
                        number=str(e["number"]),
                        revoked_on=date.fromisoformat(e["revoked_on"]),
                        reason=str(e.get("reason", "")),
                    )
                    for e in document["revoked"]
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise RevocationListError("malformed", f"bad list body: {error}") from error


def sign_revocation_list(revocation_list: RevocationList, signing_key: SigningKey) -> str:
    """Return the file content of `revocation_list` signed by `signing_key`."""
    body = revocation_list.body_json()
    signature = signing_key.sign(REVOCATION_SIGNING_CONTEXT + body)
    envelope = {
        "format": REVOCATION_FORMAT,
        "version": REVOCATION_VERSION,
        "key_id": signing_key.key_id,
        "body": b64url_encode(body),
        "signature": b64url_encode(signature),
    }
    return json.dumps(envelope, indent=1) + "\n"


def read_signed_revocation_list(content: str | bytes, key_list: KeyList) -> RevocationList:
    """Check the signature of a revocation list file and return its contents.

    Raises RevocationListError with reason "malformed", "unsigned", "unknown_key",
    "not_authorised" or "forged".
    """
    try:
        envelope = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RevocationListError("malformed", "not JSON") from error
    if not isinstance(envelope, dict) or envelope.get("format") != REVOCATION_FORMAT:
        raise RevocationListError("malformed", "not a Waystation revocation list")
    if envelope.get("version") != REVOCATION_VERSION:
        raise RevocationListError("malformed", f"unsupported version {envelope.get('version')}")
    if not envelope.get("signature") or not envelope.get("key_id"):
        raise RevocationListError("unsigned", "the list carries no signature")
    try:
        body = b64url_decode(envelope.get("body"))
        signature = b64url_decode(envelope["signature"])
    except (ValueError, binascii.Error) as error:
        raise RevocationListError("malformed", "body or signature is not base64url") from error
    signer = key_list.get(str(envelope["key_id"]))
    if signer is None:
        raise RevocationListError("unknown_key", f"signed by unknown key {envelope['key_id']}")
    if not signer.signs_lists:
        raise RevocationListError(
            "not_authorised", f"key {signer.key_id} may not sign revocation lists"
        )
    try:
        signer.public_key.verify(signature, REVOCATION_SIGNING_CONTEXT + body)
    except InvalidSignature as error:
        raise RevocationListError("forged", "the signature does not match the list") from error
    revocation_list = RevocationList.from_body_json(body)
    if not signer.could_sign_on(revocation_list.issued_at.date()):
        raise RevocationListError(
            "forged", f"key {signer.key_id} was not in service on {revocation_list.issued_at}"
        )
    return revocation_list


@dataclass(frozen=True)
class RejectedRevocationFile:
    path: Path
    reason: str
    detail: str


@dataclass(frozen=True)
class RevocationListChoice:
    """The newest trustworthy list found (or None) and every file set aside."""

    current: RevocationList | None
    source: Path | None
    rejected: tuple[RejectedRevocationFile, ...]


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(path.glob(REVOCATION_FILE_PATTERN)))
        else:
            files.append(path)
    return files


def choose_newest_revocation_list(
    paths: Iterable[str | Path], key_list: KeyList
) -> RevocationListChoice:
    """Read every file (directories are searched for *.json) and keep the newest valid list.

    "Newest" is the highest sequence, then the latest issued_at; a forged file cannot win
    because it is rejected before comparison.
    """
    best: tuple[RevocationList, Path] | None = None
    rejected: list[RejectedRevocationFile] = []
    for path in _expand(paths):
        try:
            candidate = read_signed_revocation_list(path.read_bytes(), key_list)
        except OSError as error:
            rejected.append(RejectedRevocationFile(path, "unreadable", str(error)))
            continue
        except RevocationListError as error:
            rejected.append(RejectedRevocationFile(path, error.reason, error.detail))
            continue
        if best is None or (candidate.sequence, candidate.issued_at) > (
            best[0].sequence,
            best[0].issued_at,
        ):
            best = (candidate, path)
    return RevocationListChoice(
        current=best[0] if best else None,
        source=best[1] if best else None,
        rejected=tuple(rejected),
    )
