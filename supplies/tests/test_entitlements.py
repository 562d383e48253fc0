import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from people.audit import AuditEntry
from people.models import Category
from people.states import JourneyState
from people.tests.factories import PersonFactory
from supplies import services
from supplies.entitlements import (
    EntitlementRefused,
    issue_entitlement,
    period_key,
    status_of,
)
from supplies.models import Entitlement, EntitlementIssue, Movement

WINTER_DAY = dt.datetime(1961, 11, 8, 10, 0, tzinfo=dt.UTC)
SUMMER_DAY = dt.datetime(1961, 7, 8, 10, 0, tzinfo=dt.UTC)


def line(category: str, code: str) -> Entitlement:
    return Entitlement.objects.get(category=category, code=code)


@pytest.fixture
def stocked(personas, blanket) -> None:  # noqa: ANN001
    services.receive(
        user=personas["supplies-onsong"], station=personas.onsong, item=blanket, quantity=10
    )


def test_period_keys() -> None:
    assert period_key("once", dt.date(1961, 11, 8)) == "once"
    assert period_key("winter", dt.date(1961, 11, 8)) == "winter-1961"
    assert period_key("winter", dt.date(1962, 2, 1)) == "winter-1961"
    assert period_key("month", dt.date(1961, 11, 8)) == "1961-11"
    assert period_key("week", dt.date(1961, 11, 8)) == "1961-W45"


def test_the_policy_differs_by_category(db) -> None:  # noqa: ANN001
    crosser = line(Category.BORDER_CROSSER, "travel-funds")
    compatriot = line(Category.RETURNING_COMPATRIOT, "travel-funds")
    assert (crosser.amount, compatriot.amount) == (Decimal("20.00"), Decimal("50.00"))
    assert not Entitlement.objects.filter(category="border_crosser", code="winter-clothing")


def test_a_blanket_is_issued_from_stock_once_per_winter(personas, stocked, blanket) -> None:
    clerk = personas["supplies-onsong"]
    person = PersonFactory(station=personas.onsong)
    blanket_line = line(person.category, "blanket")
    issued = issue_entitlement(user=clerk, person=person, entitlement=blanket_line, at=WINTER_DAY)
    assert issued.period_key == "winter-1961" and issued.movement.person == person
    assert services.balance(personas.onsong, blanket) == 9
    with pytest.raises(EntitlementRefused, match="already received for winter-1961"):
        issue_entitlement(
            user=clerk,
            person=person,
            entitlement=blanket_line,
            at=WINTER_DAY + dt.timedelta(days=60),
        )
    assert services.balance(personas.onsong, blanket) == 9
    audit = AuditEntry.objects.get(object_type="supplies.EntitlementIssue")
    assert audit.person == person and audit.detail["period"] == "winter-1961"


def test_the_database_refuses_paying_the_same_period_twice(personas, stocked) -> None:
    person = PersonFactory(station=personas.onsong)
    issued = issue_entitlement(
        user=personas["supplies-onsong"],
        person=person,
        entitlement=line(person.category, "blanket"),
        at=WINTER_DAY,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EntitlementIssue.objects.create(
            person=person,
            entitlement=issued.entitlement,
            period_key=issued.period_key,
            station=personas.onsong,
            at=WINTER_DAY,
        )


def test_a_blanket_in_summer_counts_for_the_coming_winter(personas, stocked) -> None:
    person = PersonFactory(station=personas.onsong)
    blanket_line = line(person.category, "blanket")
    clerk = personas["supplies-onsong"]
    issued = issue_entitlement(user=clerk, person=person, entitlement=blanket_line, at=SUMMER_DAY)
    assert issued.period_key == "winter-1961"
    with pytest.raises(EntitlementRefused, match="already received"):
        issue_entitlement(user=clerk, person=person, entitlement=blanket_line, at=WINTER_DAY)


def test_no_stock_no_blanket(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    with pytest.raises(services.StockRefused, match="0 in stock, 1 asked for"):
        issue_entitlement(
            user=personas["supplies-onsong"],
            person=person,
            entitlement=line(person.category, "blanket"),
            at=WINTER_DAY,
        )
    assert not EntitlementIssue.objects.exists() and not Movement.objects.exists()


def test_travel_funds_are_paid_at_placement_not_before(personas) -> None:
    clerk = personas["supplies-onsong"]
    person = PersonFactory(station=personas.onsong, state=JourneyState.IN_QUARANTINE)
    funds = line(person.category, "travel-funds")
    with pytest.raises(EntitlementRefused, match="not due"):
        issue_entitlement(user=clerk, person=person, entitlement=funds, at=WINTER_DAY)
    person.state = JourneyState.AWAITING_PLACEMENT
    person.save()
    paid = issue_entitlement(user=clerk, person=person, entitlement=funds, at=WINTER_DAY)
    assert (paid.amount, paid.currency, paid.movement) == (Decimal("20.00"), "KPW", None)
    with pytest.raises(EntitlementRefused, match="already received"):
        issue_entitlement(user=clerk, person=person, entitlement=funds, at=WINTER_DAY)


def test_another_categorys_line_is_refused(personas) -> None:
    person = PersonFactory(station=personas.onsong, category=Category.BORDER_CROSSER)
    with pytest.raises(EntitlementRefused, match="not in the policy"):
        issue_entitlement(
            user=personas["supplies-onsong"],
            person=person,
            entitlement=line(Category.RETURNING_COMPATRIOT, "winter-clothing"),
            at=WINTER_DAY,
        )


def test_only_the_persons_station_clerk_pays(personas, stocked) -> None:
    person = PersonFactory(station=personas.onsong)
    with pytest.raises(PermissionDenied):
        issue_entitlement(
            user=personas["supplies-musan"],
            person=person,
            entitlement=line(person.category, "blanket"),
            at=WINTER_DAY,
        )


def test_status_shows_what_was_received_and_what_is_due(personas, stocked) -> None:
    person = PersonFactory(station=personas.onsong, state=JourneyState.IN_QUARANTINE)
    issue_entitlement(
        user=personas["supplies-onsong"],
        person=person,
        entitlement=line(person.category, "blanket"),
        at=WINTER_DAY,
    )
    status = {s.entitlement.code: s for s in status_of(person, WINTER_DAY.date())}
    assert status["blanket"].issued is not None and not status["blanket"].due
    assert status["soap"].due and status["soap"].issued is None
    assert not status["travel-funds"].due and "due at placement" in status["travel-funds"].why_not
