"""Stock figures other pages show (the situation report's blankets): the one query for "received"
and "handed out" of an item, from the ledger."""

import datetime as dt

from django.db.models import Q, Sum

from supplies.models import Movement


def received_and_handed_out(
    station_ids: list[int], item_code: str, until: dt.datetime
) -> tuple[int, int]:
    """Units of the item delivered to the stations from outside (receipts; transfers between
    stations are not new stock) and handed to people, before `until`."""
    totals = Movement.objects.filter(
        station_id__in=station_ids, item__code=item_code, at__lt=until
    ).aggregate(
        received=Sum("quantity", filter=Q(kind=Movement.Kind.RECEIPT)),
        handed_out=Sum("quantity", filter=Q(kind=Movement.Kind.ISSUE)),
    )
    return totals["received"] or 0, -(totals["handed_out"] or 0)
