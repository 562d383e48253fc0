"""A supplies clerk issues a blanket from the person page in a real browser."""

import pytest

from people.tests.factories import PersonFactory
from supplies.models import EntitlementIssue, Item

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_issues_a_blanket_from_the_person_page(live_server, page) -> None:
    from people.tests.personas import build_personas
    from supplies import services

    personas = build_personas()
    blanket = Item.objects.get(code="blanket")
    services.receive(
        user=personas["supplies-onsong"], station=personas.onsong, item=blanket, quantity=3
    )
    person = PersonFactory(station=personas.onsong)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "supplies-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.click("[data-testid=issue-blanket]")
    page.wait_for_url(f"{live_server.url}/people/{person.pk}/")
    assert "Issued Blanket for the winter" in page.content()
    assert "received on" in page.inner_text("[data-testid=entitlement-blanket]")
    assert page.locator("[data-testid=issue-blanket]").count() == 0
    assert EntitlementIssue.objects.filter(person=person).count() == 1
    assert services.balance(personas.onsong, blanket) == 2
