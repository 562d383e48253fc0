import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.states import JourneyState
from people.submissions import NOT_A_SUBMISSION
from stations.models import Station


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / not stated")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact date")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")
    # the year as the person remembers it: compared as within two years
    ABOUT = "about", _("About that year")
    UNKNOWN = "unknown", _("Unknown")


class EducationLevel(models.TextChoices):
    NONE = "none", _("None")
    PRIMARY = "primary", _("Primary school")
    SECONDARY = "secondary", _("Secondary school")
    TECHNICAL = "technical", _("Technical school")
    UNIVERSITY = "university", _("University")


class Category(models.TextChoices):
    BORDER_CROSSER = "border_crosser", _("Border crosser")
    RETURNING_COMPATRIOT = "returning_compatriot", _("Returning compatriot")


class Relationship(models.TextChoices):
    """A member's place in the household, as the head of household would name it."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other relative or companion")


class Household(models.Model):
    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    submission_hash = models.CharField(max_length=64, default=NOT_A_SUBMISSION)
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="households")
    head = models.ForeignKey(
        "Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(
                condition=~Q(submission_hash=""), name="household_submission_hashed"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Household')} {self.pk}"


class Person(models.Model):
    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    submission_hash = models.CharField(max_length=64, default=NOT_A_SUBMISSION)
    family_name_hangul = models.CharField(_("family name (Hangul)"), max_length=60, blank=True)
    given_name_hangul = models.CharField(_("given name (Hangul)"), max_length=60, blank=True)
    family_name_hanzi = models.CharField(_("family name (Hanzi)"), max_length=60, blank=True)
    given_name_hanzi = models.CharField(_("given name (Hanzi)"), max_length=60, blank=True)
    family_name_latin = models.CharField(_("family name (Latin)"), max_length=80, blank=True)
    given_name_latin = models.CharField(_("given name (Latin)"), max_length=80, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("date of birth is"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    place_of_origin = models.CharField(_("place of origin"), max_length=200, blank=True)
    # Not unique: two records carrying one number are exactly what the files check finds.
    # db_default: bulk loaders that insert rows in SQL without this column still work.
    document_number = models.CharField(
        _("resident ID number"),
        max_length=18,
        blank=True,
        default="",
        db_default="",
        help_text=_("The 18-character Chinese resident ID, if the person carries one."),
    )
    # kept as the card shows it although it does not check out (check digit, birth date
    # or sex): the files check still compares it
    document_as_written = models.BooleanField(
        _("ID kept as written on the card"), default=False, db_default=False
    )
    education_level = models.CharField(
        _("education"), max_length=16, choices=EducationLevel.choices, default=EducationLevel.NONE
    )
    education_years = models.PositiveSmallIntegerField(_("years of education"), default=0)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    category = models.CharField(
        _("category"), max_length=24, choices=Category.choices, default=Category.BORDER_CROSSER
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    # empty: not stated (records made before it was asked, or a person alone)
    relationship = models.CharField(
        _("relationship to the head"),
        max_length=8,
        choices=Relationship.choices,
        blank=True,
        default="",
        db_default="",
    )
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="persons")
    state = models.CharField(
        _("journey state"),
        max_length=24,
        choices=JourneyState.choices,
        default=JourneyState.ARRIVED,
    )
    state_changed_at = models.DateTimeField(_("state since"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["station", "state", "id"], name="person_station_state"),
            models.Index(fields=["state", "id"], name="person_state"),
            # A station's newest records first (people.queries.newest_first); with the birth
            # date, the situation report reads a station's people and their ages from it alone.
            models.Index(fields=["station", "id", "birth_date"], name="person_station_newest"),
        ]
        constraints = [
            # A resend is matched against this: an empty hash once matched any content.
            models.CheckConstraint(
                condition=~Q(submission_hash=""), name="person_submission_hashed"
            ),
            models.CheckConstraint(
                condition=~(
                    Q(family_name_hangul="", given_name_hangul="")
                    & Q(family_name_hanzi="", given_name_hanzi="")
                    & Q(family_name_latin="", given_name_latin="")
                ),
                name="person_has_a_name",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=[s.value for s in Sex]), name="person_sex_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in JourneyState]), name="person_state_known"
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in Category]), name="person_category_known"
            ),
            models.CheckConstraint(
                condition=Q(relationship__in=["", *Relationship.values]),
                name="person_relationship_known",
            ),
            models.CheckConstraint(
                condition=Q(education_level__in=[e.value for e in EducationLevel]),
                name="person_education_known",
            ),
            models.CheckConstraint(
                condition=Q(education_years__lte=30), name="person_education_years_plausible"
            ),
            models.CheckConstraint(
                condition=(
                    Q(birth_date_precision=DatePrecision.UNKNOWN) & Q(birth_date__isnull=True)
                )
                | (~Q(birth_date_precision=DatePrecision.UNKNOWN) & Q(birth_date__isnull=False)),
                name="person_birth_date_matches_precision",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        hangul = f"{self.family_name_hangul}{self.given_name_hangul}"
        latin = " ".join(p for p in (self.family_name_latin, self.given_name_latin) if p)
        hanzi = f"{self.family_name_hanzi}{self.given_name_hanzi}"
        return hangul or latin or hanzi

    @property
    def latin_name(self) -> str:
        return " ".join(p for p in (self.family_name_latin, self.given_name_latin) if p)


class PersonName(models.Model):
    """Every searchable form of a person's name, normalised, so search is an index range scan."""

    class Form(models.TextChoices):
        HANGUL = "hangul", _("Hangul")
        HANZI = "hanzi", _("Hanzi")
        LATIN = "latin", _("Latin")
        LATIN_GIVEN_FIRST = "latin_given_first", _("Latin, given name first")
        GIVEN_HANGUL = "given_hangul", _("Given name (Hangul)")
        GIVEN_HANZI = "given_hanzi", _("Given name (Hanzi)")
        GIVEN_LATIN = "given_latin", _("Given name (Latin)")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="name_forms")
    form = models.CharField(max_length=24, choices=Form.choices)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["value"], name="person_name_value")]
        constraints = [
            models.UniqueConstraint(fields=["person", "form"], name="one_name_per_form"),
            models.CheckConstraint(condition=~Q(value=""), name="person_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.form}: {self.value}"


class Crossing(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("Into the province")
        OUT = "out", _("Back across the border")

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    submission_hash = models.CharField(max_length=64, default=NOT_A_SUBMISSION)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="crossings")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="crossings")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    crossed_at = models.DateTimeField(_("crossed at"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    # What the registration at this crossing said, for a person registered again on their
    # earlier record: the record keeps its values, and this keeps what was said this time.
    registered_as = models.JSONField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("crossing")
        verbose_name_plural = _("crossings")
        indexes = [
            models.Index(fields=["person", "crossed_at"], name="crossing_person_time"),
            models.Index(fields=["station", "crossed_at"], name="crossing_station_time"),
            # Arrivals per week are counted as ranges of this index, without reading a row.
            models.Index(
                fields=["station", "direction", "crossed_at"], name="crossing_station_direction"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["in", "out"]), name="crossing_direction_known"
            ),
            models.CheckConstraint(
                condition=~Q(submission_hash=""), name="crossing_submission_hashed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.crossed_at:%Y-%m-%d}"


class JourneyTransition(models.Model):
    """One step of a person's journey: the full history, never rewritten."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=24, choices=JourneyState.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=JourneyState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    by_role = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    is_override = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["person", "at"], name="transition_person_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_override=False) | ~Q(reason=""), name="override_needs_reason"
            ),
            models.CheckConstraint(
                condition=Q(to_state__in=[s.value for s in JourneyState]),
                name="transition_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(from_state=models.F("to_state")), name="transition_changes_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} -> {self.to_state}"


from people.audit import AuditEntry  # noqa: E402,F401  (model lives in its own module)
from people.head_counts import HeadCount  # noqa: E402,F401  (kept by triggers)
