"""In Chromium, each role uses the household card on a member's page: the medical officer
admits a household of three to quarantine in one action, the supplies clerk issues it
everything due, the registrar asks for travel passes for the members chosen."""

import datetime as dt

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "secret-pass-123"


def sign_in(page, url: str, username: str) -> None:  # noqa: ANN001
    """Sign in as `username`, after whoever was signed in before."""
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def household_states(page) -> list[str]:  # noqa: ANN001
    """The journey state of each member, as the card's table shows it."""
    rows = page.locator("[data-testid=household-panel] tbody tr")
    return [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_medical_officer_admits_and_the_clerk_supplies_a_household_from_the_card(
    live_server, page
) -> None:
    from health.models import QuarantineStay
    from health.tests.helpers import household_of
    from people.tests.personas import build_personas
    from supplies import services as supplies
    from supplies.models import EntitlementIssue, Item
    from supplies.policy import ensure_policy

    personas = build_personas()
    members = household_of(personas.onsong, 3)
    household = members[0].household
    ensure_policy()
    for item in Item.objects.filter(is_active=True):
        supplies.receive(
            user=personas["supplies-onsong"], station=personas.onsong, item=item, quantity=100
        )

    # the medical officer opens one member's page and admits the whole household
    sign_in(page, live_server.url, "medical-onsong")
    page.goto(f"{live_server.url}/people/{members[1].pk}/")
    assert household_states(page) == ["Identity checked"] * 3
    page.click("[data-testid=household-admit]")
    page.wait_for_url(f"{live_server.url}/people/{members[1].pk}/")
    assert "Admitted 3 members to quarantine." in page.inner_text("main")
    assert household_states(page) == ["In quarantine"] * 3
    assert QuarantineStay.objects.filter(person__household=household).count() == 3
    # nobody waits for quarantine any more: the card offers no second admission
    page.click("[data-testid=household-admit]")
    assert "Nobody of this household is through the files check" in page.inner_text("main")

    # the supplies clerk issues the household what is due, from the head's page
    sign_in(page, live_server.url, "supplies-onsong")
    page.goto(f"{live_server.url}/people/{members[0].pk}/")
    assert page.locator("[data-testid=household-admit]").count() == 0  # not the clerk's work
    page.click("[data-testid=household-issue]")
    page.wait_for_url(f"{live_server.url}/people/{members[0].pk}/")
    issued = EntitlementIssue.objects.filter(person__household=household)
    assert {issue.person_id for issue in issued} == {m.pk for m in members}
    assert f"Issued {issued.count()} entitlements to the household." in page.inner_text("main")
    page.click("[data-testid=household-issue]")
    assert "Nothing is due to this household now." in page.inner_text("main")
    assert EntitlementIssue.objects.filter(person__household=household).count() == issued.count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_registrar_requests_travel_passes_for_the_members_chosen(live_server, page) -> None:
    from django.utils import timezone

    from documents.models import DocumentRequest
    from documents.offices import set_up_province_offices
    from documents.tests.placing import placed_person
    from people.models import Household
    from people.tests.personas import PROVINCE, build_personas

    personas = build_personas()
    set_up_province_offices(
        province=PROVINCE,
        prefix="NH",
        stations=[personas.onsong],
        activated_on=dt.date(2020, 1, 1),
    )
    household = Household.objects.create(station=personas.onsong, created_at=timezone.now())
    placed = [
        placed_person(personas.onsong, household=household, given_name_latin=name)
        for name in ("Jaesu", "Yonghui", "Chol")
    ]
    staying = placed[2]

    sign_in(page, live_server.url, "registrar-onsong")
    page.goto(f"{live_server.url}/people/{placed[0].pk}/")
    card = page.locator("[data-testid=household-panel]")
    card.locator("summary").click()
    card.locator(f"input[name=persons][value='{staying.pk}']").uncheck()
    card.locator("[name=household-document_type]").select_option("TP")
    card.locator("[name=household-destination]").fill("청진 제철소")
    card.locator("[data-testid=household-documents] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/people/{placed[0].pk}/")
    assert "Sent 2 requests to the documents office." in page.inner_text("main")
    requested = set(DocumentRequest.objects.values_list("person_id", flat=True))
    assert requested == {placed[0].pk, placed[1].pk}
