"""Fixtures shared by every app's tests: fast password hashing and the personas."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from people.tests.personas import Personas, build_personas


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_unless_a_test_says_otherwise() -> Iterator[None]:
    """A test that switches language must not change the language of the next one."""
    with translation.override("en"):
        yield


@pytest.fixture
def personas(db: None) -> Personas:
    """One user per role and station (two stations of one province, one of another)."""
    return build_personas()
