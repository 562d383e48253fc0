"""Fixtures shared by every app's tests: fast password hashing and the personas."""

import pytest

from people.tests.personas import Personas, build_personas


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db: None) -> Personas:
    """One user per role and station (two stations of one province, one of another)."""
    return build_personas()
