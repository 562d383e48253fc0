"""The first second factor: set up only through an administrator's one-time link when that is
required, and a throttled code is told as throttled, not as wrong."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.testing import give_device
from accounts.tests.test_second_factor import code_of
from people.tests.factories import StaffProfileFactory, UserFactory
from stations.roles import Role

pytestmark = pytest.mark.django_db


def administrator() -> tuple[Client, object]:
    user = StaffProfileFactory(user=UserFactory(), role=Role.ADMINISTRATOR, station=None).user
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    return client, user


def test_the_first_device_needs_an_administrators_one_time_link(settings) -> None:
    settings.OTP_ENROLMENT_BY_LINK = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client, user = administrator()
    refused = client.get(reverse("otp-setup"))
    assert refused.status_code == 403 and "<svg" not in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    out = StringIO()
    call_command("second_factor_link", user.username, stdout=out)
    link = out.getvalue().strip()
    assert client.get(link)["Location"] == reverse("otp-setup")
    assert "<svg" in client.get(reverse("otp-setup")).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("otp-setup"), {"code": code_of(device)})
    assert done.status_code == 302
    stranger = Client()
    stranger.force_login(user)
    assert stranger.get(link).status_code == 403, "the link works once"


def test_a_link_for_someone_else_opens_nothing(settings) -> None:
    settings.OTP_ENROLMENT_BY_LINK = True
    client, _user = administrator()
    _other_client, other = administrator()
    out = StringIO()
    call_command("second_factor_link", other.username, stdout=out)
    assert client.get(out.getvalue().strip()).status_code == 403
    assert client.get(reverse("otp-setup")).status_code == 403


def test_a_throttled_code_is_told_to_wait(settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    user = StaffProfileFactory(user=UserFactory(), role=Role.ADMINISTRATOR, station=None).user
    device = give_device(user)
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    wrong = "000000" if code_of(device) != "000000" else "111111"
    first = client.post(reverse("otp-verify"), {"code": wrong}).content.decode()
    assert "That code is not right" in first and "wait 30 seconds" in first
    right = client.post(reverse("otp-verify"), {"code": code_of(device)}).content.decode()
    assert "Too many wrong codes" in right and "That code is not right" not in right
