"""Supplies pages: a station's stock and beds, and the actions clerks take on them and on a
person. Views are thin: the rules are in services, entitlements and beds."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.audit import AuditEntry, record_audit
from people.models import Person
from people.queries import scoped_person
from stations.access import can_see_station, require, role_required, visible_stations
from stations.models import Station
from stations.roles import Role
from supplies import beds, entitlements, passes, services, transfers
from supplies.forms import (
    IssueForm,
    MovementForm,
    PlaceForm,
    ReleaseForm,
    TransferForm,
    WriteOffForm,
)
from supplies.models import Entitlement, Item, Movement
from supplies.services import StockRefused

READ_ROLES = (Role.SUPPLIES_CLERK, Role.ADMINISTRATOR, Role.AUDITOR)
WRITE_ROLES = (Role.SUPPLIES_CLERK, Role.ADMINISTRATOR)


def _station(request: HttpRequest, code: str) -> Station:
    station = get_object_or_404(Station, code=code)
    if not can_see_station(request.staff, station):
        raise Http404
    return station


@role_required(*READ_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    stations = list(visible_stations(request.staff))
    if len(stations) == 1:
        return redirect("supplies-station", code=stations[0].code)
    figures = beds.occupancy_by_station(stations)
    rows = [(station, *figures[station.pk]) for station in stations]
    return render(request, "supplies/home.html", {"rows": rows})


@role_required(*READ_ROLES)
def station_page(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    on_hand = services.balances(station)
    items = [(item, on_hand.get(item.pk, 0)) for item in Item.objects.filter(is_active=True)]
    movements = (
        Movement.objects.filter(station=station)
        .select_related("item", "person", "counterpart", "by")
        .order_by("-at", "-id")[:50]
    )
    can_write = request.staff.role in WRITE_ROLES
    context = {
        "station": station,
        "items": items,
        "movements": movements,
        "occupancy": beds.occupancy(station),
        "overdue": passes.overdue(station),
        "can_write": can_write,
        "receive_form": MovementForm(prefix="receive"),
        "write_off_form": WriteOffForm(prefix="write_off"),
        "transfer_form": TransferForm(
            prefix="transfer", stations=Station.objects.exclude(pk=station.pk)
        ),
        "place_form": PlaceForm(prefix="place"),
    }
    return render(request, "supplies/station.html", context)


def _refusals(request: HttpRequest, action: Callable[[], Any], success: str) -> None:
    """Run a service call; a refusal becomes an error message and changes nothing."""
    try:
        action()
    except StockRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else problem)


@require_POST
@role_required(*WRITE_ROLES)
def movement(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    station = _station(request, code)
    require(request.user, services.WRITE_ROLES, station=station)
    forms = {
        "receive": lambda: MovementForm(request.POST, prefix="receive"),
        "write-off": lambda: WriteOffForm(request.POST, prefix="write_off"),
        "transfer": lambda: TransferForm(
            request.POST, prefix="transfer", stations=Station.objects.exclude(pk=station.pk)
        ),
    }
    if kind not in forms:
        raise Http404
    form = forms[kind]()
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supplies-station", code=station.code)
    data = form.cleaned_data
    common = {"user": request.user, "item": data["item"], "quantity": data["quantity"]}
    if kind == "receive":
        _refusals(
            request,
            lambda: services.receive(station=station, reason=data["reason"], **common),
            _("Received %(n)d × %(item)s.") % {"n": data["quantity"], "item": data["item"]},
        )
    elif kind == "write-off":
        _refusals(
            request,
            lambda: services.write_off(station=station, reason=data["reason"], **common),
            _("Wrote off %(n)d × %(item)s.") % {"n": data["quantity"], "item": data["item"]},
        )
    else:
        _refusals(
            request,
            lambda: services.transfer(
                source=station, target=data["target"], reason=data["reason"], **common
            ),
            _("Sent %(n)d × %(item)s to %(station)s.")
            % {"n": data["quantity"], "item": data["item"], "station": data["target"]},
        )
    return redirect("supplies-station", code=station.code)


@require_POST
@role_required(*WRITE_ROLES)
def add_place(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    require(request.user, services.WRITE_ROLES, station=station)
    form = PlaceForm(request.POST, prefix="place")
    if not form.is_valid():
        _form_errors(request, form)
    elif station.sleeping_places.filter(name=form.cleaned_data["name"]).exists():
        messages.error(request, _("This station already has a sleeping place of that name."))
    else:
        place = form.save(commit=False)
        place.station = station
        place.save()
        record_audit(
            user=request.user,
            action=AuditEntry.Action.CREATE,
            obj=place,
            station=station,
            detail={"name": place.name, "capacity": place.capacity},
        )
        messages.success(
            request,
            _("Added %(place)s with %(n)d beds.") % {"place": place.name, "n": place.capacity},
        )
    return redirect("supplies-station", code=station.code)


def _back_to_person(person: Person) -> HttpResponse:
    return redirect("person-detail", pk=person.pk)


@require_POST
@role_required(*WRITE_ROLES)
def issue_entitlement(request: HttpRequest, pk: int, entitlement_pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    line = get_object_or_404(Entitlement, pk=entitlement_pk)
    require(request.user, services.WRITE_ROLES, station=person.station)
    _refusals(
        request,
        lambda: entitlements.issue_entitlement(user=request.user, person=person, entitlement=line),
        _("Issued %(name)s to %(person)s.") % {"name": line, "person": person},
    )
    return _back_to_person(person)


@require_POST
@role_required(*WRITE_ROLES)
def issue_item(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    require(request.user, services.WRITE_ROLES, station=person.station)
    form = IssueForm(request.POST, prefix="issue")
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_person(person)
    data = form.cleaned_data
    _refusals(
        request,
        lambda: services.issue(
            user=request.user,
            person=person,
            item=data["item"],
            quantity=data["quantity"],
            reason=data["reason"],
            override_reason=data["override_reason"],
        ),
        _("Issued %(n)d × %(item)s to %(person)s.")
        % {"n": data["quantity"], "item": data["item"], "person": person},
    )
    return _back_to_person(person)


@require_POST
@role_required(*WRITE_ROLES)
def assign_bed(request: HttpRequest, pk: int) -> HttpResponse:
    """A bed for the person; with `household` set, beds for every member present."""
    person = scoped_person(request.staff, pk)
    require(request.user, services.WRITE_ROLES, station=person.station)
    if request.POST.get("household") and person.household_id:
        household = person.household

        def action() -> list:
            return beds.assign_household(user=request.user, household=household)

        success = _("Beds assigned to the household.")
    else:

        def action() -> list:
            return beds.assign(user=request.user, persons=[person])

        success = _("Bed assigned.")
    _refusals(request, action, success)
    return _back_to_person(person)


@require_POST
@role_required(*WRITE_ROLES)
def transfer_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the person (or their household present here) to another station's beds."""
    person = scoped_person(request.staff, pk)
    require(request.user, services.WRITE_ROLES, station=person.station)
    destination = Station.objects.filter(code=str(request.POST.get("to_station", ""))).first()
    if destination is None:
        messages.error(request, _("Choose the station to transfer to."))
        return _back_to_person(person)
    moving = transfers.members_to_move(person, bool(request.POST.get("household")))
    _refusals(
        request,
        lambda: transfers.transfer(
            user=request.user,
            persons=moving,
            to_station=destination,
            reason=str(request.POST.get("reason", "")),
        ),
        _("Transferred %(n)d to %(station)s.") % {"n": len(moving), "station": destination},
    )
    return _back_to_person(person)


@require_POST
@role_required(*WRITE_ROLES)
def release_bed(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    require(request.user, services.WRITE_ROLES, station=person.station)
    form = ReleaseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _refusals(
        request,
        lambda: beds.release(user=request.user, person=person, reason=reason),
        _("Bed released."),
    )
    return _back_to_person(person)


@require_POST
@role_required(*WRITE_ROLES)
def check_out(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    require(request.user, services.WRITE_ROLES, station=person.station)
    reason = str(request.POST.get("reason", ""))[:300]
    _refusals(
        request,
        lambda: passes.check_out(user=request.user, person=person, reason=reason),
        _("Checked out."),
    )
    return _back_to_person(person)


@require_POST
@role_required(*WRITE_ROLES)
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    require(request.user, services.WRITE_ROLES, station=person.station)
    _refusals(
        request, lambda: passes.check_in(user=request.user, person=person), _("Checked back in.")
    )
    return _back_to_person(person)
