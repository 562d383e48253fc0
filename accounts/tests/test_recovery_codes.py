"""The manual key is the base32 secret authenticator apps take; recovery codes are made at
enrolment, shown once, kept only as digests, each usable once, and can be made anew."""

import base64

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import RecoveryCode
from accounts.services import manual_key, pending_device
from people.tests.factories import StaffProfileFactory, UserFactory
from stations.roles import Role

pytestmark = pytest.mark.django_db


def administrator():  # noqa: ANN201
    return StaffProfileFactory(
        user=UserFactory(), role=Role.ADMINISTRATOR, station=None, province=""
    ).user


def enrol(client: Client, user) -> list[str]:  # noqa: ANN001
    client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    page = client.get(reverse("otp-setup")).content.decode()
    key = manual_key(pending_device(user))
    assert f'data-testid="otp-secret">{key}<' in page
    response = client.post(reverse("otp-setup"), {"code": pyotp.TOTP(key.replace(" ", "")).now()})
    assert response["Location"].startswith(reverse("otp-recovery-codes"))
    shown = client.get(response["Location"]).content.decode()
    codes = [line.split("<code>")[1].split("</code>")[0] for line in shown.split("<li>")[1:]]
    assert len(codes) == 10
    return codes


def test_the_manual_key_is_base32_in_groups_of_four() -> None:
    device = pending_device(UserFactory())
    key = manual_key(device)
    assert all(len(group) == 4 for group in key.split()[:-1])
    assert base64.b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8)) == (
        device.bin_key
    )


def test_recovery_codes_are_shown_once_and_stored_hashed() -> None:
    user = administrator()
    client = Client()
    codes = enrol(client, user)
    again = client.get(reverse("otp-recovery-codes")).content.decode()
    assert codes[0] not in again and "You have 10 unused recovery codes." in again
    stored = list(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)


def test_a_recovery_code_signs_in_once() -> None:
    user = administrator()
    codes = enrol(Client(), user)
    phone_lost = Client()
    phone_lost.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    response = phone_lost.post(reverse("otp-verify"), {"code": codes[3].upper()})
    assert response.status_code == 302 and phone_lost.get("/setup/").status_code == 200
    again = Client()
    again.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    refused = again.post(reverse("otp-verify"), {"code": codes[3]})
    assert "That recovery code is not right, or was used already." in refused.content.decode()
    assert again.get("/setup/")["Location"].startswith(reverse("otp-verify"))


def test_new_codes_replace_the_old_ones() -> None:
    user = administrator()
    client = Client()
    old = enrol(client, user)
    response = client.post(reverse("otp-recovery-codes-new"))
    page = client.get(response["Location"]).content.decode()
    assert old[0] not in page and page.count("<li><code>") == 10
    other = Client()
    other.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    assert other.post(reverse("otp-verify"), {"code": old[0]}).status_code == 200  # refused
