"""Active placements counted by the database, for the sites page."""

from django.db import models


class ActivePlacementCount(models.Model):
    """Active placements at a site in a vacancy (`vacancy_key` 0: housed there without a
    post, as dependants are): the sum over the slots. Kept by triggers on labour_placement
    (migration 0009) in the same transaction as every placement made, ended or moved, so the
    sites page reads a few hundred rows instead of the 840,000 active placements of a
    million-person registry (0.28 s on PostgreSQL). Never written by the application.
    `slot` spreads a busy counter over rows on PostgreSQL, as the step counts do."""

    site = models.ForeignKey(
        "labour.Site", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    vacancy_key = models.BigIntegerField(default=0)
    slot = models.PositiveSmallIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "vacancy_key", "slot"], name="active_placement_count_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id}/{self.vacancy_key}: {self.n}"
