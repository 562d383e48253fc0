"""Login throttling behind a proxy: the client's own address counts, not the proxy's, so a
stranger's wrong passwords do not lock a user out everywhere; one address guessing across
many user names is locked too."""

import pytest
from django.test import Client
from django.urls import reverse

from people.tests.factories import StaffProfileFactory, UserFactory
from stations.roles import Role

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def behind_a_proxy(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY, "10.0.1.0/24"]
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6


def sign_in(username: str, password: str, client_address: str, remote: str = PROXY) -> int:
    client = Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=f"{client_address}, 10.0.1.7")
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def registrar() -> str:
    return StaffProfileFactory(user=UserFactory(), role=Role.REGISTRAR).user.username


def test_wrong_passwords_from_one_client_do_not_lock_the_user_out_elsewhere() -> None:
    name = registrar()
    for _ in range(3):
        sign_in(name, "wrong", "203.0.113.5")
    assert sign_in(name, "secret-pass-123", "203.0.113.5") == 429
    assert sign_in(name, "secret-pass-123", "198.51.100.7") == 302


def test_a_client_that_talks_to_the_server_directly_cannot_choose_its_address() -> None:
    name = registrar()
    for n in range(3):
        sign_in(name, "wrong", f"198.51.100.{n}", remote="203.0.113.9")
    assert sign_in(name, "secret-pass-123", "198.51.100.200", remote="203.0.113.9") == 429


def test_one_address_guessing_across_user_names_is_locked() -> None:
    for _ in range(6):
        sign_in(f"guess-{_}", "wrong", "203.0.113.66")
    name = registrar()
    assert sign_in(name, "secret-pass-123", "203.0.113.66") == 429
    assert sign_in(name, "secret-pass-123", "203.0.113.67") == 302
