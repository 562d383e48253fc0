"""Second factor rules: who must have one, and setting up and confirming a TOTP device."""

from typing import Any

from django.conf import settings
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


def confirm_device(device: TOTPDevice, token: str) -> bool:
    """A device counts only once its owner has typed a code it made."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True
