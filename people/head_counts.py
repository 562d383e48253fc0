"""How many people of each station are in each journey state, kept by the database.

A station's page, the stations overview and the person list's state links show these
figures; counting them from the registry read every one of a station's 300,000 people at a
million persons (50-90 ms on PostgreSQL, more on SQLite, and the whole registry for the
overview). Triggers on people_person (migration 0015) keep one row per station, state and
slot instead, in the same transaction as the change, so the figure is never stale."""

from collections.abc import Iterable
from contextlib import AbstractContextManager

from django.db import models
from django.db.models import Sum

from waystation.triggers import set_aside


class HeadCount(models.Model):
    """People of a station in a journey state: the sum over the slots. Never written by the
    application. `slot` spreads a busy counter over rows on PostgreSQL, so registrations at
    one station do not queue behind each other's counter update until they commit."""

    station = models.ForeignKey(
        "stations.Station", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    state = models.CharField(max_length=24)
    slot = models.PositiveSmallIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        app_label = "people"
        constraints = [
            models.UniqueConstraint(fields=["station", "state", "slot"], name="head_count_key"),
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.state}: {self.n}"


def head_counts(station_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """People per station and journey state, as the registry holds them now."""
    counts: dict[int, dict[str, int]] = {station_id: {} for station_id in station_ids}
    rows = (
        HeadCount.objects.filter(station_id__in=list(counts))
        .values("station_id", "state")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for row in rows:
        if row["n"]:
            counts[row["station_id"]][row["state"]] = row["n"]
    return counts


# Sets every counter to the registry's count (zero where nobody is left), whatever was
# written while the triggers were set aside: inserts, state changes and deletions alike.
# The parameter (the last id before the block) is not needed by a full recount. The three
# triggers share it, so it runs once.
RECOUNT = """
    INSERT INTO people_headcount (station_id, state, slot, n)
    SELECT station_id, state, 0, sum(n) FROM (
      SELECT station_id, state, count(*) AS n FROM people_person GROUP BY 1, 2
      UNION ALL
      SELECT station_id, state, 0 FROM people_headcount WHERE %s IS NOT NULL
    ) AS counted
    GROUP BY 1, 2
    ON CONFLICT (station_id, state, slot) DO UPDATE SET n = excluded.n
"""
COUNTED = tuple(
    (trigger, "people_person", RECOUNT)
    for trigger in ("people_count_new", "people_count_change", "people_count_gone")
)


def counted_once_afterwards() -> AbstractContextManager[None]:
    """The demo's bulk load writes a million people with the counting triggers set aside
    (SQLite) and counts them once at the end."""
    return set_aside(COUNTED)
