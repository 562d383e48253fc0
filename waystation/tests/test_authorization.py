"""Every route of Waystation needs sign-in and the right role and scope (access_rules.py).

A route without a rule fails `test_every_route_has_a_rule`, naming the route: whoever adds a
page must say who may open it.
"""

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from people.tests.factories import PersonFactory
from people.tests.personas import Personas, assert_access
from waystation.tests.access_rules import ADMIN_SITE_PREFIX, RULES, Api, Public, Rule
from waystation.tests.routes import Route, all_routes

MISSING_PK = 987654321

API_PAYLOADS: dict[str, Callable[[int], dict]] = {
    "household": lambda _person: {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "members": [{"given_name_hangul": "재수", "sex": "M", "birth_date_precision": "unknown"}],
    },
    "person": lambda _person: {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "given_name_hangul": "재수",
        "sex": "M",
        "birth_date_precision": "unknown",
    },
    # An edit based on an old version that changes nothing: accepted without writing.
    "edit": lambda _person: {
        "client_uuid": str(uuid.uuid4()),
        "version": 1,
        "changes": {},
    },
    "crossing": lambda person: {
        "client_uuid": str(uuid.uuid4()),
        "person_id": person,
        "station": "onsong",
        "direction": "in",
        "crossed_at": timezone.now().isoformat(),
    },
}


def _routes_to_check() -> list[Route]:
    return [r for r in all_routes() if not r.pattern.startswith(ADMIN_SITE_PREFIX)]


def test_every_route_has_a_rule() -> None:
    missing = [f"{r.name}  ({r.pattern})" for r in _routes_to_check() if r.name not in RULES]
    assert not missing, (
        "These routes have no access rule; add one to waystation/tests/access_rules.py "
        "saying which personas may open them:\n  " + "\n  ".join(missing)
    )
    stale = set(RULES) - {r.name for r in _routes_to_check()}
    assert not stale, f"Rules for routes that no longer exist: {sorted(stale)}"


def _url(name: str, kwargs: dict[str, str], person_pk: int) -> str:
    values = {"person": person_pk, "station": "onsong", "missing": MISSING_PK}
    return reverse(name, kwargs={k: values.get(v, v) for k, v in kwargs.items()})


def _check_api(personas: Personas, name: str, rule: Api, person_pk: int) -> None:
    url = _url(name, rule.kwargs, person_pk)
    failures = []
    for persona in [*personas.names, None]:
        headers = {}
        if persona is not None:
            _token, raw = ApiToken.issue(personas[persona], "authorization test")
            headers = {"Authorization": f"Bearer {raw}"}
        client = Client(headers=headers)
        if rule.method == "get":
            status = client.get(url).status_code
        else:
            payload = API_PAYLOADS[rule.payload](person_pk)
            send = client.patch if rule.method == "patch" else client.post
            status = send(url, payload, content_type="application/json").status_code
        if persona in rule.allowed and status not in rule.ok:
            failures.append(f"{persona} should be allowed, got {status}")
        refused = (401,) if persona in (None, "no-role") else (403, 404, 422)
        if persona not in rule.allowed and status not in refused:
            failures.append(f"{persona or 'anonymous'} should be refused, got {status}")
    assert not failures, f"{rule.method.upper()} {url}:\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(RULES))
def test_route_follows_its_rule(personas: Personas, name: str) -> None:
    rule = RULES[name]
    person = PersonFactory(station=personas.onsong)
    if isinstance(rule, Api):
        _check_api(personas, name, rule, person.pk)
        return
    if isinstance(rule, Public):
        url = reverse(name)
        status = getattr(Client(), rule.method)(url).status_code
        assert status in rule.ok, f"{name} is public ({rule.why}) but answered {status}"
        return
    assert isinstance(rule, Rule)
    assert_access(
        personas,
        _url(name, rule.kwargs, person.pk),
        allowed=rule.allowed,
        method=rule.method,
        allowed_status=rule.ok,
    )


@pytest.mark.django_db
def test_the_admin_site_is_for_verified_staff_users_only(personas: Personas) -> None:
    admin_routes = [r for r in all_routes() if r.pattern.startswith(ADMIN_SITE_PREFIX)]
    assert admin_routes
    index = reverse("admin:index")
    anonymous = Client().get(index)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    for name in personas.names:
        response = personas.client_for(name).get(index)
        assert response.status_code == 302, f"{name} is not staff but opened the admin site"
    admin = personas["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    assert personas.client_for("admin").get(index).status_code == 200
    unverified = Client()
    unverified.force_login(admin)
    assert unverified.get(index).status_code == 302, "a second factor is required"
