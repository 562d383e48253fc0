"""Stock: receipts, transfers between stations, issues to people and write-offs.

Every movement is appended to its (station, item) chain while holding the lock row of that
chain (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers itself), so concurrent
requests queue up and each sees the balance the previous one left. Anything that would take a
balance below zero is refused with a clear message and changes nothing; the database refuses
it too (see models.Movement).
"""

import datetime as dt
import uuid

from django.db import IntegrityError, InternalError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import require
from stations.models import Station
from stations.roles import Role
from supplies import ledger
from supplies.models import DailyMovement, Item, Movement, StockLock
from supplies.refusals import StockRefused
from waystation import clock

WRITE_ROLES = frozenset({Role.SUPPLIES_CLERK, Role.ADMINISTRATOR})
MAX_QUANTITY = 1_000_000


def balance(station: Station, item: Item) -> int:
    """The balance is the sum of the ledger, never a number the application stores. It is
    added up from the ledger's daily sums, which the database keeps in the same transaction
    as every movement (supplies_dailymovement): the same figure as summing the movements,
    without reading the 170,000 of a station's blankets at a million persons."""
    return balances(station, [item.pk]).get(item.pk, 0)


def balances(station: Station, item_ids: list[int] | None = None) -> dict[int, int]:
    """Item id -> balance at the station, in one grouped query."""
    sums = DailyMovement.objects.filter(station=station)
    if item_ids is not None:
        sums = sums.filter(item_id__in=item_ids)
    rows = sums.values("item_id").annotate(total=Sum("quantity")).values_list("item_id", "total")
    return dict(rows)


