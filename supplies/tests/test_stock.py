import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, connection, transaction

from people.audit import AuditEntry
from supplies import services
from supplies.models import LedgerIsAppendOnly, Movement
from supplies.services import StockRefused, balance


def test_balance_is_the_sum_of_the_ledger(personas, blanket, arrival) -> None:
    clerk = personas["supplies-onsong"]
    services.receive(user=clerk, station=personas.onsong, item=blanket, quantity=10)
    services.issue(user=clerk, person=arrival, item=blanket, quantity=3)
    services.write_off(
        user=clerk, station=personas.onsong, item=blanket, quantity=2, reason="Soaked in flood"
    )
    assert balance(personas.onsong, blanket) == 5
    chain = list(Movement.objects.filter(station=personas.onsong, item=blanket))
    assert [m.seq for m in chain] == [1, 2, 3]
    assert [m.balance_after for m in chain] == [10, 7, 5]
    assert [m.quantity for m in chain] == [10, -3, -2]
    assert services.balances(personas.onsong) == {blanket.pk: 5}


def test_an_issue_beyond_the_balance_is_refused_and_changes_nothing(
    personas, blanket, arrival
) -> None:
    clerk = personas["supplies-onsong"]
    services.receive(user=clerk, station=personas.onsong, item=blanket, quantity=2)
    with pytest.raises(StockRefused, match="2 in stock, 3 asked for"):
        services.issue(user=clerk, person=arrival, item=blanket, quantity=3)
    assert balance(personas.onsong, blanket) == 2
    assert Movement.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 2.5, "3", True])
def test_quantities_must_be_positive_whole_numbers(personas, blanket, quantity) -> None:
    with pytest.raises(StockRefused):
        services.receive(
            user=personas["supplies-onsong"],
            station=personas.onsong,
            item=blanket,
            quantity=quantity,
        )
    assert not Movement.objects.exists()


def test_a_write_off_needs_a_reason(personas, blanket) -> None:
    clerk = personas["supplies-onsong"]
    services.receive(user=clerk, station=personas.onsong, item=blanket, quantity=5)
    with pytest.raises(StockRefused, match="needs a reason"):
        services.write_off(
            user=clerk, station=personas.onsong, item=blanket, quantity=1, reason=" "
        )
    assert balance(personas.onsong, blanket) == 5


def test_a_transfer_moves_stock_between_stations_in_one_step(personas, blanket) -> None:
    clerk = personas["supplies-onsong"]
    services.receive(user=clerk, station=personas.onsong, item=blanket, quantity=8)
    out, into = services.transfer(
        user=clerk, source=personas.onsong, target=personas.musan, item=blanket, quantity=5
    )
    assert (balance(personas.onsong, blanket), balance(personas.musan, blanket)) == (3, 5)
    assert out.transfer_id == into.transfer_id and out.counterpart == personas.musan
    with pytest.raises(StockRefused, match="3 in stock, 4 asked for"):
        services.transfer(
            user=clerk, source=personas.onsong, target=personas.musan, item=blanket, quantity=4
        )
    assert (balance(personas.onsong, blanket), balance(personas.musan, blanket)) == (3, 5)
    with pytest.raises(StockRefused, match="two different stations"):
        services.transfer(
            user=clerk, source=personas.onsong, target=personas.onsong, item=blanket, quantity=1
        )


@pytest.mark.parametrize("name", ["supplies-musan", "registrar-onsong", "auditor", "labour"])
def test_only_the_stations_clerks_and_administrators_move_stock(personas, blanket, name) -> None:
    with pytest.raises(PermissionDenied):
        services.receive(user=personas[name], station=personas.onsong, item=blanket, quantity=1)
    services.receive(user=personas["admin"], station=personas.onsong, item=blanket, quantity=1)
    assert balance(personas.onsong, blanket) == 1


def test_every_movement_is_audited(personas, blanket, arrival) -> None:
    clerk = personas["supplies-onsong"]
    services.receive(user=clerk, station=personas.onsong, item=blanket, quantity=4)
    services.issue(user=clerk, person=arrival, item=blanket, quantity=1)
    services.write_off(user=clerk, station=personas.onsong, item=blanket, quantity=1, reason="Torn")
    entries = AuditEntry.objects.filter(object_type="supplies.Movement").order_by("id")
    assert [e.detail["kind"] for e in entries] == ["receipt", "issue", "write_off"]
    assert entries[1].person == arrival and entries[2].reason == "Torn"
    assert all(e.user == clerk and e.role == "supplies_clerk" for e in entries)


def test_sending_the_same_receipt_twice_stores_it_once(personas, blanket) -> None:
    import uuid

    key = uuid.uuid4()
    clerk = personas["supplies-onsong"]
    first = services.receive(
        user=clerk, station=personas.onsong, item=blanket, quantity=4, client_uuid=key
    )
    again = services.receive(
        user=clerk, station=personas.onsong, item=blanket, quantity=4, client_uuid=key
    )
    assert first.pk == again.pk and balance(personas.onsong, blanket) == 4


def test_ledger_rows_cannot_be_changed_or_deleted(personas, blanket) -> None:
    movement = services.receive(
        user=personas["supplies-onsong"], station=personas.onsong, item=blanket, quantity=4
    )
    with pytest.raises(LedgerIsAppendOnly):
        movement.save()
    with pytest.raises(LedgerIsAppendOnly):
        Movement.objects.filter(pk=movement.pk).update(quantity=400)
    with pytest.raises(LedgerIsAppendOnly):
        movement.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE supplies_movement SET quantity = 400")


def _raw(station, item, seq: int, quantity: int, balance_after: int, kind: str = "receipt"):
    return Movement(
        station=station,
        item=item,
        seq=seq,
        kind=kind,
        quantity=quantity,
        balance_after=balance_after,
        at="2026-01-01T00:00:00Z",
    )


def test_the_database_refuses_a_negative_balance(personas, blanket, arrival) -> None:
    Movement.objects.bulk_create([_raw(personas.onsong, blanket, 1, 2, 2)])
    bad = _raw(personas.onsong, blanket, 2, -3, -1, kind="issue")
    bad.person = arrival
    with pytest.raises(IntegrityError), transaction.atomic():
        Movement.objects.bulk_create([bad])
    assert balance(personas.onsong, blanket) == 2


def test_the_database_refuses_a_broken_chain(personas, blanket) -> None:
    Movement.objects.bulk_create([_raw(personas.onsong, blanket, 1, 2, 2)])
    # a balance that is not the previous balance plus the quantity
    with pytest.raises(DatabaseError), transaction.atomic():
        Movement.objects.bulk_create([_raw(personas.onsong, blanket, 2, 1, 10)])
    # a gap in the chain
    with pytest.raises(DatabaseError), transaction.atomic():
        Movement.objects.bulk_create([_raw(personas.onsong, blanket, 5, 1, 3)])
    # a second movement in the same place of the chain (two racing writers)
    with pytest.raises(DatabaseError), transaction.atomic():
        Movement.objects.bulk_create([_raw(personas.onsong, blanket, 1, 5, 5)])
    assert balance(personas.onsong, blanket) == 2
