"""A registrar keeps registering with the network cut; the households wait on the device and
reach the server exactly once when the network comes back."""

import time

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from people.models import Household, Person

pytestmark = pytest.mark.browser


def fill_member(page, index: int, family: str, given: str, sex: str, born: str) -> None:
    page.fill(f"#id_members-{index}-family_name_hangul", family)
    page.fill(f"#id_members-{index}-given_name_hangul", given)
    page.select_option(f"#id_members-{index}-sex", sex)
    page.fill(f"#id_members-{index}-birth_date", born)


def until_true(page, function: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(function):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {function}"
        page.wait_for_timeout(100)


def committed_households(page, timeout: float = 10.0) -> int:
    """Households the server has committed. The live server and the test share one in-memory
    SQLite database, whose tables are locked while the server writes to them: read again
    once the server's write is over."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return Household.objects.count()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            page.wait_for_timeout(50)


def outbox_count(page) -> int:
    return int(page.inner_text("[data-outbox-count]"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_households_registered_offline_are_sent_once_when_the_network_returns(
    live_server, page
) -> None:
    from people.tests.personas import build_personas

    build_personas()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")
    page.goto(f"{live_server.url}/people/register/")
    # Once the worker controls the page, the page and its files are kept on the device.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    # Polled with evaluate: a string predicate is run through eval, which the CSP forbids.
    until_true(page, "() => navigator.serviceWorker.controller !== null")
    until_true(
        page,
        "() => caches.open('waystation-pages-v1').then(c => c.match(location.pathname))"
        ".then(Boolean)",
    )

    page.context.set_offline(True)
    page.reload()  # from the device's copy: the server cannot be reached
    assert page.locator("#register-form").count() == 1

    fill_member(page, 0, "안", "재수", "M", "1931-05-04")
    page.click("button:has-text('Register')")
    expect(page.locator("[data-outbox-count]")).to_have_text("1")
    assert "saved on this device" in page.inner_text("[data-outbox-status]")

    fill_member(page, 0, "김", "영희", "F", "1934-02-01")
    page.click("#add-member")
    fill_member(page, 1, "김", "철수", "M", "1960-03-03")
    page.click("button:has-text('Register')")
    expect(page.locator("[data-outbox-count]")).to_have_text("2")
    waiting = page.locator("[data-outbox-item][data-status=waiting]")
    assert waiting.count() == 2
    assert "waiting to send" in waiting.first.inner_text()
    assert Person.objects.count() == 0

    # Keep a copy of what is waiting, to send it again later as if the answer had been lost.
    kept = page.evaluate(
        """() => new Promise((resolve) => {
             const open = indexedDB.open('waystation-outbox', 1);
             open.onsuccess = () => {
               const get = open.result.transaction('outbox').objectStore('outbox').getAll();
               get.onsuccess = () => resolve(get.result);
             };
           })"""
    )
    assert len(kept) == 2 and all(record["body"]["client_uuid"] for record in kept)

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-outbox-count]")).to_have_text("0", timeout=20000)
    assert Household.objects.count() == 2
    assert sorted(Person.objects.values_list("given_name_hangul", flat=True)) == [
        "영희",
        "재수",
        "철수",
    ]

    # The same records sent again store nothing twice.
    page.evaluate(
        """(records) => new Promise((resolve) => {
             const open = indexedDB.open('waystation-outbox', 1);
             open.onsuccess = () => {
               const tx = open.result.transaction('outbox', 'readwrite');
               records.forEach((r) => tx.objectStore('outbox').put(r));
               tx.oncomplete = () => resolve(true);
             };
           })""",
        kept,
    )
    page.reload()
    expect(page.locator("[data-outbox-count]")).to_have_text("0", timeout=20000)
    assert Household.objects.count() == 2 and Person.objects.count() == 3
    assert set(Household.objects.values_list("client_uuid", flat=True)) == {
        __import__("uuid").UUID(r["body"]["client_uuid"]) for r in kept
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_offline_edit_that_meets_another_edit_becomes_a_field_by_field_choice(
    live_server, page
) -> None:
    from intake.services import edit_person
    from people.tests.factories import PersonFactory
    from people.tests.personas import build_personas

    personas = build_personas()
    person = PersonFactory(station=personas.onsong, occupation="farmer")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")
    page.goto(f"{live_server.url}/intake/people/{person.pk}/edit/")

    page.context.set_offline(True)
    page.fill("#id_occupation", "cook")
    page.click("button:has-text('Save')")
    expect(page.locator("[data-outbox-count]")).to_have_text("1")
    # Meanwhile someone at the station, online, records another occupation.
    edit_person(
        user=personas["admin"], person=person, base_version=1, changes={"occupation": "miner"}
    )

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("[data-outbox-item][data-status=conflict] a", timeout=20000)
    person.refresh_from_db()
    assert person.occupation == "miner"

    page.click("[data-outbox-item][data-status=conflict] a")
    row = page.locator("tr[data-field=occupation]")
    assert "miner" in row.inner_text() and "cook" in row.inner_text()
    row.locator("input[value=mine]").check()
    page.click("button:has-text('Keep the chosen values')")
    page.wait_for_url(f"{live_server.url}/people/{person.pk}/")
    person.refresh_from_db()
    assert (person.occupation, person.version) == ("cook", 3)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_crossing_recorded_offline_is_sent_once(live_server, page) -> None:
    from people.models import Crossing
    from people.tests.factories import PersonFactory
    from people.tests.personas import build_personas

    personas = build_personas()
    person = PersonFactory(station=personas.onsong)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")
    page.goto(f"{live_server.url}/people/{person.pk}/")

    page.context.set_offline(True)
    form = page.locator("form[action$='/crossing/']")
    form.locator("select[name=direction]").select_option("out")
    form.locator("input[name=crossed_at]").fill("2026-01-02T03:04")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-outbox-count]")).to_have_text("1")
    assert Crossing.objects.filter(person=person, direction="out").count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-outbox-count]")).to_have_text("0", timeout=20000)
    assert Crossing.objects.filter(person=person, direction="out").count() == 1
    person.refresh_from_db()
    assert person.state == "returned"


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_one_registrar_left_waiting_is_never_sent_in_another_ones_name(
    live_server, page
) -> None:
    from people.tests.factories import UserFactory
    from people.tests.personas import build_personas
    from stations.models import StaffProfile

    personas = build_personas()
    colleague = UserFactory(username="registrar-onsong-night")
    StaffProfile.objects.create(user=colleague, role="registrar", station=personas.onsong)

    sign_in(page, live_server, "registrar-onsong")
    page.goto(f"{live_server.url}/people/register/")
    page.context.set_offline(True)
    fill_member(page, 0, "안", "재수", "M", "1931-05-04")
    page.click("button:has-text('Register')")
    expect(page.locator("[data-outbox-count]")).to_have_text("1")

    # The shift changes before the link comes back: the next registrar signs in on this device.
    page.route("**/api/**", lambda route: route.abort())
    page.context.set_offline(False)
    page.context.clear_cookies()
    sign_in(page, live_server, "registrar-onsong-night")
    page.unroute("**/api/**")
    page.goto(f"{live_server.url}/intake/")
    other = page.locator("[data-outbox-item][data-status=other-user]")
    expect(other).to_have_count(1)
    assert "registrar-onsong" in other.inner_text() and "재수" not in other.inner_text()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1500)
    assert committed_households(page) == 0

    # Back under the login that typed it, it is sent, in that registrar's name.
    page.context.clear_cookies()
    sign_in(page, live_server, "registrar-onsong")
    page.goto(f"{live_server.url}/intake/")
    # The count reads 0 in the page as served, before the script has looked at the device:
    # wait for the household on the server instead.
    deadline = time.monotonic() + 20
    while not committed_households(page):
        assert time.monotonic() < deadline, "the waiting household was never sent"
        page.wait_for_timeout(200)
    assert Household.objects.get().registered_by == personas["registrar-onsong"]
    expect(page.locator("[data-outbox-count]")).to_have_text("0")
