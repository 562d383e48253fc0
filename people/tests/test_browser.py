"""A registrar registers a household in a real browser and sees it on the station dashboard."""

import pytest

from people.models import Person

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_registrar_registers_a_household_and_sees_it_on_the_dashboard(live_server, page) -> None:
    from people.tests.personas import build_personas

    build_personas()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")
    assert page.inner_text("[data-testid=present-count]") == "0"

    page.click("text=Register a household")
    # the form's script is deferred: it runs before the load event, and a click before it
    # adds no member
    page.wait_for_url("**/people/register/")
    page.fill("#id_members-0-family_name_hangul", "안")
    page.fill("#id_members-0-given_name_hangul", "재수")
    page.fill("#id_members-0-family_name_latin", "An")
    page.fill("#id_members-0-given_name_latin", "Jae-su")
    page.select_option("#id_members-0-sex", "M")
    page.fill("#id_members-0-birth_date", "1931-05-04")
    page.click("#add-member")
    page.fill("#id_members-1-family_name_hangul", "김")
    page.fill("#id_members-1-given_name_hangul", "영희")
    page.select_option("#id_members-1-sex", "F")
    page.fill("#id_members-1-birth_date", "1934-02-01")
    page.click("button:has-text('Register')")

    page.wait_for_url(f"{live_server.url}/stations/onsong/")
    assert page.inner_text("[data-testid=present-count]") == "2"
    assert "Registered a household of 2." in page.content()
    assert page.locator("text=안재수").count() == 1 and page.locator("text=김영희").count() == 1
    assert set(Person.objects.values_list("given_name_hangul", flat=True)) == {"재수", "영희"}
