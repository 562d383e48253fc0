"""Business rules for people: registration, crossings and moves along the journey.

Views, the API and commands call these functions; none of them writes a person directly.
"""

import datetime as dt
import hashlib
import json
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people import journey
from people.audit import AuditEntry, record_audit, record_audits
from people.extensions import guard_failures, notify_transition, persons_saved
from people.models import (
    Category,
    Crossing,
    DatePrecision,
    EducationLevel,
    Household,
    JourneyTransition,
    Person,
    PersonName,
    Sex,
)
from people.names import name_forms_of
from people.states import JourneyState
from stations.access import can_see_station, staff_profile_of
from stations.models import StaffProfile, Station
from stations.roles import Role

MAX_HOUSEHOLD_SIZE = 30
REGISTERING_ROLES = frozenset({Role.REGISTRAR, Role.ADMINISTRATOR})


class IdempotencyConflict(Exception):
    """The same client UUID was sent before with different content."""


@dataclass
class PersonInput:
    family_name_hangul: str = ""
    given_name_hangul: str = ""
    family_name_hanzi: str = ""
    given_name_hanzi: str = ""
    family_name_latin: str = ""
    given_name_latin: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    birth_date_precision: str = DatePrecision.DAY
    place_of_origin: str = ""
    education_level: str = EducationLevel.NONE
    education_years: int = 0
    occupation: str = ""
    languages: list[str] = field(default_factory=list)
    category: str = Category.BORDER_CROSSER
    client_uuid: uuid.UUID | None = None


def _clean_text(value: Any, limit: int, name: str, errors: dict[str, list[str]]) -> str:
    text = " ".join(str(value or "").split())
    # C0/C1 controls and lone surrogates (valid in JSON, not storable as UTF-8) are refused.
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        errors.setdefault(name, []).append(_("Control characters are not allowed."))
    if len(text) > limit:
        errors.setdefault(name, []).append(_("At most %(limit)d characters.") % {"limit": limit})
    return text


def validate_person(data: PersonInput, today: dt.date | None = None) -> PersonInput:
    """Return a cleaned copy or raise ValidationError with errors per field."""
    errors: dict[str, list[str]] = {}
    today = today or timezone.localdate()
    limits = {"family_name_latin": 80, "given_name_latin": 80, "place_of_origin": 200}
    cleaned = replace(data, languages=list(data.languages or []))
    for name in (
        "family_name_hangul",
        "given_name_hangul",
        "family_name_hanzi",
        "given_name_hanzi",
        "family_name_latin",
        "given_name_latin",
        "place_of_origin",
        "occupation",
    ):
        setattr(
            cleaned,
            name,
            _clean_text(
                getattr(data, name), limits.get(name, 60 if "name" in name else 120), name, errors
            ),
        )
    if not any(
        getattr(cleaned, n)
        for n in (
            "family_name_hangul",
            "given_name_hangul",
            "family_name_hanzi",
            "given_name_hanzi",
            "family_name_latin",
            "given_name_latin",
        )
    ):
        errors.setdefault("family_name_hangul", []).append(
            _("Give the name in at least one script (Hangul, Hanzi or Latin letters).")
        )
    if cleaned.sex not in Sex.values:
        errors.setdefault("sex", []).append(_("Choose the sex."))
    if cleaned.birth_date_precision not in DatePrecision.values:
        errors.setdefault("birth_date_precision", []).append(_("Unknown precision."))
    elif cleaned.birth_date_precision == DatePrecision.UNKNOWN:
        cleaned.birth_date = None
    elif cleaned.birth_date is None:
        errors.setdefault("birth_date", []).append(
            _("Give the date of birth, or mark it as unknown.")
        )
    elif cleaned.birth_date > today:
        errors.setdefault("birth_date", []).append(_("The date of birth is in the future."))
    elif cleaned.birth_date.year < today.year - 120:
        errors.setdefault("birth_date", []).append(_("The date of birth is too long ago."))
    if cleaned.education_level not in EducationLevel.values:
        errors.setdefault("education_level", []).append(_("Unknown education level."))
    if not isinstance(cleaned.education_years, int) or not 0 <= cleaned.education_years <= 30:
        errors.setdefault("education_years", []).append(_("Between 0 and 30 years."))
    if cleaned.category not in Category.values:
        errors.setdefault("category", []).append(_("Unknown category."))
    languages = [_clean_text(code, 20, "languages", errors) for code in cleaned.languages or []]
    cleaned.languages = [code for code in languages if code][:10]
    if errors:
        raise ValidationError(errors)
    return cleaned


