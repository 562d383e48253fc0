"""The offices' signing keys: kept encrypted in the database, rotated without invalidating
what they signed before, and published as a key list that ticket offices download.

The private keys are encrypted PKCS#8 PEM. The passphrase comes from the environment
variable DOCUMENT_KEYS_SECRET; only in DEBUG or under pytest is it derived from SECRET_KEY
when unset (a deployment must set it, and keep it apart from the database backups).
"""

import datetime as dt
import hashlib
import os
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from documents.models import IssuingOffice, KeyRecord
from documents.signing import KeyList, PublishedKey, SigningKey
from documents.signing.keys import b64url_decode, b64url_encode
from waystation import clock

SECRET_VARIABLE = "DOCUMENT_KEYS_SECRET"


def keys_passphrase() -> bytes:
    secret = os.environ.get(SECRET_VARIABLE, "")
    if secret:
        return secret.encode("utf-8")
    if settings.DEBUG or "PYTEST_CURRENT_TEST" in os.environ:
        derived = hashlib.sha256(b"waystation/document-keys/v1\x00" + settings.SECRET_KEY.encode())
        return derived.hexdigest().encode("ascii")
    raise ImproperlyConfigured(
        f"Set {SECRET_VARIABLE} in the environment: it encrypts the offices' signing keys."
    )


def _record_for(office: IssuingOffice, key: SigningKey, on: dt.date) -> KeyRecord:
    published = key.published(on, signs_lists=office.signs_lists)
    return KeyRecord.objects.create(
        office=office,
        key_id=key.key_id,
        public_key=b64url_encode(published.public_key_raw),
        private_pem_encrypted=key.to_pem(keys_passphrase()).decode("ascii"),
        activated_on=on,
        signs_lists=office.signs_lists,
    )


def rotate_key(office: IssuingOffice, on: dt.date | None = None) -> KeyRecord:
    """Give the office a new key from `on` (today by default); the current key is retired on
    the same day, so everything it signed up to and including that day stays valid, and a
    document it claims to have signed later is forged."""
    on = on or clock.today()
    with transaction.atomic():
        IssuingOffice.objects.select_for_update().get(pk=office.pk)
        current = KeyRecord.objects.filter(office=office, retired_on__isnull=True).first()
        if current is not None:
            if on < current.activated_on:
                raise ValidationError(
                    _("A new key cannot start before the current key (%(day)s).")
                    % {"day": current.activated_on}
                )
            current.retired_on = on
            current.save(update_fields=["retired_on"])
        return _record_for(office, SigningKey.generate(office.code), on)


def withdraw_key(record: KeyRecord, reason: str, on: dt.date | None = None) -> KeyRecord | None:
    """Stop trusting a stolen key at all: it leaves the key list, so every document it signed
    verifies as "unknown key" (reissue them). An active key is first replaced by a new one,
    which is returned."""
    on = on or clock.today()
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("This field is required.")]})
    with transaction.atomic():
        locked = KeyRecord.objects.select_for_update().get(pk=record.pk)
        if locked.withdrawn_on is not None:
            raise ValidationError(_("This key is already withdrawn."))
        replacement = None
        if locked.retired_on is None:
            replacement = rotate_key(locked.office, on=max(on, locked.activated_on))
            locked.refresh_from_db()
        locked.withdrawn_on, locked.withdrawn_reason = on, reason[:500]
        locked.save(update_fields=["withdrawn_on", "withdrawn_reason"])
    record.refresh_from_db()
    return replacement


def active_key(office: IssuingOffice) -> KeyRecord:
    record = KeyRecord.objects.filter(office=office, retired_on__isnull=True).first()
    if record is None:
        raise ValidationError(
            _("The office %(office)s has no signing key; rotate one in first.")
            % {"office": office.code}
        )
    return record


def signing_key(record: KeyRecord) -> SigningKey:
    return _decrypt(record.key_id, record.office.code, record.private_pem_encrypted)


@lru_cache(maxsize=64)
def _decrypt(key_id: str, office_code: str, pem: str) -> SigningKey:
    key = SigningKey.from_pem(pem.encode("ascii"), office_code, keys_passphrase())
    if key.key_id != key_id:
        raise ImproperlyConfigured(f"stored key {key_id} does not match its private key")
    return key


def published_key(record: KeyRecord) -> PublishedKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return PublishedKey.from_public_key(
        Ed25519PublicKey.from_public_bytes(b64url_decode(record.public_key)),
        office=record.office.code,
        activated_on=record.activated_on,
        retired_on=record.retired_on,
        signs_lists=record.signs_lists,
    )


def current_key_list() -> KeyList:
    records = KeyRecord.objects.select_related("office").filter(withdrawn_on__isnull=True)
    records = records.order_by("id")
    return KeyList(tuple(published_key(record) for record in records), clock.now())


def list_signing_key(today: dt.date | None = None) -> SigningKey | None:
    """The key that signs the key list and the revocation list: the OLDEST list-signing key
    in service today. On the day the list-signing office rotates, that is still the old key,
    so a ticket office holding the old list accepts the new one (which carries the new key);
    from the next day the new key signs. None if no office is set to sign lists."""
    today = today or clock.today()
    record = (
        KeyRecord.objects.select_related("office")
        .filter(office__signs_lists=True, signs_lists=True, activated_on__lte=today)
        .filter(withdrawn_on__isnull=True)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gte=today))
        .order_by("activated_on", "id")
        .first()
    )
    return signing_key(record) if record else None


def key_list_json() -> str:
    """The key list file for download, signed when a list-signing key exists, so a ticket
    office that holds an earlier list can accept it (`update-keys`)."""
    return current_key_list().to_json(signed_by=list_signing_key())
