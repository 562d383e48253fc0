"""Stock movements added up per UTC day, kept by a database trigger."""

from django.db import models


class DailyMovement(models.Model):
    """The units of an item that moved in one way (received, issued, ...) at a station on a
    UTC day. Kept by a database trigger on every movement of the append-only ledger, so the
    situation report's blankets received and handed out add up a few hundred rows instead of
    every movement since the station opened. Never written by the application.

    `slot` spreads one day's counter over several rows on PostgreSQL, as the step counts do,
    so issues at one station do not queue behind each other's counter update."""

    day = models.DateField()
    station = models.ForeignKey(
        "stations.Station", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    item = models.ForeignKey(
        "supplies.Item", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    kind = models.CharField(max_length=16)
    slot = models.PositiveSmallIntegerField(default=0)
    quantity = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["station", "item", "day", "kind", "slot"], name="daily_movement_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.station_id} {self.item_id} {self.kind}: {self.quantity}"