def submission_hash(payload: Any) -> str:
    body = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _require_role(user: Any, roles: frozenset[Role]) -> StaffProfile:
    profile = staff_profile_of(user)
    if profile is None or profile.role not in roles:
        raise PermissionDenied(_("Your role may not do this."))
    return profile


def _require_station(profile: StaffProfile, station: Station) -> None:
    if not can_see_station(profile, station):
        raise PermissionDenied(_("You work at another station."))


def _create_people(
    members: list[PersonInput],
    station: Station,
    household: Household | None,
    user: Any,
    now: dt.datetime,
    crossed_at: dt.datetime,
) -> list[Person]:
    """Create arriving people with their first two steps, name forms, inward crossing and
    audit entries, a handful of bulk queries whatever the household's size."""
    profile = staff_profile_of(user)
    role = profile.role if profile else ""
    people = Person.objects.bulk_create(
        [
            Person(
                **{k: v for k, v in vars(member).items() if k != "client_uuid"},
                client_uuid=member.client_uuid or uuid.uuid4(),
                household=household,
                station=station,
                state=JourneyState.REGISTERED,
                state_changed_at=now,
                registered_by=user,
                created_at=now,
            )
            for member in members
        ]
    )
    steps = (("", JourneyState.ARRIVED), (JourneyState.ARRIVED, JourneyState.REGISTERED))
    JourneyTransition.objects.bulk_create(
        JourneyTransition(person=p, from_state=a, to_state=b, by=user, by_role=role, at=now)
        for p in people
        for a, b in steps
    )
    PersonName.objects.bulk_create(form for p in people for form in name_forms_of(p))
    Crossing.objects.bulk_create(
        Crossing(
            person=p,
            station=station,
            direction=Crossing.Direction.IN,
            crossed_at=crossed_at,
            recorded_by=user,
            created_at=now,
        )
        for p in people
    )
    record_audits(user, AuditEntry.Action.CREATE, people, reason=_("Registered on arrival"))
    persons_saved(people)
    return people


