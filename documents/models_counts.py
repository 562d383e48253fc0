"""Documents issued per day, type and holder's station, kept by database triggers."""

from django.db import models


class IssuedCount(models.Model):
    """How many documents of a type were issued on a day to people of a station. Kept by
    database triggers on every issued document and every change of a holder's station, so the
    situation report's travel passes of the last thirty days add up thirty rows instead of
    joining a hundred thousand documents to their holders. Never written by the application.

    `slot` spreads one day's counter over several rows on PostgreSQL, as the step counts do,
    so documents issued at once do not queue behind each other's counter update."""

    issued_on = models.DateField()
    station = models.ForeignKey(
        "stations.Station", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    document_type = models.CharField(max_length=2)
    slot = models.PositiveSmallIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issued_on", "station", "document_type", "slot"],
                name="issued_count_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issued_on} {self.station_id} {self.document_type}: {self.n}"
