"""The files check as the journey's identity step: the registrar's verdicts on a person's
candidates, the step it completes, and merging two records of one person into one (and
undoing it). Registration (people.services) calls these inside its own transaction, so a
household registered through the form, the API, the offline client or an import is checked
the same way.

One person, one record: a person found to be the same as an earlier record is never kept as
a second live record. At registration the new crossing and whatever the form adds go to the
earlier record; a record already stored and found later to be a duplicate is closed as
"merged" into the survivor, its crossings moved over (and moved back if the merge is undone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from identity.check import Candidate, live_check
from identity.links import record_group, root_of
from identity.models import MatchLabel, PersonLink, ReviewItem, Verdict
from people import journey
from people.audit import AuditEntry, record_audit
from people.models import Crossing, JourneyTransition, Person
from people.moves import take_step
from people.records import apply_changes, blanks_filled_by
from people.states import JourneyState
from stations.access import require
from stations.models import StaffProfile
from stations.roles import Role
from waystation import clock

DECIDING_ROLES = frozenset({Role.REGISTRAR, Role.ADMINISTRATOR})
CHECKED_FIELDS = (
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_origin",
    "document_number",
)
# States in which a record is a fresh arrival still at the desk: a merge moves the human's
# other record to where this one is, rather than closing the older one.
AT_THE_DESK = (JourneyState.ARRIVED, JourneyState.REGISTERED)


@dataclass(frozen=True)
class FilesCheck:
    """The registrar's verdicts on one member's candidates (candidate person id -> "same",
    "different" or "unsure"). A client that could not run the live check sends none: every
    candidate the server finds then waits in the station's review queue."""

    verdicts: Mapping[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = [
            _("“%(verdict)s” is not a verdict (same, different or unsure).") % {"verdict": v}
            for v in self.verdicts.values()
            if v not in Verdict.values
        ]
        same = [pk for pk, v in self.verdicts.items() if v == Verdict.SAME]
        if len(same) > 1:
            problems.append(_("A person can be the same as only one earlier record."))
        if problems:
            raise ValidationError({"files_check": problems})

    @property
    def same_as(self) -> int | None:
        return next((pk for pk, v in self.verdicts.items() if v == Verdict.SAME), None)


@dataclass
class MemberCheck:
    """What the files check found for one member being registered, and what was decided."""

    candidates: list[Candidate]
    files_check: FilesCheck
    same_as: Person | None = None

    @property
    def scores(self) -> dict[int, tuple[float, str]]:
        return {c.person.pk: (c.result.score, c.result.band) for c in self.candidates}


def typed_fields(values: Mapping[str, Any] | Any) -> dict[str, Any]:
    """The fields the live check compares, from a form's data, a PersonInput or a Person."""
    get = values.get if isinstance(values, Mapping) else lambda n, d="": getattr(values, n, d)
    return {name: get(name, "") for name in CHECKED_FIELDS}


def check_member(
    values: Mapping[str, Any] | Any, files_check: FilesCheck, exclude: set[int] | None = None
) -> MemberCheck:
    """Run the live check for a member about to be registered and match the verdicts to it.
    Runs before the registration's write lock: scoring is the slow part."""
    _prepared, candidates = live_check(typed_fields(values), exclude=exclude)
    same_as = None
    if files_check.same_as is not None:
        same_as = Person.objects.select_related("station").filter(pk=files_check.same_as).first()
        if same_as is None or same_as.state == JourneyState.MERGED:
            raise ValidationError(
                {"files_check": [_("The earlier record chosen as the same person does not exist.")]}
            )
    return MemberCheck(candidates, files_check, same_as)


def record_verdicts(user: Any, person: Person, check: MemberCheck) -> list[ReviewItem]:
    """Inside the registration's transaction: keep each verdict as a label, queue every
    candidate not decided (or "not sure") for the station's registrars, and take the identity
    step when nothing is left open. Returns the review items opened."""
    now = clock.now()
    scores = check.scores
    decided = {
        int(pk): verdict
        for pk, verdict in check.files_check.verdicts.items()
        if verdict in (Verdict.SAME, Verdict.DIFFERENT) and int(pk) != person.pk
    }
    existing = set(Person.objects.filter(pk__in=decided).values_list("pk", flat=True))
    labels = [
        MatchLabel(
            left=person,
            right_id=pk,
            verdict=verdict,
            score=scores.get(pk, (None, ""))[0],
            band=scores.get(pk, (None, ""))[1][:12],
            origin=ReviewItem.Origin.REGISTRATION,
            decided_by=user,
            decided_at=now,
        )
        for pk, verdict in decided.items()
        if pk in existing
    ]
    MatchLabel.objects.bulk_create(labels)
    own = record_group(person.pk)
    waiting = [
        candidate
        for candidate in check.candidates
        if candidate.person.pk not in decided and candidate.person.pk not in own
    ]
    items = ReviewItem.objects.bulk_create(
        ReviewItem(
            left=person,
            right=candidate.person,
            score=candidate.result.score,
            band=candidate.result.band[:12],
            reasons=[],
            origin=ReviewItem.Origin.REGISTRATION,
            created_at=now,
        )
        for candidate in waiting
        if not _open_item_between(person.pk, candidate.person.pk)
    )
    if labels or items:
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=person,
            person=person,
            reason=_("Files check at registration"),
            detail={"decided": {str(k): v for k, v in decided.items()}, "queued": len(items)},
        )
    if person.state == JourneyState.REGISTERED and not open_items_of(person).exists():
        complete_files_check(user=user, person=person)
    return items


