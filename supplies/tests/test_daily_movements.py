"""The blankets the situation report says were received and handed out are added up from the
daily sums the database keeps; they must equal the ledger's own sum at any moment, the last
day's partial hours included."""

import datetime as dt

from django.db.models import Q, Sum

from people.tests.factories import PersonFactory
from supplies import services
from supplies.figures import received_and_handed_out
from supplies.models import Movement

NOON = dt.datetime(1961, 11, 8, 3, 0, tzinfo=dt.UTC)  # midday in Korea


def _ledger(station_ids: list[int], until: dt.datetime) -> tuple[int, int]:
    totals = Movement.objects.filter(
        station_id__in=station_ids, item__code="blanket", at__lt=until
    ).aggregate(
        received=Sum("quantity", filter=Q(kind="receipt")),
        handed_out=Sum("quantity", filter=Q(kind="issue")),
    )
    return totals["received"] or 0, -(totals["handed_out"] or 0)


def test_sums_and_balances_agree_with_the_ledger_at_every_cut(personas, blanket) -> None:  # noqa: ANN001
    onsong, musan = personas.onsong.pk, personas.musan.pk
    services.receive(user=personas["admin"], station=personas.onsong, item=blanket, quantity=50)
    services.receive(user=personas["admin"], station=personas.musan, item=blanket, quantity=7)
    clerk = personas["supplies-onsong"]
    for hours in range(0, 72, 9):  # one blanket each across three days and their midnights
        person = PersonFactory(station=personas.onsong)
        at = NOON + dt.timedelta(hours=hours)
        services.issue(user=clerk, person=person, item=blanket, quantity=1, at=at)
    services.transfer(
        user=personas["supplies-onsong"],
        source=personas.onsong,
        target=personas.musan,
        item=blanket,
        quantity=5,
    )
    far = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    for until in [NOON + dt.timedelta(hours=h) for h in range(0, 80, 5)] + [far]:
        for stations in ([onsong], [musan], [onsong, musan]):
            assert received_and_handed_out(stations, "blanket", until) == _ledger(stations, until)
    # Transfers between stations are neither received nor handed out.
    assert received_and_handed_out([onsong, musan], "blanket", far) == (57, 8)
    # A station's balance, from the same daily sums, is the sum of its whole ledger.
    for station in (personas.onsong, personas.musan):
        ledger = Movement.objects.filter(station=station).aggregate(total=Sum("quantity"))
        assert services.balance(station, blanket) == ledger["total"]
        assert services.balances(station) == {blanket.pk: ledger["total"]}
    assert services.balance(personas.onsong, blanket) == 50 - 8 - 5
    assert services.balance(personas.musan, blanket) == 7 + 5