def register_household(
    *,
    user: Any,
    station: Station,
    members: list[PersonInput],
    head_index: int = 0,
    client_uuid: uuid.UUID | None = None,
    crossed_at: dt.datetime | None = None,
) -> tuple[Household, bool]:
    """Register a household that arrived together: every member gets an inward crossing and
    starts the journey as registered. Returns (household, created); sending the same client
    UUID again returns the first household untouched."""
    profile = _require_role(user, REGISTERING_ROLES)
    _require_station(profile, station)
    if not members:
        raise ValidationError({"members": [_("A household has at least one member.")]})
    if len(members) > MAX_HOUSEHOLD_SIZE:
        raise ValidationError(
            {"members": [_("At most %(n)d members.") % {"n": MAX_HOUSEHOLD_SIZE}]}
        )
    if not 0 <= head_index < len(members):
        raise ValidationError({"head_index": [_("The head must be one of the members.")]})
    now = timezone.now()
    requested_crossing = crossed_at.isoformat() if crossed_at else None
    crossed_at = crossed_at or now
    if crossed_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"crossed_at": [_("The crossing time is in the future.")]})
    cleaned, member_errors = [], {}
    for index, member in enumerate(members):
        try:
            cleaned.append(validate_person(member))
        except ValidationError as error:
            member_errors[f"members.{index}"] = [
                f"{name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]
    if member_errors:
        raise ValidationError(member_errors)
    client_uuid = client_uuid or uuid.uuid4()
    digest = submission_hash(
        {
            "station": station.pk,
            "members": [vars(m) for m in cleaned],
            "head": head_index,
            "crossed_at": requested_crossing,
        }
    )
    return _create_once(
        Household,
        client_uuid,
        digest,
        lambda: _create_household(
            user, station, cleaned, head_index, client_uuid, digest, crossed_at, now
        ),
    )


def _same_submission(existing: Any, digest: str) -> Any:
    if existing.submission_hash and existing.submission_hash != digest:
        raise IdempotencyConflict(
            _("This submission's identifier was already used for different content.")
        )
    return existing


def _create_once(
    model: type[models.Model], client_uuid: uuid.UUID, digest: str, create: Callable[[], Any]
) -> tuple[Any, bool]:
    """Create a client's submission once: a resend of the same content gets the first record
    back, other content under the same UUID is a conflict. Returns (record, created)."""
    existing = model.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return _same_submission(existing, digest), False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        # Another request with the same UUID won the race: answer as if it had been us.
        existing = model.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _same_submission(existing, digest), False


def _create_household(
    user: Any,
    station: Station,
    members: list[PersonInput],
    head_index: int,
    client_uuid: uuid.UUID,
    digest: str,
    crossed_at: dt.datetime,
    now: dt.datetime,
) -> Household:
    household = Household.objects.create(
        client_uuid=client_uuid,
        submission_hash=digest,
        station=station,
        registered_by=user,
        created_at=now,
    )
    people = _create_people(members, station, household, user, now, crossed_at)
    household.head = people[head_index]
    household.save(update_fields=["head"])
    return household


def add_person(
    *,
    user: Any,
    station: Station,
    data: PersonInput,
    household: Household | None = None,
    crossed_at: dt.datetime | None = None,
) -> tuple[Person, bool]:
    """Register one person (alone or joining an existing household), idempotently."""
    profile = _require_role(user, REGISTERING_ROLES)
    _require_station(profile, station)
    if household is not None and household.station_id != station.pk:
        raise ValidationError({"household": [_("The household is registered at another station.")]})
    cleaned = validate_person(data)
    now = timezone.now()
    requested_crossing = crossed_at.isoformat() if crossed_at else None
    crossed_at = crossed_at or now
    if crossed_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"crossed_at": [_("The crossing time is in the future.")]})
    client_uuid = cleaned.client_uuid or uuid.uuid4()
    cleaned.client_uuid = client_uuid
    digest = submission_hash(
        {
            "station": station.pk,
            "person": vars(cleaned),
            "household": household.pk if household else None,
            "crossed_at": requested_crossing,
        }
    )

    def create() -> Person:
        (person,) = _create_people([cleaned], station, household, user, now, crossed_at)
        Person.objects.filter(pk=person.pk).update(submission_hash=digest)
        person.submission_hash = digest
        if household is not None and household.head_id is None:
            household.head = person
            household.save(update_fields=["head"])
        return person

    return _create_once(Person, client_uuid, digest, create)


def move_person(
    *,
    user: Any,
    person: Person,
    target: str,
    reason: str = "",
    override: bool = False,
    at: dt.datetime | None = None,
) -> JourneyTransition:
    """Take one step of the journey, or force one with a written reason (an override)."""
    profile = staff_profile_of(user)
    if profile is None:
        raise PermissionDenied(_("Only staff may change a person's journey."))
    _require_station(profile, person.station)
    reason = " ".join((reason or "").split())
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("At most %(limit)d characters.") % {"limit": 2000}]})
    if target not in JourneyState.values:
        raise ValidationError({"target": [_("Unknown journey state.")]})
    try:
        return _take_step(user, profile, person, target, reason, override, at)
    except journey.TransitionRefused as refusal:
        # Recorded outside the refused step's transaction, which has been rolled back.
        record_audit(
            user=user,
            action=AuditEntry.Action.REFUSED,
            obj=person,
            person=person,
            reason=str(refusal),
            detail={"from": person.state, "to": target},
        )
        raise


