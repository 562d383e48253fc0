"""Follow-up after placement: what became of a placed person, recorded by a labour officer.

An outcome is also a step of the person's journey (arrived at work, left the job, moved,
went back across the border); the step is taken through people.services.move_person and the
outcome keeps a link to it. Outcomes are never edited or deleted: a mistaken one is corrected
by a later one, as the journey itself is.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import JourneyTransition, Person
from people.states import JourneyState
from waystation.i18n import in_reader_language


class LeaveReason(models.Model):
    """A reason for leaving a job, from a list the labour office maintains (seeded by a data
    migration); a reason is retired (is_active=False), never deleted."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_en = models.CharField(_("reason (English)"), max_length=120)
    label_ko = models.CharField(_("reason (Korean)"), max_length=120)
    label_zh = models.CharField(_("reason (Chinese)"), max_length=120)
    needs_text = models.BooleanField(_("needs a written explanation"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("reason for leaving a job")
        verbose_name_plural = _("reasons for leaving a job")
        constraints = [
            models.CheckConstraint(condition=~Q(label_en=""), name="leave_reason_has_label"),
        ]

    def __str__(self) -> str:
        return self.localized_label

    @property
    def localized_label(self) -> str:
        return in_reader_language(self.label_en, self.label_ko, self.label_zh)


class Outcome(models.Model):
    class Kind(models.TextChoices):
        ARRIVED_AT_WORK = "arrived_at_work", _("Arrived at work")
        LEFT_JOB = "left_job", _("Left the job")
        MOVED = "moved", _("Moved")
        RETURNED = "returned", _("Went back across the border")

    class Source(models.TextChoices):
        EMPLOYER = "employer", _("Report from the employer")
        VISIT = "visit", _("Visit by a labour officer")
        PERSON = "person", _("The person themselves")
        FAMILY = "family", _("Family or neighbours")
        AUTHORITY = "authority", _("Another authority")

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_detail = models.CharField(_("source details"), max_length=200, blank=True)
    reason = models.ForeignKey(
        LeaveReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("reason for leaving"),
    )
    reason_text = models.CharField(_("explanation"), max_length=500, blank=True)
    transition = models.OneToOneField(
        JourneyTransition, on_delete=models.PROTECT, related_name="outcome"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        indexes = [models.Index(fields=["person", "occurred_at"], name="outcome_person_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["arrived_at_work", "left_job", "moved", "returned"]),
                name="outcome_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["employer", "visit", "person", "family", "authority"]),
                name="outcome_source_known",
            ),
            models.CheckConstraint(
                condition=(Q(kind="left_job") & Q(reason__isnull=False))
                | (~Q(kind="left_job") & Q(reason__isnull=True)),
                name="outcome_reason_only_for_leaving",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


# The journey step each kind of outcome takes.
OUTCOME_STATES = {
    Outcome.Kind.ARRIVED_AT_WORK: JourneyState.AT_WORK,
    Outcome.Kind.LEFT_JOB: JourneyState.LEFT_JOB,
    Outcome.Kind.MOVED: JourneyState.MOVED,
    Outcome.Kind.RETURNED: JourneyState.RETURNED,
}


class Grievance(models.Model):
    """A complaint or an appeal about a decision, followed until it is answered and closed."""

    class Filing(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        APPEAL = "appeal", _("Appeal")

    class Kind(models.TextChoices):
        JOB_ASSIGNMENT = "job_assignment", _("Job assignment")
        GROUP_RETURN = "group_return", _("Group return")
        DOCUMENT_REFUSAL = "document_refusal", _("Document refused")
        OTHER = "other", _("Other decision")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        UNDER_REVIEW = "under_review", _("Under review")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    case_number = models.CharField(_("case number"), max_length=24, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="grievances")
    filing = models.CharField(_("filed as"), max_length=12, choices=Filing.choices)
    kind = models.CharField(_("about"), max_length=20, choices=Kind.choices)
    subject = models.TextField(_("what the person says"), max_length=2000)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    due_on = models.DateField(_("answer due by"))
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"))

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        indexes = [models.Index(fields=["state", "due_on"], name="grievance_state_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["open", "under_review", "answered", "closed"]),
                name="grievance_state_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["job_assignment", "group_return", "document_refusal", "other"]
                ),
                name="grievance_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(filing__in=["complaint", "appeal"]), name="grievance_filing_known"
            ),
            models.CheckConstraint(condition=~Q(subject=""), name="grievance_has_subject"),
            models.CheckConstraint(
                condition=Q(state__in=["open", "under_review"])
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="grievance_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(responsible__isnull=False),
                name="grievance_review_has_officer",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number


class StepCount(models.Model):
    """How many journey steps of each kind (from, to) were taken on a UTC day by people of a
    station. Kept by database triggers on every insert of a step and every change of a
    person's station, so a report for any date adds up a few thousand rows instead of
    scanning millions of steps. Never written by the application.

    `slot` spreads one day's busy counter over several rows on PostgreSQL, so registrations
    at one station do not queue behind each other's counter update until they commit."""

    day = models.DateField()
    station = models.ForeignKey(
        "stations.Station", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    slot = models.PositiveSmallIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "station", "from_state", "to_state", "slot"],
                name="step_count_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.station_id} {self.from_state}->{self.to_state}: {self.n}"


class RetentionFigures(models.Model):
    """The dashboard's retention breakdowns of one area on one day, worked out by the task
    queue's worker: at a province's scale they follow every person who ever started work
    through their later steps, seconds of work a page cannot wait for. The page shows the
    newest figures with the moment they were worked out, and asks for new ones when journey
    steps were taken since (or they are older than RETENTION_FIGURES_MAX_AGE)."""

    scope_key = models.CharField(max_length=200)
    day = models.DateField()
    # [[station id, age group, kind of work, asked for], {"cohort_30": n, "kept_30": n, ...}]
    counts = models.JSONField(default=list, blank=True)
    steps_seen = models.BigIntegerField(default=0)  # the newest journey step counted
    computed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope_key", "day"], name="retention_figures_once"),
        ]

    def __str__(self) -> str:
        return f"{self.scope_key} {self.day}"


class Departure(models.Model):
    """Each journey step out of a job, with the person's station and birth date beside it:
    the situation report counts a station's departures by reason and by the leavers' age from
    an index of these rows alone, without looking up each leaver (74,000 lookups at a million
    persons). Kept by database triggers on every step into "left job" and every change of a
    person's station or birth date. Never written by the application."""

    step = models.OneToOneField(
        "people.JourneyTransition",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    birth_date = models.DateField(null=True)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["station", "at", "reason", "birth_date"], name="departure_by_station"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step_id} {self.station_id} {self.at:%Y-%m-%d}"
