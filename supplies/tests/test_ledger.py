"""One entitlement rule for every way goods reach a person (issue 16, item 5): "Issue from
stock" cannot hand out a second blanket or a second month's coupons, an administrator's
written override can, and every issue shows on the person's "Received" list."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from people.audit import AuditEntry
from people.tests.factories import PersonFactory
from supplies import services
from supplies.entitlements import EntitlementRefused, issue_entitlement
from supplies.models import Entitlement, EntitlementIssue, Item, Movement

WINTER_DAY = dt.datetime(1961, 11, 8, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def stocked(personas, blanket) -> None:  # noqa: ANN001
    for code in ("blanket", "ration-coupon", "food-ration"):
        services.receive(
            user=personas["admin"],
            station=personas.onsong,
            item=Item.objects.get(code=code),
            quantity=200,
        )


def test_a_second_blanket_from_stock_is_refused(personas, stocked, blanket) -> None:  # noqa: ANN001
    clerk = personas["supplies-onsong"]
    person = PersonFactory(station=personas.onsong)
    services.issue(user=clerk, person=person, item=blanket, quantity=1, at=WINTER_DAY)
    # The stock issue paid the winter's blanket: the entitlement is no longer due either.
    paid = EntitlementIssue.objects.get(person=person)
    assert paid.period_key == "winter-1961" and paid.movement.quantity == -1
    later = WINTER_DAY + dt.timedelta(days=30)
    with pytest.raises(EntitlementRefused, match="already received for winter-1961"):
        services.issue(user=clerk, person=person, item=blanket, quantity=1, at=later)
    blanket_line = Entitlement.objects.get(category=person.category, code="blanket")
    with pytest.raises(EntitlementRefused, match="already received"):
        issue_entitlement(user=clerk, person=person, entitlement=blanket_line, at=later)
    assert services.balance(personas.onsong, blanket) == 199


def test_stock_cannot_follow_the_entitlement_button(personas, stocked) -> None:  # noqa: ANN001
    clerk = personas["supplies-onsong"]
    person = PersonFactory(station=personas.onsong, state="placed")
    coupons = Entitlement.objects.get(category=person.category, code="ration-coupons")
    issue_entitlement(user=clerk, person=person, entitlement=coupons, at=WINTER_DAY)
    with pytest.raises(EntitlementRefused, match="already received for 1961-11"):
        services.issue(
            user=clerk,
            person=person,
            item=coupons.item,
            quantity=30,
            reason="second month",
            at=WINTER_DAY + dt.timedelta(days=2),
        )
    # Next month is a new period.
    services.issue(
        user=clerk,
        person=person,
        item=coupons.item,
        quantity=30,
        at=WINTER_DAY + dt.timedelta(days=30),
    )
    assert list(
        EntitlementIssue.objects.filter(person=person).values_list("period_key", flat=True)
    ) == ["1961-12", "1961-11"]


def test_only_an_administrator_overrides_and_only_with_a_reason(personas, stocked, blanket) -> None:  # noqa: ANN001,E501
    clerk, admin = personas["supplies-onsong"], personas["admin"]
    person = PersonFactory(station=personas.onsong)
    services.issue(user=clerk, person=person, item=blanket, quantity=1, at=WINTER_DAY)
    with pytest.raises(PermissionDenied):
        services.issue(
            user=clerk,
            person=person,
            item=blanket,
            quantity=1,
            at=WINTER_DAY,
            override_reason="lost in the river",
        )
    with pytest.raises(EntitlementRefused):
        services.issue(
            user=admin, person=person, item=blanket, quantity=1, at=WINTER_DAY, override_reason=" "
        )
    services.issue(
        user=admin,
        person=person,
        item=blanket,
        quantity=1,
        at=WINTER_DAY,
        override_reason="Blanket lost when the tent flooded",
    )
    second = EntitlementIssue.objects.get(person=person, override_by__isnull=False)
    assert (second.override_reason, second.override_by) == (
        "Blanket lost when the tent flooded",
        admin,
    )
    audit = AuditEntry.objects.get(action=AuditEntry.Action.OVERRIDE)
    assert audit.person == person and audit.reason == "Blanket lost when the tent flooded"


def test_the_override_and_every_stock_issue_show_on_the_received_list(
    personas, stocked, blanket
) -> None:  # noqa: ANN001,E501
    person = PersonFactory(station=personas.onsong)
    clerk = personas.client_for("supplies-onsong")
    admin = personas.client_for("admin")
    url = f"/supplies/people/{person.pk}/issue/"
    food = Item.objects.get(code="food-ration")
    clerk.post(url, {"issue-item": food.pk, "issue-quantity": 3, "issue-reason": "Journey"})
    clerk.post(url, {"issue-item": blanket.pk, "issue-quantity": 1, "issue-reason": ""})
    refused = clerk.post(
        url, {"issue-item": blanket.pk, "issue-quantity": 1, "issue-reason": ""}, follow=True
    )
    assert "already received" in refused.content.decode()
    admin.post(
        url,
        {
            "issue-item": blanket.pk,
            "issue-quantity": 1,
            "issue-reason": "",
            "issue-override_reason": "Burnt in the stove fire",
        },
    )
    assert Movement.objects.filter(kind="issue", item=blanket).count() == 2
    page = admin.get(f"/people/{person.pk}/").content.decode()
    received = page[page.index('data-testid="received"') :]
    received = received[: received.index("</ul>")]
    assert received.count('data-testid="received-row"') == 3
    assert "Food ration" in received and "Journey" in received
    assert "override by admin: Burnt in the stove fire" in received
    assert 'name="issue-override_reason"' in page
    clerk_page = clerk.get(f"/people/{person.pk}/").content.decode()
    assert 'name="issue-override_reason"' not in clerk_page