def _take_step(
    user: Any,
    profile: StaffProfile,
    person: Person,
    target: str,
    reason: str,
    override: bool,
    at: dt.datetime | None,
) -> JourneyTransition:
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        approval = journey.check_transition(
            locked.state, target, profile.role, reason if override else ""
        )
        problems = guard_failures(locked, target, profile)
        if problems and not (override and reason):
            raise journey.TransitionRefused(
                " ".join(problems)
                + " "
                + _("An officer with the right may override this with a written reason.")
            )
        if problems:
            approval = journey.Approval(approval.source, approval.target, is_override=True)
        at = at or timezone.now()
        transition = JourneyTransition.objects.create(
            person=locked,
            from_state=locked.state,
            to_state=target,
            by=user,
            by_role=profile.role,
            at=at,
            reason=reason,
            is_override=approval.is_override,
        )
        Person.objects.filter(pk=locked.pk).update(
            state=target, state_changed_at=at, version=locked.version + 1
        )
        action = (
            AuditEntry.Action.OVERRIDE if approval.is_override else AuditEntry.Action.TRANSITION
        )
        record_audit(
            user=user,
            action=action,
            obj=locked,
            person=locked,
            reason=reason,
            detail={"from": approval.source, "to": target},
        )
        locked.state, locked.state_changed_at, locked.version = target, at, locked.version + 1
        notify_transition(user, locked, target)
    person.state, person.state_changed_at, person.version = target, at, locked.version
    return transition


def record_crossing(
    *,
    user: Any,
    person: Person,
    station: Station,
    direction: str,
    crossed_at: dt.datetime,
    note: str = "",
    client_uuid: uuid.UUID | None = None,
) -> tuple[Crossing, bool]:
    """Record a crossing in or out. Going out moves the person to 'returned'; coming back
    after a return starts the journey again at 'arrived' on the same person."""
    profile = _require_role(user, frozenset({Role.REGISTRAR, Role.ADMINISTRATOR}))
    _require_station(profile, station)
    coming_back = person.state == JourneyState.RETURNED and direction == Crossing.Direction.IN
    if not coming_back:
        # A returned person may come back through any station; otherwise the record is local.
        _require_station(profile, person.station)
    if direction not in Crossing.Direction.values:
        raise ValidationError({"direction": [_("Direction is 'in' or 'out'.")]})
    if crossed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"crossed_at": [_("The crossing time is in the future.")]})
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise ValidationError({"note": [_("At most %(limit)d characters.") % {"limit": 500}]})
    client_uuid = client_uuid or uuid.uuid4()
    digest = submission_hash(
        {
            "person": person.pk,
            "station": station.pk,
            "direction": direction,
            "at": crossed_at.isoformat(),
            "note": note,
        }
    )

    def create() -> Crossing:
        crossing = Crossing.objects.create(
            client_uuid=client_uuid,
            submission_hash=digest,
            person=person,
            station=station,
            direction=direction,
            crossed_at=crossed_at,
            note=note,
            recorded_by=user,
            created_at=timezone.now(),
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=crossing,
            person=person,
            detail={"direction": direction},
        )
        target = (
            JourneyState.RETURNED if direction == Crossing.Direction.OUT else JourneyState.ARRIVED
        )
        if coming_back and person.station_id != station.pk:
            # The person is now in this station's care.
            Person.objects.filter(pk=person.pk).update(station=station)
            person.station = station
        if journey.step_between(person.state, target) is not None:
            move_person(
                user=user,
                person=person,
                target=target,
                reason=_("Crossing recorded"),
                at=crossed_at,
            )
        return crossing

    return _create_once(Crossing, client_uuid, digest, create)


def log_person_view(user: Any, person: Person, reason: str = "") -> None:
    record_audit(user=user, action=AuditEntry.Action.VIEW, obj=person, person=person, reason=reason)
