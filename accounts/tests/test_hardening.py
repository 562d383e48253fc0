"""Hardening: deploy checks, content security policy, login throttling, CSRF."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from people.tests.factories import StaffProfileFactory, UserFactory
from stations.roles import Role

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEBUG", "HTTPS", "SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(SECRET_KEY="k" * 20 + "-production-like-secret-" + "9f8e7d6c5b4a3210" * 2)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_policy_that_allows_no_inline_script(personas) -> None:
    response = personas.client_for("registrar-onsong").get(reverse("register-household"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src "))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in policy
    body = response.content.decode()
    assert " onchange=" not in body and " onclick=" not in body


@pytest.mark.django_db
def test_login_is_locked_after_too_many_wrong_passwords(settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    user = StaffProfileFactory(user=UserFactory(), role=Role.REGISTRAR).user
    client = Client()
    for _ in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    locked = client.post(
        reverse("login"), {"username": user.username, "password": "secret-pass-123"}
    )
    assert locked.status_code == 429
    assert "Signing in is locked" in locked.content.decode()
    other = Client()
    # Another person's account is not locked by someone guessing this one.
    other_user = StaffProfileFactory(user=UserFactory(), role=Role.REGISTRAR).user
    ok = other.post(
        reverse("login"), {"username": other_user.username, "password": "secret-pass-123"}
    )
    assert ok.status_code == 302


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused(personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["registrar-onsong"])
    response = client.post(reverse("register-household"), {})
    assert response.status_code == 403


def test_sessions_expire() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_the_transport_settings_are_safe_unless_debug_or_told_otherwise() -> None:
    code = (
        "import waystation.settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS"}}

    def run(**env: str) -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**base, "SECRET_KEY": "k" * 50, **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()

    assert run() == ["True", "True", "31536000"]
    assert run(DEBUG="1") == ["False", "False", "0"]
    assert run(HTTPS="0") == ["False", "False", "0"]
    assert run(HTTPS="1", SECURE_HSTS_SECONDS="600") == ["True", "True", "600"]
