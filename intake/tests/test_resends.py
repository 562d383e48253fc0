"""Resends are harmless: a page's form posted twice stores once, and an API edit resent under
its client UUID is applied once, while other content under that UUID is a conflict."""

import re
import uuid

import pytest
from django.test import Client

from api.models import ApiToken
from intake.models import FormSubmission
from people.tests.factories import PersonFactory
from supplies.models import Movement
from supplies.tests.conftest import blanket  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def token_in(html: str, action: str) -> str:
    """The client token of the form posting to `action` on a page."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, f"no form posts to {action}"
    found = re.search(r'name="client_token" value="([0-9a-f-]{36})"', form.group(0))
    assert found, "the form carries no client token"
    return found.group(1)


def test_every_post_form_on_a_page_carries_its_own_client_token(personas) -> None:
    html = personas.client_for("supplies-onsong").get("/supplies/stations/onsong/").content
    forms = re.findall(r'<form[^>]*method="post".*?</form>', html.decode(), re.S)
    tokens = [re.search(r'name="client_token" value="([^"]+)"', form) for form in forms]
    assert forms and all(tokens)
    assert len({token.group(1) for token in tokens}) == len(forms)


def test_a_stock_form_posted_twice_stores_one_movement(personas, blanket) -> None:  # noqa: F811
    clerk = personas.client_for("supplies-onsong")
    action = "/supplies/stations/onsong/receive/"
    token = token_in(clerk.get("/supplies/stations/onsong/").content.decode(), action)
    form = {"receive-item": blanket.pk, "receive-quantity": 1, "client_token": token}
    first = clerk.post(action, form)
    again = clerk.post(action, form)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Movement.objects.filter(item=blanket).count() == 1
    assert FormSubmission.objects.get(token=token).state == FormSubmission.State.DONE


def test_a_form_shown_again_with_its_errors_may_be_sent_again(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    client = personas.client_for("registrar-onsong")
    edit_url = f"/intake/people/{person.pk}/edit/"
    token = str(uuid.uuid4())
    shown_again = client.post(edit_url, {"client_token": token, "sex": ""})
    assert shown_again.status_code == 200
    assert FormSubmission.objects.get(token=token).state == FormSubmission.State.OPEN
    assert client.post(edit_url, {"client_token": token, "sex": ""}).status_code == 200


def test_another_user_cannot_replay_a_token(personas, blanket) -> None:  # noqa: F811
    action = "/supplies/stations/onsong/receive/"
    form = {"receive-item": blanket.pk, "receive-quantity": 1, "client_token": str(uuid.uuid4())}
    personas.client_for("supplies-onsong").post(action, form)
    assert personas.client_for("admin").post(action, form).status_code == 409
    assert Movement.objects.filter(item=blanket).count() == 1


def api(personas) -> Client:
    _token, raw = ApiToken.issue(personas["registrar-onsong"], "resend")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_an_api_edit_resent_is_applied_once_and_other_content_is_a_conflict(personas) -> None:
    person = PersonFactory(station=personas.onsong, occupation="miner")
    client, url = api(personas), f"/api/persons/{person.pk}"
    edit = {"client_uuid": str(uuid.uuid4()), "version": 1, "changes": {"occupation": "farmer"}}
    first = client.patch(url, edit, content_type="application/json")
    again = client.patch(url, edit, content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert again.json()["version"] == 2
    other = {**edit, "version": 2, "changes": {"occupation": "teacher"}}
    refused = client.patch(url, other, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["conflict_id"] is None
    person.refresh_from_db()
    assert (person.occupation, person.version) == ("farmer", 2)
