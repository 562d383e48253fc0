"""The signed QR payload of a travel document: its fields, encoding and decoding.

Wire format (version 1), chosen so the QR code stays small and scannable:

    QR text  = "WS1:" + base45(raw)                 # all QR alphanumeric characters
    raw      = version (1 byte) | key id (4 bytes) | body (UTF-8) | Ed25519 signature (64)
    body     = the fields below joined by U+001F (unit separator), dates as YYYYMMDD
    signed   = SIGNING_CONTEXT + raw without the signature

Base45 is what the EU Digital COVID Certificate uses: with the QR alphanumeric mode it
carries 16 bits in 16.5, against 21.3 for base64 in byte mode. The unit separator cannot
occur in a validated field, so no escaping is needed. The signature covers the version
and key id, so neither can be swapped without detection.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from documents.signing import base45

QR_PREFIX = "WS1:"
FORMAT_VERSION = 1
KEY_ID_BYTES = 4
SIGNATURE_BYTES = 64
FIELD_SEPARATOR = "\x1f"
# Domain separation: a signature made for a revocation list or any other message signed
# with the same key can never be replayed as a document signature.
SIGNING_CONTEXT = b"waystation/document/v1\x00"

MAX_NUMBER_LENGTH = 40
MAX_NAME_LENGTH = 80
MAX_SCOPE_LENGTH = 120
MAX_OFFICE_LENGTH = 24


class DocumentType(StrEnum):
    """Two-letter codes carried in the payload; the printed titles live in the renderer."""

    TRAVEL_PASS = "TP"
    PROVINCE_EXIT_PERMIT = "EP"
    RESIDENCY_DOCUMENT = "RD"


class MalformedPayloadError(ValueError):
    """The QR text is not a well-formed Waystation document payload."""


class InvalidDocumentFieldError(ValueError):
    """A field cannot be put into a payload (empty, too long, control characters...)."""


def _normalise_text(field_name: str, value: str, max_length: int, required: bool = True) -> str:
    if not isinstance(value, str):
        raise InvalidDocumentFieldError(f"{field_name} must be text, got {type(value).__name__}")
    # NFC so that a Hangul name typed as decomposed jamo signs and compares the same as
    # the precomposed syllables a scanner or another keyboard produces.
    normalised = unicodedata.normalize("NFC", value.strip())
    if required and not normalised:
        raise InvalidDocumentFieldError(f"{field_name} is empty")
    if len(normalised) > max_length:
        raise InvalidDocumentFieldError(f"{field_name} is longer than {max_length} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in normalised):
        raise InvalidDocumentFieldError(f"{field_name} contains control characters")
    return normalised


def normalise_partial_date(value: str | date) -> str:
    """Return a date of birth as ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY".

    Registrars often know only the year or month of birth of a person without papers, so
    a partial date is a first-class value rather than a fake 1 January.
    """
    if isinstance(value, date):
        return value.isoformat()
    parts = value.strip().split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise InvalidDocumentFieldError(f"date of birth {value!r} is not YYYY[-MM[-DD]]")
    if len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
        raise InvalidDocumentFieldError(f"date of birth {value!r} is not YYYY[-MM[-DD]]")
    year, month, day = (int(p) for p in parts + ["01"] * (3 - len(parts)))
    try:
        date(year, month, day)
    except ValueError as error:
        raise InvalidDocumentFieldError(f"date of birth {value!r}: {error}") from error
    return "-".join(parts)


@dataclass(frozen=True, slots=True)
class DocumentPayload:
    """The facts about a document that the QR code carries and the signature vouches for.

    `scope` is what the document allows: the route of a travel pass ("온성 → 청진"), the
    destination province of an exit permit, the address of a residency document.
    `office` is the issuing office's short code, e.g. "NH-LAB".
    """

    document_type: DocumentType
    number: str
    name_hangul: str
    name_latin: str
    date_of_birth: str
    issued_on: date
    valid_from: date
    valid_until: date
    scope: str
    office: str

    def __post_init__(self) -> None:
        # Normalising in place keeps one canonical form from construction onwards, so the
        # bytes that are signed are the bytes that are later compared.
        set_field = object.__setattr__
        try:
            set_field(self, "document_type", DocumentType(self.document_type))
        except ValueError as error:
            raise InvalidDocumentFieldError(
                f"unknown document type {self.document_type!r}"
            ) from error
        set_field(self, "number", _normalise_text("number", self.number, MAX_NUMBER_LENGTH))
        set_field(
            self, "name_hangul", _normalise_text("name_hangul", self.name_hangul, MAX_NAME_LENGTH)
        )
        set_field(
            self, "name_latin", _normalise_text("name_latin", self.name_latin, MAX_NAME_LENGTH)
        )
        set_field(self, "date_of_birth", normalise_partial_date(self.date_of_birth))
        set_field(self, "scope", _normalise_text("scope", self.scope, MAX_SCOPE_LENGTH, False))
        set_field(self, "office", _normalise_text("office", self.office, MAX_OFFICE_LENGTH))
        for field_name in ("issued_on", "valid_from", "valid_until"):
            if not isinstance(getattr(self, field_name), date):
                raise InvalidDocumentFieldError(f"{field_name} must be a datetime.date")
        if self.valid_from > self.valid_until:
            raise InvalidDocumentFieldError("valid_from is after valid_until")
        if self.issued_on > self.valid_until:
            raise InvalidDocumentFieldError("issued_on is after valid_until")

    def to_dict(self) -> dict[str, str]:
        """JSON-ready dict with ISO dates; the inverse of `from_dict`."""
        fields = asdict(self)
        return {
            name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in fields.items()
        }

    @classmethod
    def from_dict(cls, fields: dict[str, Any]) -> DocumentPayload:
        """Build from a dict whose dates are `datetime.date` or ISO strings."""

        def as_date(value: date | str) -> date:
            return value if isinstance(value, date) else date.fromisoformat(value)

        try:
            return cls(
                document_type=DocumentType(fields["document_type"]),
                number=fields["number"],
                name_hangul=fields["name_hangul"],
                name_latin=fields["name_latin"],
                date_of_birth=fields["date_of_birth"],
                issued_on=as_date(fields["issued_on"]),
                valid_from=as_date(fields["valid_from"]),
                valid_until=as_date(fields["valid_until"]),
                scope=fields.get("scope", ""),
                office=fields["office"],
            )
        except KeyError as missing:
            raise InvalidDocumentFieldError(f"missing field {missing}") from missing
        except ValueError as error:
            if isinstance(error, InvalidDocumentFieldError):
                raise
            raise InvalidDocumentFieldError(str(error)) from error


def _compact_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _parse_compact_date(text: str) -> date:
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        raise MalformedPayloadError(f"bad date {text!r}")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as error:
        raise MalformedPayloadError(f"bad date {text!r}") from error


def encode_body(payload: DocumentPayload) -> bytes:
    fields = (
        payload.document_type.value,
        payload.number,
        payload.name_hangul,
        payload.name_latin,
        payload.date_of_birth.replace("-", ""),
        _compact_date(payload.issued_on),
        _compact_date(payload.valid_from),
        _compact_date(payload.valid_until),
        payload.scope,
        payload.office,
    )
    return FIELD_SEPARATOR.join(fields).encode("utf-8")


def decode_body(body: bytes) -> DocumentPayload:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedPayloadError("body is not UTF-8") from error
    fields = text.split(FIELD_SEPARATOR)
    if len(fields) != 10:
        raise MalformedPayloadError(f"expected 10 fields, found {len(fields)}")
    doc_type, number, hangul, latin, birth, issued, valid_from, valid_until, scope, office = fields
    if len(birth) not in (4, 6, 8):
        raise MalformedPayloadError(f"bad date of birth {birth!r}")
    birth_iso = "-".join(part for part in (birth[:4], birth[4:6], birth[6:8]) if part)
    try:
        return DocumentPayload(
            document_type=DocumentType(doc_type),
            number=number,
            name_hangul=hangul,
            name_latin=latin,
            date_of_birth=birth_iso,
            issued_on=_parse_compact_date(issued),
            valid_from=_parse_compact_date(valid_from),
            valid_until=_parse_compact_date(valid_until),
            scope=scope,
            office=office,
        )
    except ValueError as error:
        if isinstance(error, MalformedPayloadError):
            raise
        raise MalformedPayloadError(str(error)) from error


@dataclass(frozen=True, slots=True)
class SignedPayload:
    """A decoded QR payload whose signature has NOT yet been checked."""

    payload: DocumentPayload
    key_id: str
    signed_message: bytes
    signature: bytes


def message_to_sign(key_id: str, body: bytes) -> bytes:
    """The exact bytes an Ed25519 signature covers (context, version, key id, body)."""
    return SIGNING_CONTEXT + _header(key_id) + body


def _header(key_id: str) -> bytes:
    key_id_bytes = bytes.fromhex(key_id)
    if len(key_id_bytes) != KEY_ID_BYTES:
        raise ValueError(f"key id must be {KEY_ID_BYTES * 2} hex digits, got {key_id!r}")
    return bytes([FORMAT_VERSION]) + key_id_bytes


def assemble_qr_text(key_id: str, body: bytes, signature: bytes) -> str:
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError("an Ed25519 signature is 64 bytes")
    return QR_PREFIX + base45.encode(_header(key_id) + body + signature)


def parse_qr_text(qr_text: str) -> SignedPayload:
    """Split QR text into payload, key id and signature; raises MalformedPayloadError."""
    if not isinstance(qr_text, str):
        raise MalformedPayloadError("payload is not text")
    text = qr_text.strip()
    if not text.startswith(QR_PREFIX):
        raise MalformedPayloadError(f"payload does not start with {QR_PREFIX!r}")
    try:
        raw = base45.decode(text[len(QR_PREFIX) :])
    except ValueError as error:
        raise MalformedPayloadError(f"not base45: {error}") from error
    header_length = 1 + KEY_ID_BYTES
    if len(raw) < header_length + SIGNATURE_BYTES + 1:
        raise MalformedPayloadError("payload is too short")
    if raw[0] != FORMAT_VERSION:
        raise MalformedPayloadError(f"unsupported payload version {raw[0]}")
    key_id = raw[1:header_length].hex()
    body = raw[header_length:-SIGNATURE_BYTES]
    return SignedPayload(
        payload=decode_body(body),
        key_id=key_id,
        signed_message=SIGNING_CONTEXT + raw[:-SIGNATURE_BYTES],
        signature=raw[-SIGNATURE_BYTES:],
    )
