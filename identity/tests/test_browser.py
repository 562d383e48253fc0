"""A registrar types a person in Hangul; the files check shows the earlier record stored in
Hanzi at another station, and the registrar links them before registering."""

import datetime as dt

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_registrar_recognises_a_returning_person_and_registers_them_on_their_record(
    live_server, page
) -> None:
    from identity.tests.helpers import crossing, stored_person
    from people.models import Person
    from people.tests.personas import build_personas

    personas = build_personas()
    earlier = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=dt.date(1958, 4, 12),
        station=personas.musan,
    )
    crossing(earlier, days_ago=300)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/people/register/")
    page.fill("#id_members-0-family_name_hangul", "안")
    page.fill("#id_members-0-given_name_hangul", "재수")
    page.select_option("#id_members-0-sex", "M")
    page.fill("#id_members-0-birth_date", "1958-04-12")
    page.click("[data-testid=identity-check]")

    card = page.locator("[data-testid=candidate]").first
    card.wait_for()
    assert card.locator("[data-testid=candidate-hanzi]").inner_text() == "安在秀"
    assert "Musan" in card.inner_text()
    card.locator("[data-testid=verdict-same]").click()
    assert "earlier record" in card.inner_text()
    page.click("button[type=submit]:has-text('Register')")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")

    # one person, one record: the earlier record came to Onsong with its second crossing
    assert Person.objects.count() == 1
    earlier.refresh_from_db()
    assert earlier.station == personas.onsong and earlier.given_name_hangul == "재수"
    page.goto(f"{live_server.url}/people/{earlier.pk}/")
    history = page.inner_text("[data-testid=crossing-history]")
    assert history.count("Onsong") == 1 and history.count("Musan") == 1
