"""The files check's records: stored name keys, links between records of one person,
reviewers' labels, the review queue, deduplication runs and the repeat-crossing policy.

Nothing here is deleted or overwritten: a link is undone by stamping undone_at, a review
item is resolved by stamping resolved_at, and every label stays.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from people.models import Person


class PersonKeys(models.Model):
    """Every comparable form of a person's name, as the engine derived it (for display and
    for scoring without deriving again); the blocking keys live in BlockingKey, and again,
    packed, in packed_keys."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, primary_key=True, related_name="identity_keys"
    )
    forms = models.JSONField(default=dict)
    surname_keys = models.CharField(max_length=120, blank=True, db_index=True)
    # The person's blocking keys (BlockingKey) as one value, for the batch (packed_keys.py)
    packed_keys = models.BinaryField(default=b"")
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("name keys")
        verbose_name_plural = _("name keys")

    def __str__(self) -> str:
        return f"keys of {self.person_id}"


class BlockingKey(models.Model):
    """One blocking key of a person, stored as a stable 64-bit hash so the index stays small
    (a collision only adds a candidate, which scoring then rejects)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    key_hash = models.BigIntegerField()
    family = models.CharField(max_length=4)

    class Meta:
        # One index only: the keys are written in bulk for a whole registry, and each
        # extra index would slow that down; replacing a person's keys filters on person,
        # which the foreign key's own index serves.
        indexes = [models.Index(fields=["key_hash", "person"], name="blocking_key_person")]

    def __str__(self) -> str:
        return f"{self.family}:{self.key_hash}"


class PersonLink(models.Model):
    """ "These two records are one person": the closed record (`person`, now "merged")
    points at the survivor. The survivor took the closed record's crossings and the fields
    it lacked; the link remembers which, so undoing it restores the pair."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identity_links")
    merged_into = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="identity_merged"
    )
    score = models.FloatField(null=True, blank=True)
    reason = models.TextField(blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    linked_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)
    # What the merge moved, so that undoing it gives it back: {"crossings": [ids moved to the
    # survivor], "fields": [names the survivor took], "state": the closed record's state,
    # "survivor": {"station": id, "household": id} before it took the arrival's place}.
    undo = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("person link")
        verbose_name_plural = _("person links")
        constraints = [
            models.CheckConstraint(condition=~Q(person=F("merged_into")), name="link_not_to_self"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(undone_at__isnull=True), name="one_active_link"
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True) | ~Q(undo_reason=""), name="undo_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} -> {self.merged_into_id}"


class Verdict(models.TextChoices):
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different people")
    UNSURE = "unsure", _("Not sure")


class MatchLabel(models.Model):
    """A reviewer's verdict on a pair of records: the training data for the weights."""

    left = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    score = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=12, blank=True)
    origin = models.CharField(max_length=16, default="registration")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["left", "right"], name="label_pair")]
        constraints = [
            models.CheckConstraint(condition=~Q(left=F("right")), name="label_two_records"),
            models.CheckConstraint(
                condition=Q(verdict__in=[v.value for v in Verdict]), name="label_verdict_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_id}/{self.right_id}: {self.verdict}"


class DedupRun(models.Model):
    """One batch deduplication of the registry; the page polls its progress."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    stage = models.CharField(max_length=16, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def seconds(self) -> float:
        """The whole run: reading the registry, finding the pairs and storing them (the
        engine's own time alone left out the reading, most of it)."""
        stats = self.stats or {}
        parts = ("seconds_load", "seconds_total", "seconds_store")
        return float(sum(stats.get(part, 0.0) for part in parts))


class ReviewItem(models.Model):
    """A pair waiting for a person to decide: "not sure" at the desk, or a batch finding."""

    class Origin(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        BATCH = "batch", _("Batch deduplication")

    left = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    band = models.CharField(max_length=12)
    reasons = models.JSONField(default=list, blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices)
    run = models.ForeignKey(DedupRun, on_delete=models.PROTECT, null=True, blank=True)
    cluster = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["origin", "resolved_at", "score"], name="review_open"),
            models.Index(fields=["run", "cluster"], name="review_run_cluster"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(left=F("right")), name="review_two_records"),
        ]

    def __str__(self) -> str:
        return f"{self.left_id}/{self.right_id} {self.score:.1f}"


class RepeatCrossingPolicy(models.Model):
    """Who counts as a repeat crosser: more than `threshold` crossings in `period_days`."""

    name = models.CharField(_("name"), max_length=80)
    threshold = models.PositiveSmallIntegerField(_("crossings allowed"))
    period_days = models.PositiveSmallIntegerField(_("within days"))
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("repeat-crossing policy")
        verbose_name_plural = _("repeat-crossing policies")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=1), name="policy_threshold_positive"),
            models.CheckConstraint(condition=Q(period_days__gte=1), name="policy_period_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class MatchModelVersion(models.Model):
    """Weights re-estimated from labels; the newest active one is used by the live check."""

    model = models.JSONField()
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"model {self.pk}"


class CrossingTally(models.Model):
    """How many inward crossings each record has ever had. Kept by database triggers on every
    insert, change (a merge moves crossings to the surviving record) and deletion of a
    crossing, so the repeat crossers of a policy are looked for only among the few records
    that crossed more often than its threshold, not by counting a million persons'
    crossings. Never written by the application."""

    person = models.OneToOneField(
        Person, on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )
    n = models.BigIntegerField(default=0)

    class Meta:
        # The records over a threshold, read from the index alone.
        indexes = [models.Index(fields=["n", "person"], name="crossing_tally_often")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.n}"
