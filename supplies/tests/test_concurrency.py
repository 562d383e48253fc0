"""Concurrent requests at the last units of stock and at one entitlement (PostgreSQL only:
SQLite lets one writer in at a time, so there is no race to test there)."""

import threading

import pytest
from django.db import close_old_connections, connection

from people.tests.factories import PersonFactory
from people.tests.personas import build_personas
from supplies import entitlements, services
from supplies.models import Entitlement, EntitlementIssue, Item, Movement

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _skip_unless_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises every write transaction, so concurrent "
            "requests cannot race (run with DATABASE_URL=postgres://...)"
        )


def _race(workers: int, work) -> tuple[int, int]:  # noqa: ANN001
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            work(index)
            outcomes.append("ok")
        except services.StockRefused:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes.count("ok"), outcomes.count("refused")


def test_concurrent_issues_at_the_last_units_of_stock() -> None:
    _skip_unless_postgres()
    personas = build_personas()
    clerk = personas["supplies-onsong"]
    blanket = Item.objects.get(code="blanket")
    services.receive(user=clerk, station=personas.onsong, item=blanket, quantity=5)
    people = [PersonFactory(station=personas.onsong) for _ in range(12)]

    ok, refused = _race(
        12, lambda i: services.issue(user=clerk, person=people[i], item=blanket, quantity=1)
    )

    assert (ok, refused) == (5, 7)
    assert services.balance(personas.onsong, blanket) == 0
    chain = Movement.objects.filter(station=personas.onsong, item=blanket).order_by("seq")
    assert [m.balance_after for m in chain] == [5, 4, 3, 2, 1, 0]


def test_concurrent_payments_of_one_entitlement_pay_it_once() -> None:
    _skip_unless_postgres()
    personas = build_personas()
    clerk = personas["supplies-onsong"]
    blanket = Item.objects.get(code="blanket")
    services.receive(user=clerk, station=personas.onsong, item=blanket, quantity=50)
    person = PersonFactory(station=personas.onsong)
    line = Entitlement.objects.get(category=person.category, code="blanket")
    at = "1961-11-08T10:00:00+09:00"

    ok, refused = _race(
        8,
        lambda i: entitlements.issue_entitlement(
            user=clerk, person=person, entitlement=line, at=_parse(at)
        ),
    )

    assert (ok, refused) == (1, 7)
    assert EntitlementIssue.objects.filter(person=person).count() == 1
    assert services.balance(personas.onsong, blanket) == 49


def _parse(value: str):  # noqa: ANN202
    import datetime as dt

    return dt.datetime.fromisoformat(value)
