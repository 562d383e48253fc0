"""Test support: sign a test client in past the second factor, as a real code would."""

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import DEVICE_NAME


def give_device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def pass_second_factor(client: Client, user: Any) -> None:
    """Mark a force_login-ed session as verified with the user's confirmed device, if any."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def current_code(user: Any) -> str:
    """The code the user's authenticator app would show now (for browser tests)."""
    from django_otp.oath import TOTP

    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).get()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