def _open_item_between(left: int, right: int) -> bool:
    return ReviewItem.objects.filter(
        Q(left_id=left, right_id=right) | Q(left_id=right, right_id=left), resolved_at__isnull=True
    ).exists()


def open_items_of(person: Person) -> Any:
    return ReviewItem.objects.filter(
        Q(left=person) | Q(right=person),
        resolved_at__isnull=True,
        origin=ReviewItem.Origin.REGISTRATION,
    )


def undecided_candidates(person: Person) -> list[Candidate]:
    """Candidates the live check finds for a stored person with no verdict either way (the
    members of their household, registered with them, are other people by definition)."""
    own = record_group(person.pk)
    if person.household_id:
        own |= set(
            Person.objects.filter(household_id=person.household_id).values_list("pk", flat=True)
        )
    _prepared, candidates = live_check(typed_fields(person), exclude=own)
    if not candidates:
        return []
    ids = [c.person.pk for c in candidates]
    labelled = set(
        MatchLabel.objects.filter(
            Q(left=person, right_id__in=ids) | Q(right=person, left_id__in=ids),
            verdict__in=(Verdict.SAME, Verdict.DIFFERENT),
        ).values_list("left_id", "right_id")
    )
    decided = {pk for pair in labelled for pk in pair}
    return [c for c in candidates if c.person.pk not in decided]


def files_check_guard(person: Person, target: str, profile: StaffProfile) -> str | None:
    """Nobody passes the identity step while a possible earlier record waits for a verdict."""
    waiting = open_items_of(person).count()
    if not waiting:
        waiting = len(undecided_candidates(person))
    if waiting:
        return ngettext(
            "%(n)d possible earlier record of %(name)s waits for a decision on the files check.",
            "%(n)d possible earlier records of %(name)s wait for a decision on the files check.",
            waiting,
        ) % {"n": waiting, "name": person.display_name}
    return None


def complete_files_check(*, user: Any, person: Person) -> JourneyTransition:
    """Take the identity step: registered -> identity checked, once every candidate of the
    files check has a verdict (the journey's guard refuses it otherwise)."""
    return take_step(
        user=user,
        person=person,
        target=JourneyState.IDENTITY_CHECKED,
        owner=journey.FILES_CHECK,
        reason=_("Files check complete"),
    )


def decide_person(*, user: Any, person: Person, files_check: FilesCheck) -> Person:
    """The registrar's verdicts on the candidates of a person already stored (the person's
    files check page): labels and review items as at registration; "same person" merges this
    record into the earlier one. Returns the record that stands for the person afterwards."""
    require(user, DECIDING_ROLES, station=person.station)
    with transaction.atomic():
        check = check_member(person, files_check, exclude=record_group(person.pk))
        if check.same_as is not None:
            survivor = merge_records(
                user=user,
                person=person,
                into=check.same_as,
                score=check.scores.get(check.same_as.pk, (None, ""))[0],
                reason=_("Same person, decided on the files check"),
            )
            others = {pk: v for pk, v in files_check.verdicts.items() if pk != check.same_as.pk}
            check = check_member(survivor, FilesCheck(others), exclude=record_group(survivor.pk))
            record_verdicts(user, survivor, check)
            return survivor
        record_verdicts(user, person, check)
    return person


