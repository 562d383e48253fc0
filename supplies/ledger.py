"""The entitlement rule, in one place, for every way goods reach a person.

An entitled item (a line of the policy table for the person's category that hands out goods:
a blanket a winter, ration coupons a month) reaches a person once per period, whether the
clerk presses "Issue" on the entitlement or hands it out with "Issue from stock" (for another
purpose too: the first hand-out of the period counts as the period's). A second hand-out in
the same period is refused unless an administrator overrides it with a written reason; the reason
and who gave it are stored on the issue row and audited. Items outside the person's policy
(a food ration, soap for a compatriot beyond the policy) are handed out freely.

Both paths (`supplies.entitlements.issue_entitlement` and `supplies.services.issue`) call
`check` before appending to the stock ledger and `record` after it; `received` is what the
person's "Received" list shows: every issue to the person, entitled or not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import require
from stations.roles import Role
from supplies.models import Entitlement, EntitlementIssue, Item, Movement, Period
from supplies.refusals import StockRefused

# Who may hand out an entitled item a second time in a period (with a written reason).
OVERRIDE_ROLES = frozenset({Role.ADMINISTRATOR})
MAX_OVERRIDE_REASON = 300


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


def entitled_line(person: Person, item: Item) -> Entitlement | None:
    """The line of the person's policy that hands out `item`, if any."""
    return (
        Entitlement.objects.filter(category=person.category, item=item, is_active=True)
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class Permit:
    """What `check` allowed: the period the hand-out counts for and the override, if any."""

    entitlement: Entitlement
    period_key: str
    override_reason: str


def check(
    *,
    user: Any,
    person: Person,
    entitlement: Entitlement,
    quantity: int,
    at: dt.datetime,
    override_reason: str = "",
) -> Permit:
    """The rule: once per period, unless an administrator overrides with a written reason.
    Raises EntitlementRefused (or PermissionDenied for an override by someone who may not
    give one). The quantity is recorded on the issue row."""
    reason = " ".join((override_reason or "").split())[:MAX_OVERRIDE_REASON]
    key = period_key(entitlement.period, timezone.localtime(at).date())
    earlier = (
        EntitlementIssue.objects.filter(person=person, entitlement=entitlement, period_key=key)
        .order_by("at")
        .first()
    )
    if earlier is None:
        return Permit(entitlement, key, "")
    if not reason:
        raise EntitlementRefused(
            _(
                "%(name)s was already received for %(period)s (on %(date)s). Only an "
                "administrator may hand it out again, with a written reason."
            )
            % {
                "name": entitlement,
                "period": key,
                "date": timezone.localtime(earlier.at).date().isoformat(),
            }
        )
    require(user, OVERRIDE_ROLES, station=person.station)
    return Permit(entitlement, key, reason)


def record(
    *,
    user: Any,
    person: Person,
    permit: Permit,
    movement: Movement | None,
    quantity: int,
    at: dt.datetime,
    amount: Decimal | None = None,
    currency: str = "",
    client_uuid: Any = None,
) -> EntitlementIssue:
    """The issue row of a hand-out `check` allowed (run inside the caller's transaction)."""
    entitlement = permit.entitlement
    by = user if getattr(user, "is_authenticated", False) else None
    fields: dict[str, Any] = {
        "person": person,
        "entitlement": entitlement,
        "period_key": permit.period_key,
        "station": person.station,
        "movement": movement,
        "quantity": quantity,
        "amount": amount,
        "currency": currency,
        "by": by,
        "at": at,
        "override_reason": permit.override_reason,
        "override_by": by if permit.override_reason else None,
    }
    if client_uuid is not None:
        fields["client_uuid"] = client_uuid
    try:
        issued = EntitlementIssue.objects.create(**fields)
    except IntegrityError as error:
        # Another request paid it between our check and our insert: the constraint decides.
        raise EntitlementRefused(
            _("%(name)s was already received for %(period)s.")
            % {"name": entitlement, "period": permit.period_key}
        ) from error
    record_audit(
        user=user,
        action=AuditEntry.Action.OVERRIDE if permit.override_reason else AuditEntry.Action.CREATE,
        obj=issued,
        person=person,
        station=person.station,
        reason=permit.override_reason or str(entitlement),
        detail={
            "entitlement": f"{entitlement.category}/{entitlement.code}",
            "period": permit.period_key,
            "quantity": quantity,
            "amount": str(amount) if amount is not None else None,
            "currency": currency,
            "movement": movement.pk if movement else None,
            "override": bool(permit.override_reason),
        },
    )
    return issued


@dataclass(frozen=True)
class Received:
    """One line of a person's "Received" list."""

    at: dt.datetime
    what: str
    quantity: int
    amount: Decimal | None
    currency: str
    period_key: str
    reason: str
    override_reason: str
    override_by: str


def received(person: Person, limit: int = 200) -> list[Received]:
    """Everything handed to the person, newest first: entitlements paid (goods and money)
    and every other stock issue to them."""
    rows: list[Received] = []
    paid = EntitlementIssue.objects.filter(person=person).select_related(
        "entitlement", "override_by", "movement"
    )[:limit]
    for issue in paid:
        rows.append(
            Received(
                at=issue.at,
                what=str(issue.entitlement),
                quantity=issue.quantity,
                amount=issue.amount,
                currency=issue.currency,
                period_key=issue.period_key,
                reason=issue.movement.reason if issue.movement else "",
                override_reason=issue.override_reason,
                override_by=issue.override_by.get_username() if issue.override_by else "",
            )
        )
    others = (
        Movement.objects.filter(person=person, kind=Movement.Kind.ISSUE, entitlement__isnull=True)
        .select_related("item")
        .order_by("-at", "-id")[:limit]
    )
    for movement in others:
        rows.append(
            Received(
                at=movement.at,
                what=str(movement.item),
                quantity=-movement.quantity,
                amount=None,
                currency="",
                period_key="",
                reason=movement.reason,
                override_reason="",
                override_by="",
            )
        )
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows[:limit]
