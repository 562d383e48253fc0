"""Issuing offices' Ed25519 keys and the published key list.

A key list is a small JSON file that a ticket office keeps. Rotating a key never removes
the old one: it is marked retired on a date, so documents it signed before that date stay
valid, while a document claiming to be issued after it is refused. A key that must stop
being trusted at all (stolen) is removed from the list, and everything it signed then
verifies as "unknown key".

The key id is the first 4 bytes of SHA-256 over the raw public key, in hex: short enough
for the QR code, and checked against the key when a list is loaded, so a list cannot
label one office's key with another's id.

The first key list reaches a ticket office by hand (it is the trust anchor). Later lists
can travel over any network: `to_json(signed_by=...)` signs one with a key that may sign
lists, and `KeyList.update_from_json(text, current)` accepts it only if a key of the
CURRENT list signed it and it is newer than the current list (so an old list that still
trusted a stolen key cannot be replayed).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from documents.signing.payload import KEY_ID_BYTES

KEY_LIST_FORMAT = "waystation-keylist"
KEY_LIST_VERSION = 1
# Distinct from the document and revocation contexts: no signature can be replayed as
# another kind.
KEY_LIST_SIGNING_CONTEXT = b"waystation/keylist/v1\x00"


class KeyListError(ValueError):
    """The key list file is malformed or inconsistent."""


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KEY_ID_BYTES].hex()


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64url_decode(text: object) -> bytes:
    """Inverse of `b64url_encode`; ValueError (binascii.Error) on anything else."""
    if not isinstance(text, str):
        raise ValueError("expected base64url text")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SigningKey:
    """An office's private signing key. Keep it off the ticket offices' machines."""

    office: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, office: str) -> SigningKey:
        return cls(office=office, private_key=Ed25519PrivateKey.generate())

    @cached_property
    def key_id(self) -> str:
        return key_id_of(self.private_key.public_key())

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)

    def published(self, activated_on: date, signs_lists: bool = True) -> PublishedKey:
        """The entry for this key in a key list."""
        return PublishedKey.from_public_key(
            self.private_key.public_key(),
            office=self.office,
            activated_on=activated_on,
            signs_lists=signs_lists,
        )

    def to_pem(self, passphrase: bytes | None = None) -> bytes:
        """PKCS#8 PEM, encrypted with the passphrase when one is given."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase)
            if passphrase
            else serialization.NoEncryption()
        )
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    @classmethod
    def from_pem(cls, pem: bytes, office: str, passphrase: bytes | None = None) -> SigningKey:
        private_key = serialization.load_pem_private_key(pem, password=passphrase)
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ValueError("the PEM does not hold an Ed25519 private key")
        return cls(office=office, private_key=private_key)


@dataclass(frozen=True)
class PublishedKey:
    """One public key in the key list, with the period in which it may sign documents."""

    key_id: str
    office: str
    public_key_raw: bytes
    activated_on: date
    retired_on: date | None = None
    signs_lists: bool = True

    @classmethod
    def from_public_key(
        cls,
        public_key: Ed25519PublicKey,
        office: str,
        activated_on: date,
        retired_on: date | None = None,
        signs_lists: bool = True,
    ) -> PublishedKey:
        raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return cls(key_id_of(public_key), office, raw, activated_on, retired_on, signs_lists)

    @cached_property
    def public_key(self) -> Ed25519PublicKey:
        # Parsed once per entry: loading the point costs more than a verification.
        return Ed25519PublicKey.from_public_bytes(self.public_key_raw)

    def could_sign_on(self, day: date) -> bool:
        """Whether the key was in service on `day` (the issue date of a document)."""
        if day < self.activated_on:
            return False
        return self.retired_on is None or day <= self.retired_on

    def to_json_dict(self) -> dict[str, object]:
        return {
            "key_id": self.key_id,
            "office": self.office,
            "public_key": b64url_encode(self.public_key_raw),
            "activated_on": self.activated_on.isoformat(),
            "retired_on": self.retired_on.isoformat() if self.retired_on else None,
            "signs_lists": self.signs_lists,
        }

    @classmethod
    def from_json_dict(cls, entry: dict[str, object]) -> PublishedKey:
        try:
            raw = b64url_decode(str(entry["public_key"]))
            public_key = Ed25519PublicKey.from_public_bytes(raw)
            retired = entry.get("retired_on")
            published = cls.from_public_key(
                public_key,
                office=str(entry["office"]),
                activated_on=date.fromisoformat(str(entry["activated_on"])),
                retired_on=date.fromisoformat(str(retired)) if retired else None,
                signs_lists=bool(entry.get("signs_lists", True)),
            )
        except (KeyError, ValueError, TypeError) as error:
            raise KeyListError(f"bad key entry {entry!r}: {error}") from error
        if entry.get("key_id") != published.key_id:
            raise KeyListError(
                f"key id {entry.get('key_id')!r} does not match its public key "
                f"(fingerprint {published.key_id})"
            )
        return published


