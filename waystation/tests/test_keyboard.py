"""A registrar who works with the keyboard alone (no mouse, no touch) signs in, goes to the
registration form, fills in a one-person household, runs the files check, tells the earlier
record it finds apart from the new arrival, and registers: every control is reached with Tab,
shows where the focus is, and is worked with typing, Enter or Space."""

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.browser

MOST_TABS = 120
# the focused element, described for a failure message, and whether it shows the focus
FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  return {
    what: el.tagName + (el.id ? "#" + el.id : "") + (el.name ? "[" + el.name + "]" : "")
      + " " + (el.innerText || el.value || "").trim().slice(0, 40),
    shown: ring || shadow, style: [style.outlineStyle, style.outlineWidth, style.boxShadow],
    onScreen: box.width > 0 && box.height > 0,
  };
}"""


def tab_to(page, selector: str) -> None:  # noqa: ANN001
    """Press Tab until the element matching `selector` has the focus (it may have it
    already: a sign-in page puts it in the first field); each element passed on the way must
    show that it has the focus."""
    if focused(page, selector):
        return
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if focused(page, "body"):
            continue  # past the last control the focus leaves the page for the browser's own
        focus = page.evaluate(FOCUS)
        assert focus["shown"], f"the focus is not shown on {focus}"
        assert focus["onScreen"], f"the focus is on {focus['what']}, which is not on screen"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reached with Tab")


def focused(page, selector: str) -> bool:  # noqa: ANN001
    return page.evaluate("s => document.activeElement.matches(s)", selector)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_registrar_registers_a_household_with_the_keyboard_alone(live_server, page) -> None:
    from identity.tests.helpers import crossing, stored_person
    from people.models import Person
    from people.states import JourneyState as S
    from people.tests.personas import build_personas

    personas = build_personas()
    earlier = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=dt.date(1958, 4, 4),
        station=personas.musan,
    )
    crossing(earlier, days_ago=300)
    keyboard = page.keyboard

    # sign in
    page.goto(f"{live_server.url}/login/")
    tab_to(page, "#id_username")
    keyboard.type("registrar-onsong")
    tab_to(page, "#id_password")
    keyboard.type("secret-pass-123")
    keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")

    # the menu's link to the registration form
    tab_to(page, "nav a[href='/people/register/']")
    keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/people/register/")

    # the first Tab offers to skip the menu; Enter lands in the page's content
    keyboard.press("Tab")
    assert focused(page, "a.skip-link") and page.evaluate(FOCUS)["shown"]
    keyboard.press("Enter")
    assert focused(page, "main")

    # one member: names, sex and date of birth (the browser's own date field, by segments)
    assert page.input_value("#id_station") == str(personas.onsong.pk)  # the registrar's own
    tab_to(page, "#id_members-0-family_name_hangul")
    keyboard.type("안")
    tab_to(page, "#id_members-0-given_name_hangul")
    keyboard.type("재수")
    tab_to(page, "#id_members-0-sex")
    keyboard.type("M")  # a closed list chooses the option its first letters name
    assert page.input_value("#id_members-0-sex") == "M"
    tab_to(page, "#id_members-0-birth_date")
    # typed segment by segment; day and month alike, so British and American order agree
    keyboard.type("04041958")
    assert page.input_value("#id_members-0-birth_date") == "1958-04-04"

    # the files check finds the record kept in Hanzi at Musan; this arrival is someone else
    tab_to(page, "[data-testid=identity-check]")
    keyboard.press("Enter")
    page.locator("[data-testid=candidate]").first.wait_for()
    tab_to(page, "[data-testid=candidate] [data-verdict=different]")
    keyboard.press("Space")
    assert "Recorded as a different person." in page.inner_text("[data-testid=candidate]")

    tab_to(page, "#register-form button[type=submit]")
    keyboard.press("Enter")
    # the browser keeps the skip link's #content through the redirect
    page.wait_for_url(re.compile(r"/stations/onsong/(#content)?$"))
    assert "Registered a household of 1." in page.inner_text("main")
    arrival = Person.objects.exclude(pk=earlier.pk).get()
    assert (arrival.family_name_hangul, arrival.given_name_hangul) == ("안", "재수")
    assert arrival.birth_date == dt.date(1958, 4, 4) and arrival.station == personas.onsong
    # told apart from the earlier record, the arrival is through the files check
    assert arrival.state == S.IDENTITY_CHECKED