# --- merging two records of one person -------------------------------------------------


def choose_survivor(first: Person, second: Person) -> tuple[Person, Person]:
    """(survivor, closed) for two records of one person. The earlier record is kept, unless
    the later one has gone further since (its own quarantine, placement or documents): then
    the record with the most recent step is where the human is, and it is kept."""
    earlier, later = sorted((first, second), key=lambda p: p.pk)
    if later.state in AT_THE_DESK or earlier.state_changed_at >= later.state_changed_at:
        return earlier, later
    return later, earlier


def merge_records(
    *, user: Any, person: Person, into: Person, score: float | None = None, reason: str = ""
) -> Person:
    """Make two records of one person one: the survivor (see choose_survivor) gets the other
    record's crossings and whatever it lacked; the other record is closed as "merged" (its
    quarantine, bed and job end with it). When the closed record was a new arrival at the
    desk, the survivor is registered again where that arrival is. Returns the survivor."""
    require(user, DECIDING_ROLES, station=person.station)
    with transaction.atomic():
        target_id = root_of(into.pk)
        if target_id == root_of(person.pk):
            raise ValidationError(_("These records already belong to one person."))
        first, second = list(
            Person.objects.select_for_update()
            .select_related("station")
            .filter(pk__in=(person.pk, target_id))
            .order_by("pk")
        )
        if JourneyState.MERGED in (first.state, second.state):
            raise ValidationError(_("One of these records was already merged into another."))
        survivor, closed = choose_survivor(first, second)
        filled = blanks_filled_by(
            survivor,
            {n: getattr(closed, n) for n in CHECKED_FIELDS}
            | {
                "occupation": closed.occupation,
                "languages": closed.languages,
            },
        )
        moved = list(Crossing.objects.filter(person=closed).values_list("pk", flat=True))
        undo = {
            "crossings": moved,
            "fields": sorted(filled),
            "state": closed.state,
            "survivor": {"station": survivor.station_id, "household": survivor.household_id},
        }
        link = PersonLink.objects.create(
            person=closed,
            merged_into=survivor,
            score=score,
            reason=reason,
            linked_by=user,
            linked_at=clock.now(),
            undo=undo,
        )
        # the verdict is also a label the weights learn from
        MatchLabel.objects.create(
            left=closed,
            right=survivor,
            verdict=Verdict.SAME,
            score=score,
            origin=ReviewItem.Origin.REGISTRATION,
            decided_by=user,
            decided_at=link.linked_at,
        )
        arrived_later = closed.state_changed_at >= survivor.state_changed_at
        if closed.state in AT_THE_DESK and (arrived_later or survivor.state not in AT_THE_DESK):
            _take_arrivals_place(user, survivor, closed)
        Crossing.objects.filter(pk__in=moved).update(person=survivor)
        if filled:
            apply_changes(user, survivor, filled, _("Added from a merged record"))
        take_step(
            user=user,
            person=closed,
            target=JourneyState.MERGED,
            owner=journey.MERGE,
            reason=reason or _("The same person as record %(pk)d") % {"pk": survivor.pk},
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=link,
            person=survivor,
            reason=reason or _("Linked as the same person"),
            detail={
                "merged": closed.pk,
                "crossings": moved,
                "fields": sorted(filled),
                "score": score,
            },
        )
        _settle_open_items(user, closed, survivor)
    survivor.refresh_from_db()
    return survivor