@dataclass(frozen=True)
class KeyList:
    """The public keys a verifier trusts, by key id."""

    keys: tuple[PublishedKey, ...]
    published_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.published_at.tzinfo is None:
            raise KeyListError("published_at must be timezone-aware")
        key_ids = [key.key_id for key in self.keys]
        if len(set(key_ids)) != len(key_ids):
            raise KeyListError("the same key id appears twice in the key list")

    @cached_property
    def _by_id(self) -> dict[str, PublishedKey]:
        return {key.key_id: key for key in self.keys}

    def get(self, key_id: str) -> PublishedKey | None:
        return self._by_id.get(key_id)

    def with_key(self, key: PublishedKey, published_at: datetime | None = None) -> KeyList:
        return KeyList(self.keys + (key,), published_at or datetime.now(UTC))

    def rotated(self, old_key_id: str, new_key: PublishedKey, retired_on: date) -> KeyList:
        """A new list where `old_key_id` is retired on `retired_on` and `new_key` is added.

        Documents the old key signed up to and including `retired_on` stay valid.
        """
        old = self.get(old_key_id)
        if old is None:
            raise KeyListError(f"no key {old_key_id} to rotate")
        keys = tuple(
            replace(key, retired_on=retired_on) if key.key_id == old_key_id else key
            for key in self.keys
        )
        return KeyList(keys + (new_key,), datetime.now(UTC))

    def without(self, key_id: str) -> KeyList:
        """A list that no longer trusts `key_id` at all (for a stolen key)."""
        return KeyList(tuple(k for k in self.keys if k.key_id != key_id), datetime.now(UTC))

    def _unsigned_document(self) -> dict[str, object]:
        return {
            "format": KEY_LIST_FORMAT,
            "version": KEY_LIST_VERSION,
            "published_at": self.published_at.isoformat(),
            "keys": [key.to_json_dict() for key in self.keys],
        }

    def to_json(self, signed_by: SigningKey | None = None) -> str:
        """The key list file; signed when `signed_by` is given (a key of the list now in
        the ticket offices' hands, allowed to sign lists)."""
        document = self._unsigned_document()
        if signed_by is not None:
            signature = signed_by.sign(KEY_LIST_SIGNING_CONTEXT + _canonical_json(document))
            document["signature"] = {"key_id": signed_by.key_id, "value": b64url_encode(signature)}
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def _parse(cls, text: str | bytes) -> tuple[KeyList, dict[str, object]]:
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise KeyListError(f"key list is not JSON: {error}") from error
        if not isinstance(document, dict) or document.get("format") != KEY_LIST_FORMAT:
            raise KeyListError("not a Waystation key list")
        if document.get("version") != KEY_LIST_VERSION:
            raise KeyListError(f"unsupported key list version {document.get('version')!r}")
        entries = document.get("keys")
        if not isinstance(entries, list):
            raise KeyListError("key list has no list of keys")
        try:
            published_at = datetime.fromisoformat(str(document["published_at"]))
        except (KeyError, ValueError) as error:
            raise KeyListError("key list has no valid published_at") from error
        keys = tuple(PublishedKey.from_json_dict(entry) for entry in entries)
        return cls(keys, published_at), document

    @classmethod
    def from_json(cls, text: str | bytes) -> KeyList:
        """Read a key list installed by hand (the trust anchor); a signature is not checked."""
        return cls._parse(text)[0]

    @classmethod
    def update_from_json(cls, text: str | bytes, current: KeyList) -> KeyList:
        """Read a downloaded key list, trusting it only as far as `current` vouches for it.

        Raises KeyListError unless it is signed by a key of `current` that may sign lists
        and was in service on the new list's date, and is newer than `current`.
        """
        candidate, document = cls._parse(text)
        signature_block = document.pop("signature", None)
        if not isinstance(signature_block, dict):
            raise KeyListError("the key list update is not signed")
        signer = current.get(str(signature_block.get("key_id")))
        if signer is None:
            raise KeyListError("the key list update is signed by a key the current list lacks")
        if not signer.signs_lists or not signer.could_sign_on(candidate.published_at.date()):
            raise KeyListError(f"key {signer.key_id} may not sign this key list")
        try:
            signature = b64url_decode(str(signature_block.get("value")))
            signer.public_key.verify(
                signature, KEY_LIST_SIGNING_CONTEXT + _canonical_json(document)
            )
        except (InvalidSignature, ValueError) as error:
            raise KeyListError("the key list signature does not match: forged") from error
        if candidate.published_at <= current.published_at:
            raise KeyListError("the key list update is not newer than the current list")
        return candidate

    @classmethod
    def load(cls, path: str | Path) -> KeyList:
        return cls.from_json(Path(path).read_bytes())

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")


def _canonical_json(document: dict[str, object]) -> bytes:
    # Sorted keys and no spaces: the signed bytes are recomputed from the parsed file, so
    # re-indenting or reordering a list file does not break its signature.
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
