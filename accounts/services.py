"""Second factor rules: who must have one, and setting up and confirming a TOTP device."""

import base64
import hashlib
import hmac
import math
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.utils import timezone
from django_otp.models import MAX_THROTTLE_DELAY_SECONDS
from django_otp.plugins.otp_totp.models import TOTPDevice

from stations.access import staff_profile_of

DEVICE_NAME = "authenticator app"


def second_factor_required(user: Any) -> bool:
    """Administrators and superusers (who reach the admin site) may not work on a password
    alone; the roles are in OTP_REQUIRED_ROLES."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser and "superuser" in settings.OTP_REQUIRED_ROLES:
        return True
    profile = staff_profile_of(user)
    return profile is not None and profile.role in settings.OTP_REQUIRED_ROLES


def owes_second_factor(user: Any) -> bool:
    """A signed-in user who has a device, or whose role requires one, but has not typed its
    code in this session: such a session may open the second-factor pages and nothing else,
    neither the pages nor the API."""
    if not getattr(user, "is_authenticated", False) or user.is_verified():
        return False
    return confirmed_device(user) is not None or second_factor_required(user)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The device being set up: made once and kept, so reloading the page shows the same QR."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps take it when typed: base32 (no padding),
    in groups of four for reading aloud or copying."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm_device(device: TOTPDevice, token: str) -> bool:
    """A device counts only once its owner has typed a code it made."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def seconds_to_wait(device: TOTPDevice | None) -> int:
    """How long the user must wait before the device checks another code (django-otp slows
    retries after a wrong code: 1, 2, 4 ... seconds); 0 when a code may be typed now."""
    if device is None:
        return 0
    allowed, _data = device.verify_is_allowed()
    if allowed:
        return 0
    required = min(
        device.get_throttle_factor() * 2 ** (device.throttling_failure_count - 1),
        MAX_THROTTLE_DELAY_SECONDS,
    )
    waited = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(math.ceil(required - waited), 1)


class EnrolmentLinks(PasswordResetTokenGenerator):
    """One-time links by which an administrator lets a user set up their first device when
    OTP_ENROLMENT_BY_LINK is on: without one, whoever first signs in with the password alone
    (perhaps not the user) could set up the device. A link stops working once the user has a
    confirmed device or changes password, and after PASSWORD_RESET_TIMEOUT (signing in, which
    the link needs first, leaves it valid)."""

    key_salt = "waystation.accounts.EnrolmentLinks"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        confirmed = confirmed_device(user)
        return f"{user.pk}{user.password}{timestamp}{confirmed.pk if confirmed else ''}"


enrolment_links = EnrolmentLinks()
ENROLMENT_SESSION_KEY = "second_factor_enrolment_for"


def may_enrol(request: Any) -> bool:
    """Whether this session may set up a first device now."""
    if not settings.OTP_ENROLMENT_BY_LINK:
        return True
    return request.session.get(ENROLMENT_SESSION_KEY) == request.user.pk


# Recovery codes: ten per user, each 10 characters of base32 (50 bits) shown as xxxxx-xxxxx.
# High entropy lets a keyed SHA-256 stand in for a slow password hash, and the code is found
# by its digest in one query.
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _recovery_digest(code: str) -> str:
    plain = "".join(code.lower().split()).replace("-", "")
    key = hashlib.sha256(b"waystation/recovery-codes\x00" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, plain.encode(), hashlib.sha256).hexdigest()


def make_recovery_codes(user: Any) -> list[str]:
    """New recovery codes for the user (the old ones stop working); returns them to be shown
    once: only their digests are kept."""
    from accounts.models import RecoveryCode

    codes = []
    for _index in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _char in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    now = timezone.now()
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, digest=_recovery_digest(code), created_at=now) for code in codes
        )
    return codes


def looks_like_recovery_code(text: str) -> bool:
    plain = "".join(text.split()).replace("-", "")
    return len(plain) == 10 and not plain.isdigit()


def use_recovery_code(user: Any, code: str) -> bool:
    """Spend one of the user's unused recovery codes; False when it is not one."""
    from accounts.models import RecoveryCode

    return bool(
        RecoveryCode.objects.filter(
            user=user, digest=_recovery_digest(code), used_at__isnull=True
        ).update(used_at=timezone.now())
    )


def recovery_codes_left(user: Any) -> int:
    from accounts.models import RecoveryCode

    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
