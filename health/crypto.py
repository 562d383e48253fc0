"""Field-level encryption of free-text medical notes (Fernet, keys from the environment).

HEALTH_NOTES_KEY holds one or more comma-separated Fernet keys; the first encrypts and all
decrypt, so a key can be rotated by putting the new one first. Without it, and only in DEBUG
or under the test runner, a development key is derived from SECRET_KEY (with a warning):
such notes are only as secret as SECRET_KEY, which is fine for a demo and never for real data.
"""

import base64
import hashlib
import logging
import os
import sys
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

logger = logging.getLogger(__name__)
PREFIX = "fernet:"


def development_key() -> bytes:
    digest = hashlib.sha256(b"waystation-health-notes:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _cipher(raw_keys: str, debug: bool, testing: bool) -> MultiFernet:
    keys = [key.strip() for key in raw_keys.split(",") if key.strip()]
    if not keys:
        if not (debug or testing):
            raise ImproperlyConfigured(
                "HEALTH_NOTES_KEY must be set (a Fernet key: "
                "python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')."
            )
        logger.warning(
            "HEALTH_NOTES_KEY is not set: medical notes are encrypted with a development key "
            "derived from SECRET_KEY. Set HEALTH_NOTES_KEY before storing real data."
        )
        return MultiFernet([Fernet(development_key())])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"HEALTH_NOTES_KEY is not a valid Fernet key: {error}") from None


def cipher() -> MultiFernet:
    return _cipher(
        os.environ.get("HEALTH_NOTES_KEY", ""), bool(settings.DEBUG), "pytest" in sys.modules
    )


def encrypt(text: str) -> str:
    return PREFIX + cipher().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("A medical note is stored without encryption.")
    try:
        return cipher().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A medical note cannot be decrypted with HEALTH_NOTES_KEY (wrong or rotated-out key)."
        ) from None


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token: the database never holds the plaintext. Not searchable;
    the empty string is stored as it is, so "no note" needs no key."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)
