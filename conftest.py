"""Fixtures shared by every app's tests: fast password hashing and the personas."""

import os
import warnings
from collections.abc import Iterator

import pytest
from django.utils import translation

from people.tests.personas import Personas, build_personas

# The audit chain's key, as a deployment sets it (without it only DEBUG has a development
# key); processes the tests start inherit it, so they read the chain the tests wrote.
os.environ.setdefault("AUDIT_CHAIN_KEY", "test-only-audit-chain-key")
# Processes the tests start have databases of their own: no shared head log between them.
os.environ["AUDIT_HEAD_FILE"] = ""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def plain_http_in_tests() -> Iterator[None]:
    """Production settings redirect to HTTPS and mark cookies secure; the test client and the
    live server speak plain http on loopback. Session-wide, so it is in force before the
    session's live server builds its middleware."""
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def no_audit_head_file() -> Iterator[None]:
    """The audit heads the application records belong to one database; the tests' databases
    come and go, so their heads go nowhere (a test that needs the head log sets up its own)."""
    import logging

    from django.test import override_settings

    logger = logging.getLogger("waystation.audit_head")
    handlers = list(logger.handlers)
    for handler in handlers:
        logger.removeHandler(handler)
    with override_settings(AUDIT_HEAD_FILE=""):
        yield
    for handler in handlers:
        logger.addHandler(handler)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """A figure one test cached (the registry's size) must not reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def english_unless_a_test_says_otherwise() -> Iterator[None]:
    """A test that switches language must not change the language of the next one."""
    with translation.override("en"):
        yield


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A page in Debian's Chromium, or a loud skip saying why there is none."""
    from waystation.browser import chromium_missing_reason, chromium_page

    reason = chromium_missing_reason()
    if reason:
        warnings.warn(reason, stacklevel=1)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in the test's thread; the ORM calls the test
    # makes for its set-up and checks are synchronous and safe there.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page() as browser_page:
        yield browser_page


@pytest.fixture(scope="module")
def cable_data(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """The full demo data set (the cable's 20,517 arrivals), loaded once per module inside a
    transaction that is rolled back afterwards, so the reference rows that apps seed in their
    migrations survive for the tests that follow."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def personas(db: None) -> Personas:
    """One user per role and station (two stations of one province, one of another)."""
    return build_personas()