def _check_quantity(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise StockRefused(_("The quantity must be a whole number."))
    if quantity <= 0:
        raise StockRefused(_("The quantity must be at least 1."))
    if quantity > MAX_QUANTITY:
        raise StockRefused(_("The quantity is implausibly large."))
    return quantity


def _lock(station: Station, item: Item) -> None:
    """Take the chain's lock row (one round trip once the row exists)."""
    locked = StockLock.objects.select_for_update().filter(station=station, item=item)
    if not list(locked.values_list("pk", flat=True)):
        StockLock.objects.get_or_create(station=station, item=item)
        list(locked.values_list("pk", flat=True))


def _append(
    *,
    user: object,
    station: Station,
    item: Item,
    kind: str,
    quantity: int,
    person: Person | None = None,
    counterpart: Station | None = None,
    transfer_id: uuid.UUID | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
    client_uuid: uuid.UUID | None = None,
) -> Movement:
    """Append one movement to the chain; must run inside a transaction."""
    _lock(station, item)
    last = (
        Movement.objects.filter(station=station, item=item)
        .order_by("-seq")
        .values_list("seq", "balance_after")
        .first()
    )
    seq, current = last or (0, 0)
    signed = quantity if kind in Movement.INCOMING else -quantity
    if current + signed < 0:
        raise StockRefused(
            _("Not enough %(item)s at %(station)s: %(balance)d in stock, %(wanted)d asked for.")
            % {"item": item, "station": station, "balance": current, "wanted": quantity}
        )
    fields = {
        "station": station,
        "item": item,
        "seq": seq + 1,
        "kind": kind,
        "quantity": signed,
        "balance_after": current + signed,
        "person": person,
        "counterpart": counterpart,
        "transfer_id": transfer_id,
        "reason": reason,
        "by": user if getattr(user, "is_authenticated", False) else None,
        "at": at or clock.now(),
    }
    if client_uuid is not None:
        fields["client_uuid"] = client_uuid
    # No savepoint: a refusal leaves the caller's transaction, which then rolls back whole.
    try:
        return Movement.objects.create(**fields)
    except (IntegrityError, InternalError) as error:
        raise StockRefused(
            _("The stock changed while this was being saved; please try again.")
        ) from error


def _replayed(client_uuid: uuid.UUID | None) -> Movement | None:
    if client_uuid is None:
        return None
    return Movement.objects.filter(client_uuid=client_uuid).first()


def _audit(user: object, movement: Movement, reason: str = "") -> None:
    record_audit(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=movement,
        person=movement.person,
        station=movement.station,
        reason=reason or movement.reason,
        detail={
            "kind": movement.kind,
            "item": movement.item.code,
            "quantity": movement.quantity,
            "balance_after": movement.balance_after,
        },
    )


def _check_item(item: Item) -> None:
    if not item.is_active:
        raise StockRefused(_("%(item)s is no longer stocked.") % {"item": item})


@transaction.atomic
def receive(
    *,
    user: object,
    station: Station,
    item: Item,
    quantity: int,
    reason: str = "",
    client_uuid: uuid.UUID | None = None,
) -> Movement:
    """Stock delivered to a station (from the province, the Cabinet Office, a donor)."""
    require(user, WRITE_ROLES, station=station)
    if replay := _replayed(client_uuid):
        return replay
    _check_item(item)
    movement = _append(
        user=user,
        station=station,
        item=item,
        kind=Movement.Kind.RECEIPT,
        quantity=_check_quantity(quantity),
        reason=reason.strip(),
        client_uuid=client_uuid,
    )
    _audit(user, movement)
    return movement


@transaction.atomic
def issue(
    *,
    user: object,
    person: Person,
    item: Item,
    quantity: int,
    reason: str = "",
    client_uuid: uuid.UUID | None = None,
    at: dt.datetime | None = None,
    override_reason: str = "",
) -> Movement:
    """Stock handed to a person at their station. An item of the person's policy goes
    through the entitlement rule (supplies.ledger): it counts as that period's entitlement,
    and a second one in the period needs an administrator's override with a written
    reason."""
    station = person.station
    require(user, WRITE_ROLES, station=station)
    if replay := _replayed(client_uuid):
        return replay
    _check_item(item)
    quantity = _check_quantity(quantity)
    at = at or clock.now()
    line = ledger.entitled_line(person, item)
    permit = None
    if line is not None:
        permit = ledger.check(
            user=user,
            person=person,
            entitlement=line,
            quantity=quantity,
            at=at,
            override_reason=override_reason,
        )
    movement = _append(
        user=user,
        station=station,
        item=item,
        kind=Movement.Kind.ISSUE,
        quantity=quantity,
        person=person,
        reason=(reason.strip() or (permit.override_reason if permit else "")),
        client_uuid=client_uuid,
        at=at,
    )
    _audit(user, movement)
    if permit is not None:
        ledger.record(
            user=user, person=person, permit=permit, movement=movement, quantity=quantity, at=at
        )
    return movement


@transaction.atomic
def write_off(
    *,
    user: object,
    station: Station,
    item: Item,
    quantity: int,
    reason: str,
    client_uuid: uuid.UUID | None = None,
) -> Movement:
    """Stock lost, spoiled or stolen: always with a written reason."""
    require(user, WRITE_ROLES, station=station)
    if replay := _replayed(client_uuid):
        return replay
    reason = (reason or "").strip()
    if not reason:
        raise StockRefused(_("A write-off needs a reason."))
    movement = _append(
        user=user,
        station=station,
        item=item,
        kind=Movement.Kind.WRITE_OFF,
        quantity=_check_quantity(quantity),
        reason=reason,
        client_uuid=client_uuid,
    )
    _audit(user, movement)
    return movement


@transaction.atomic
def transfer(
    *,
    user: object,
    source: Station,
    target: Station,
    item: Item,
    quantity: int,
    reason: str = "",
) -> tuple[Movement, Movement]:
    """Stock sent from one station to another: both sides in one transaction."""
    require(user, WRITE_ROLES, station=source)
    if source.pk == target.pk:
        raise StockRefused(_("A transfer needs two different stations."))
    if not target.is_active:
        raise StockRefused(_("%(station)s is closed.") % {"station": target})
    _check_item(item)
    quantity = _check_quantity(quantity)
    transfer_id = uuid.uuid4()
    # Lock both chains in one order (by station id) so two opposite transfers cannot deadlock.
    for station in sorted((source, target), key=lambda s: s.pk):
        _lock(station, item)
    common = {"user": user, "item": item, "quantity": quantity, "transfer_id": transfer_id}
    out = _append(
        station=source,
        kind=Movement.Kind.TRANSFER_OUT,
        counterpart=target,
        reason=reason.strip(),
        **common,
    )
    into = _append(
        station=target,
        kind=Movement.Kind.TRANSFER_IN,
        counterpart=source,
        reason=reason.strip(),
        **common,
    )
    _audit(user, out)
    _audit(user, into)
    return out, into
