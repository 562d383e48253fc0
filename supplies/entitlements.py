"""Entitlements by policy: what a person of a category receives and when, issued once per period.

The policy table (models.Entitlement) decides; there is no branch on the category in code.
Goods (a blanket, ration coupons) leave the station's stock as a ledger issue tied to the
person; money (travel funds) is recorded by the issue row itself. Paying the same line twice
in one period is refused here and by the unique constraint on (person, entitlement, period).
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from people.models import Person
from people.states import PRESENT_AT_STATION, JourneyState
from stations.access import require
from supplies import ledger
from supplies.ledger import EntitlementRefused, period_key
from supplies.models import DueWhen, Entitlement, EntitlementIssue, Movement
from supplies.services import WRITE_ROLES, _append, _check_item
from waystation import clock

DUE_STATES: dict[str, frozenset[str]] = {
    DueWhen.ARRIVAL: frozenset([*PRESENT_AT_STATION, JourneyState.PLACED]),
    DueWhen.PLACEMENT: frozenset([JourneyState.AWAITING_PLACEMENT, JourneyState.PLACED]),
}


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


def history_of(person: Person) -> list[ledger.Received]:
    """The person's "Received" list: every issue to them, entitled or not."""
    return ledger.received(person)


@transaction.atomic
def issue_entitlement(
    *,
    user: object,
    person: Person,
    entitlement: Entitlement,
    at: dt.datetime | None = None,
    client_uuid: uuid.UUID | None = None,
    override_reason: str = "",
) -> EntitlementIssue:
    """Pay one line of the policy to a person for the current period, or refuse and change
    nothing. The once-a-period rule is supplies.ledger's, shared with "Issue from stock"."""
    station = person.station
    require(user, WRITE_ROLES, station=station)
    if client_uuid is not None:
        replay = EntitlementIssue.objects.filter(client_uuid=client_uuid).first()
        if replay is not None:
            return replay
    at = at or clock.now()
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
    quantity = entitlement.quantity
    permit = ledger.check(
        user=user,
        person=person,
        entitlement=entitlement,
        quantity=quantity,
        at=at,
        override_reason=override_reason,
    )
    movement = None
    if entitlement.item_id is not None:
        _check_item(entitlement.item)
        movement = _append(
            user=user,
            station=station,
            item=entitlement.item,
            kind=Movement.Kind.ISSUE,
            quantity=quantity,
            person=person,
            reason=permit.override_reason or str(entitlement),
            at=at,
        )
    return ledger.record(
        user=user,
        person=person,
        permit=permit,
        movement=movement,
        quantity=quantity,
        at=at,
        amount=entitlement.amount,
        currency=entitlement.currency,
        client_uuid=client_uuid,
    )
