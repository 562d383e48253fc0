"""Offline registration keeps every field the online form keeps (issue 16, item 6): the same
household typed once online and once with the network cut is stored the same, field by
field, the Resident ID number and the time of the crossing included."""

import re
import time

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from people.forms import MemberForm
from people.models import Crossing, Person

pytestmark = pytest.mark.browser

MEMBER = {
    "family_name_hangul": "리",
    "given_name_hangul": "순옥",
    "family_name_hanzi": "李",
    "given_name_hanzi": "顺玉",
    "family_name_latin": "Li",
    "given_name_latin": "Sunok",
    "sex": "F",
    "birth_date": "1929-03-17",
    "birth_date_precision": "month",
    "place_of_origin": "Yanji, Jilin",
    "document_number": "222401192903170025",  # does not check out: kept as written
    "document_as_written": True,
    "education_level": "technical",
    "education_years": "4",
    "occupation": "Nurse",
    "languages": "ko, zh",
    "category": "returning_compatriot",
    "relationship": "head",
}
CROSSED_AT = "1961-11-07T06:45"
SELECTS = {"sex", "birth_date_precision", "education_level", "category", "relationship"}


def fill(page) -> None:
    page.fill("#id_crossed_at", CROSSED_AT)
    for name, value in MEMBER.items():
        selector = f"#id_members-0-{name}"
        if isinstance(value, bool):
            page.check(selector)
        elif name in SELECTS:
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def stored(person: Person) -> dict[str, object]:
    crossing = Crossing.objects.filter(person=person).order_by("crossed_at").first()
    values = {name: getattr(person, name) for name in MemberForm.base_fields}
    return {**values, "crossed_at": crossing.crossed_at if crossing else None}


def persons(page, count: int, timeout: float = 20.0) -> list[Person]:
    """The live server and the test share one in-memory SQLite database, locked while the
    server writes: read again until the server's write is over and `count` are there."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = list(Person.objects.order_by("pk"))
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            found = []
        if len(found) >= count or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(100)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_household_registered_offline_is_stored_as_the_online_form_stores_it(
    live_server, page
) -> None:
    from people.tests.personas import build_personas

    build_personas()
    # A device whose clock is set to another time zone than the station's.
    page = page.context.browser.new_context(
        locale="en-GB", timezone_id="America/Sao_Paulo"
    ).new_page()
    # Every field the online form has is typed here: a new field must be added to MEMBER.
    assert set(MEMBER) == set(MemberForm.base_fields)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")
    page.goto(f"{live_server.url}/people/register/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()

    fill(page)  # online: the form goes to the server as it is
    page.click("button:has-text('Register')")
    page.wait_for_url(re.compile(r"/stations/onsong/|/people/\d+/"))
    (online,) = persons(page, 1)

    page.goto(f"{live_server.url}/people/register/")
    page.context.set_offline(True)
    fill(page)
    page.click("button:has-text('Register')")
    expect(page.locator("[data-outbox-count]")).to_have_text("1")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-outbox-count]")).to_have_text("0", timeout=20000)
    online_record, offline = persons(page, 2)
    assert online_record.pk == online.pk

    kept = stored(offline)
    assert kept == stored(online)
    assert kept["document_number"] == MEMBER["document_number"]
    assert kept["document_as_written"] is True and kept["relationship"] == "head"
    assert kept["languages"] == ["ko", "zh"] and kept["education_years"] == 4
    assert kept["crossed_at"].isoformat() == "1961-11-06T21:45:00+00:00"  # 06:45 at Onsong
