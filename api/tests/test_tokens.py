"""API tokens are managed on a page: issued by an administrator (the secret shown once), last
use visible, revoked with a reason; every step audited."""

import re

import pytest
from django.test import Client

from api.models import ApiToken
from people.audit import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_issues_a_token_that_works_and_revokes_it(personas) -> None:
    admin = personas.client_for("admin")
    holder = personas["registrar-onsong"]
    page = admin.post("/setup/tokens/new/", {"holder": holder.pk, "label": "Onsong laptop 2"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    secret = re.search(r'data-testid="secret">([^<]+)<', page.content.decode()).group(1)
    token = ApiToken.objects.get(label="Onsong laptop 2")
    assert token.user == holder and secret not in (token.token_hash,)

    # the list never shows the secret again; the token works and its use is seen
    listing = admin.get("/setup/tokens/").content.decode()
    assert secret not in listing and "never" in listing
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/persons").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    response = admin.post(f"/setup/tokens/{token.pk}/revoke/", {"reason": "laptop stolen"})
    assert response.status_code == 302
    assert api.get("/api/persons").status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == personas["admin"]
    audit = AuditEntry.objects.filter(object_type="api.ApiToken", object_id=str(token.pk))
    assert sorted(audit.values_list("action", flat=True)) == ["create", "update"]
    assert audit.get(action="update").reason == "laptop stolen"


def test_a_token_needs_a_label_a_staff_holder_and_a_revoking_reason(personas) -> None:
    admin = personas.client_for("admin")
    response = admin.post("/setup/tokens/new/", {"holder": personas["no-role"].pk, "label": "x"})
    assert response.status_code == 422 and "active staff member" in response.content.decode()
    response = admin.post("/setup/tokens/new/", {"holder": personas["admin"].pk, "label": " "})
    assert response.status_code == 422 and "Name the token" in response.content.decode()
    token, _secret = ApiToken.issue(personas["registrar-onsong"], "old")
    admin.post(f"/setup/tokens/{token.pk}/revoke/", {"reason": ""})
    token.refresh_from_db()
    assert token.revoked_at is None
