"""Entitlements by policy: what a person of a category receives and when, issued once per period.

The policy table (models.Entitlement) decides; there is no branch on the category in code.
Goods (a blanket, ration coupons) leave the station's stock as a ledger issue tied to the
person; money (travel funds) is recorded by the issue row itself. Paying the same line twice
in one period is refused here and by the unique constraint on (person, entitlement, period).
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from people.models import Person
from people.states import PRESENT_AT_STATION, JourneyState
from stations.access import require
from supplies.models import DueWhen, Entitlement, EntitlementIssue, Movement, Period
from supplies.services import WRITE_ROLES, StockRefused, _append, _check_item
from waystation import clock

DUE_STATES: dict[str, frozenset[str]] = {
    DueWhen.ARRIVAL: frozenset([*PRESENT_AT_STATION, JourneyState.PLACED]),
    DueWhen.PLACEMENT: frozenset([JourneyState.AWAITING_PLACEMENT, JourneyState.PLACED]),
}


class EntitlementRefused(StockRefused):
    """An entitlement that may not be paid now; the message says why."""


def period_key(period: str, on: dt.date) -> str:
    """The period a payment on `on` counts for. A winter's entitlement year runs from July to
    June (a blanket handed out in August is for the coming winter) and is named by the year
    it starts in."""
    if period == Period.ONCE:
        return "once"
    if period == Period.WINTER:
        return f"winter-{on.year if on.month >= 7 else on.year - 1}"
    if period == Period.MONTH:
        return f"{on:%Y-%m}"
    if period == Period.WEEK:
        year, week, _weekday = on.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"unknown period {period!r}")


@dataclass(frozen=True)
class EntitlementStatus:
    entitlement: Entitlement
    period_key: str
    issued: EntitlementIssue | None
    due: bool
    why_not: str


def policy_for(person: Person) -> list[Entitlement]:
    return list(
        Entitlement.objects.filter(category=person.category, is_active=True).select_related("item")
    )


def _why_not(person: Person, entitlement: Entitlement) -> str:
    if person.state not in DUE_STATES[entitlement.due_when]:
        return _("due %(when)s; the person is %(state)s") % {
            "when": entitlement.get_due_when_display(),
            "state": person.get_state_display(),
        }
    return ""


def status_of(person: Person, on: dt.date | None = None) -> list[EntitlementStatus]:
    """For each line of the person's policy: what was received this period and what is due."""
    on = on or clock.today()
    lines = policy_for(person)
    keys = {line.pk: period_key(line.period, on) for line in lines}
    issued = {
        (row.entitlement_id, row.period_key): row
        for row in EntitlementIssue.objects.filter(person=person, entitlement__in=lines)
    }
    result = []
    for line in lines:
        paid = issued.get((line.pk, keys[line.pk]))
        why_not = _why_not(person, line)
        result.append(
            EntitlementStatus(
                entitlement=line,
                period_key=keys[line.pk],
                issued=paid,
                due=paid is None and not why_not,
                why_not=why_not,
            )
        )
    return result


def history_of(person: Person) -> list[EntitlementIssue]:
    return list(
        EntitlementIssue.objects.filter(person=person).select_related("entitlement", "by")[:200]
    )


def _already_paid(issue: EntitlementIssue) -> EntitlementRefused:
    return EntitlementRefused(
        _("%(name)s was already received for %(period)s (on %(date)s).")
        % {
            "name": issue.entitlement,
            "period": issue.period_key,
            "date": timezone.localtime(issue.at).date().isoformat(),
        }
    )


@transaction.atomic
def issue_entitlement(
    *,
    user: object,
    person: Person,
    entitlement: Entitlement,
    at: dt.datetime | None = None,
    client_uuid: uuid.UUID | None = None,
) -> EntitlementIssue:
    """Pay one line of the policy to a person for the current period, or refuse and change
    nothing."""
    station = person.station
    require(user, WRITE_ROLES, station=station)
    if client_uuid is not None:
        replay = EntitlementIssue.objects.filter(client_uuid=client_uuid).first()
        if replay is not None:
            return replay
    at = at or clock.now()
    on = timezone.localtime(at).date()
    if not entitlement.is_active:
        raise EntitlementRefused(_("This entitlement is no longer in the policy."))
    if entitlement.category != person.category:
        raise EntitlementRefused(
            _("%(name)s is not in the policy for a %(category)s.")
            % {"name": entitlement, "category": person.get_category_display().lower()}
        )
    if why_not := _why_not(person, entitlement):
        raise EntitlementRefused(
            _("%(name)s is not due: %(why)s.") % {"name": entitlement, "why": why_not}
        )
    key = period_key(entitlement.period, on)
    earlier = EntitlementIssue.objects.filter(
        person=person, entitlement=entitlement, period_key=key
    ).first()
    if earlier is not None:
        raise _already_paid(earlier)
    movement = None
    if entitlement.item_id is not None:
        _check_item(entitlement.item)
        movement = _append(
            user=user,
            station=station,
            item=entitlement.item,
            kind=Movement.Kind.ISSUE,
            quantity=entitlement.quantity,
            person=person,
            reason=str(entitlement),
            at=at,
        )
    fields = {
        "person": person,
        "entitlement": entitlement,
        "period_key": key,
        "station": station,
        "movement": movement,
        "quantity": entitlement.quantity,
        "amount": entitlement.amount,
        "currency": entitlement.currency,
        "by": user if getattr(user, "is_authenticated", False) else None,
        "at": at,
    }
    if client_uuid is not None:
        fields["client_uuid"] = client_uuid
    try:
        issued = EntitlementIssue.objects.create(**fields)
    except IntegrityError as error:
        # Another request paid it between our check and our insert: the constraint decides.
        raise EntitlementRefused(
            _("%(name)s was already received for %(period)s.")
            % {"name": entitlement, "period": key}
        ) from error
    record_audit(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=issued,
        person=person,
        station=station,
        reason=str(entitlement),
        detail={
            "entitlement": f"{entitlement.category}/{entitlement.code}",
            "period": key,
            "quantity": entitlement.quantity,
            "amount": str(entitlement.amount) if entitlement.amount is not None else None,
            "currency": entitlement.currency,
            "movement": movement.pk if movement else None,
        },
    )
    return issued
