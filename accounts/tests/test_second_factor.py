"""Second factor: required for administrators, optional for officers, asked for at sign-in."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.testing import give_device
from people.tests.factories import StaffProfileFactory, UserFactory
from stations.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_throttle_between_tries(settings) -> None:
    """django-otp slows retries after a wrong code; these tests retry at once on purpose."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def signed_in(role: str, province: str = "") -> tuple[Client, object]:
    user = StaffProfileFactory(user=UserFactory(), role=role, station=None, province=province).user
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    return client, user


def test_an_administrator_without_a_device_must_set_one_up_before_anything_else() -> None:
    client, user = signed_in(Role.ADMINISTRATOR)
    response = client.get(reverse("person-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp-setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(
        reverse("otp-setup"), {"code": "000000" if code_of(device) != "000000" else "111111"}
    )
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("person-list")).status_code == 302
    done = client.post(
        reverse("otp-setup"), {"code": code_of(device), "next": reverse("person-list")}
    )
    # the recovery codes are shown once, with the way on to where the user was going
    assert done.status_code == 302 and done["Location"].startswith(reverse("otp-recovery-codes"))
    assert 'href="/people/"' in client.get(done["Location"]).content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("person-list")).status_code == 200


def test_anyone_with_a_device_types_its_code_after_the_password() -> None:
    user = StaffProfileFactory(user=UserFactory(), role=Role.ADMINISTRATOR, station=None).user
    device = give_device(user)
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("otp-verify"))
    assert (
        "That code is not right"
        in client.post(reverse("otp-verify"), {"code": "abcdef"}).content.decode()
    )
    client.post(reverse("otp-verify"), {"code": code_of(device)})
    assert client.get(reverse("home")).status_code == 200


def test_an_officer_works_without_a_device_and_may_opt_in_from_the_profile_page() -> None:
    client, user = signed_in(Role.DOCUMENTS_OFFICER, "North Hamgyong")
    assert client.get(reverse("home")).status_code == 200
    profile = client.get(reverse("profile")).content.decode()
    assert "Signing in needs only your password." in profile
    assert reverse("otp-setup") in profile
    client.get(reverse("otp-setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("otp-setup"), {"code": code_of(device)})
    assert (
        "needs a code from your authenticator app"
        in client.get(reverse("profile")).content.decode()
    )
    # The next sign-in asks for the code.
    again = Client()
    again.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    assert again.get(reverse("home"))["Location"].startswith(reverse("otp-verify"))


def test_the_setup_page_never_redirects_to_another_site() -> None:
    client, _user = signed_in(Role.ADMINISTRATOR)
    page = client.get(reverse("otp-setup") + "?next=https://evil.example/")
    assert re.search(r'name="next" value="/"', page.content.decode())


def test_superusers_need_a_second_factor_unless_the_requirement_is_turned_off(settings) -> None:
    user = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("otp-setup"))
    settings.OTP_REQUIRED_ROLES = []
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    ("role", "province"), [(Role.ADMINISTRATOR, ""), (Role.DOCUMENTS_OFFICER, "North Hamgyong")]
)
def test_the_api_refuses_a_session_that_has_not_typed_its_code(role: str, province: str) -> None:
    """A password alone opens nothing: not the pages, and not the API behind them either."""
    user = StaffProfileFactory(user=UserFactory(), role=role, station=None, province=province).user
    device = give_device(user)
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    household = {
        "client_uuid": "7b0f1d4e-3c55-4a8e-9d6c-2f0a5e1b9c11",
        "station": "nowhere",
        "members": [{"given_name_hangul": "재수", "sex": "M", "birth_date_precision": "unknown"}],
    }
    assert client.get("/api/persons?limit=1").status_code == 401
    assert client.get("/api/persons/1").status_code == 401
    assert client.post("/api/households", household, "application/json").status_code == 401
    assert client.patch("/api/persons/1", {}, "application/json").status_code == 401
    client.post(reverse("otp-verify"), {"code": code_of(device)})
    assert client.get("/api/persons?limit=1").status_code == 200
