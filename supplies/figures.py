"""Stock figures other pages show (the situation report's blankets): the one query for "received"
and "handed out" of an item, from the ledger's daily sums."""

import datetime as dt

from django.db.models import Q, Sum

from supplies.models import DailyMovement, Movement
from waystation import clock


def received_and_handed_out(
    station_ids: list[int], item_code: str, until: dt.datetime
) -> tuple[int, int]:
    """Units of the item delivered to the stations from outside (receipts; transfers between
    stations are not new stock) and handed to people, before `until`.

    Whole UTC days come from the daily sums the database keeps (supplies_dailymovement); the
    movements of the last, partial day are added up from the ledger itself."""
    cut = clock.utc_midnight(until)
    received = Q(kind=Movement.Kind.RECEIPT)
    handed_out = Q(kind=Movement.Kind.ISSUE)
    whole_days = DailyMovement.objects.filter(
        station_id__in=station_ids, item__code=item_code, day__lt=cut.date()
    ).aggregate(
        received=Sum("quantity", filter=received),
        handed_out=Sum("quantity", filter=handed_out),
    )
    last_day = Movement.objects.filter(
        station_id__in=station_ids, item__code=item_code, at__gte=cut, at__lt=until
    ).aggregate(
        received=Sum("quantity", filter=received),
        handed_out=Sum("quantity", filter=handed_out),
    )
    total_received = (whole_days["received"] or 0) + (last_day["received"] or 0)
    total_handed_out = (whole_days["handed_out"] or 0) + (last_day["handed_out"] or 0)
    return total_received, -total_handed_out