def _take_arrivals_place(user: Any, survivor: Person, arrival: Person) -> None:
    """The human is at the desk under the other record: the survivor moves to that station
    and household and is registered again there (its stay, bed and job elsewhere end)."""
    from supplies.beds import hand_over_bed

    updates = {"station_id": arrival.station_id, "household_id": arrival.household_id}
    Person.objects.filter(pk=survivor.pk).update(**updates)
    survivor.station, survivor.household_id = arrival.station, arrival.household_id
    if survivor.state != JourneyState.REGISTERED:
        take_step(
            user=user,
            person=survivor,
            target=JourneyState.REGISTERED,
            owner=journey.MERGE,
            reason=_("Registered again: the same person as the new arrival %(pk)d")
            % {"pk": arrival.pk},
        )
    if arrival.household_id:
        from people.models import Household

        Household.objects.filter(pk=arrival.household_id, head_id=arrival.pk).update(
            head_id=survivor.pk
        )
    hand_over_bed(user, arrival, survivor)


def _settle_open_items(user: Any, closed: Person, survivor: Person) -> None:
    """Open review items of the closed record now concern the survivor; the pair just merged
    is settled. The survivor's identity step follows when nothing is left open."""
    now = clock.now()
    ReviewItem.objects.filter(
        Q(left=closed, right=survivor) | Q(left=survivor, right=closed), resolved_at__isnull=True
    ).update(resolved_at=now, resolved_by=user, verdict=Verdict.SAME)
    if survivor.state == JourneyState.REGISTERED and not open_items_of(survivor).exists():
        survivor.refresh_from_db()
        if not open_items_of(closed).exists() and not files_check_guard(
            survivor,
            JourneyState.IDENTITY_CHECKED,
            None,  # type: ignore[arg-type]
        ):
            complete_files_check(user=user, person=survivor)


def unmerge_records(*, user: Any, link: PersonLink, reason: str) -> PersonLink:
    """Undo a merge: the closed record stands again, in the state it had, with its crossings
    back; what it added to the survivor is taken off again if nobody changed it since. Steps
    taken since the merge stay as they are."""
    require(user, {Role.ADMINISTRATOR}, station=link.person.station)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why the link is undone."))
    undone_at = clock.now()
    with transaction.atomic():
        updated = PersonLink.objects.filter(pk=link.pk, undone_at__isnull=True).update(
            undone_at=undone_at, undone_by=user, undo_reason=reason
        )
        if not updated:
            raise ValidationError(_("This link was already undone."))
        link.refresh_from_db()
        undo = link.undo or {}
        Crossing.objects.filter(pk__in=undo.get("crossings", [])).update(person=link.person_id)
        closed = Person.objects.select_for_update().get(pk=link.person_id)
        survivor = Person.objects.select_for_update().get(pk=link.merged_into_id)
        restore = {
            name: type(getattr(survivor, name))()
            for name in undo.get("fields", [])
            if getattr(survivor, name) == getattr(closed, name)
        }
        if restore:
            apply_changes(user, survivor, restore, _("Merge undone"))
        place = undo.get("survivor") or {}
        if place.get("station") and survivor.household_id == closed.household_id:
            # the survivor had taken the arrival's place: it goes back where it was
            Person.objects.filter(pk=survivor.pk).update(
                station_id=place["station"], household_id=place.get("household")
            )
        if closed.state == JourneyState.MERGED and undo.get("state"):
            before = JourneyState(undo["state"])
            take_step(
                user=user,
                person=closed,
                target=journey.RESTORED_AS.get(before, before),
                owner=journey.UNMERGE,
                reason=reason,
            )
        MatchLabel.objects.create(
            left_id=link.person_id,
            right_id=link.merged_into_id,
            verdict=Verdict.DIFFERENT,
            origin="unlink",
            decided_by=user,
            decided_at=undone_at,
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=link,
            person=closed,
            reason=reason,
            detail={"undone": True, "merged_into": link.merged_into_id},
        )
    return link


def checked_candidates(user: Any, typed: Mapping[str, Any]) -> list[Candidate]:
    """The live check as a registrar runs it (page or API): the earlier records for what was
    typed, best first, with the check written to the audit log (which records it showed)."""
    if not any(typed.get(name) for name in CHECKED_FIELDS[:6]):
        return []
    _prepared, candidates = live_check(typed_fields(typed))
    record_audit(
        user=user,
        action=AuditEntry.Action.SEARCH,
        reason=_("Files check"),
        detail={"shown": [c.person.pk for c in candidates]},
    )
    return candidates
