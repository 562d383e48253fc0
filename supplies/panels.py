"""What supplies adds to other pages: a card on the person page (bed, what the person received
and what is due, with the clerk's buttons) and a beds-and-blankets card on the station
dashboard (a full station is shown as full)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from people.models import Person
from stations.access import can_see_station
from stations.models import Station
from stations.roles import Role
from supplies import beds, entitlements, ledger, passes, services, transfers
from supplies.forms import IssueForm
from supplies.models import Item

PANEL_ROLES = frozenset({Role.SUPPLIES_CLERK, Role.ADMINISTRATOR, Role.AUDITOR})


def person_panel(request: HttpRequest, person: Person) -> SafeString | str:
    profile = getattr(request, "staff", None)
    if profile is None or profile.role not in PANEL_ROLES:
        return ""
    if not can_see_station(profile, person.station):
        return ""
    can_write = profile.role == Role.ADMINISTRATOR or (
        profile.role == Role.SUPPLIES_CLERK and profile.station_id == person.station_id
    )
    context = {
        "person": person,
        "bed": beds.current_bed(person),
        "absence": (absence := passes.open_pass(person)),
        "overdue": passes.is_overdue(absence),
        "statuses": entitlements.status_of(person),
        "history": entitlements.history_of(person),
        "can_write": can_write,
        "transfers": transfers.transfers_of(person),
        "destinations": transfers.destinations(person.station) if can_write else [],
        "issue_form": IssueForm(prefix="issue"),
        "can_override": profile.role in ledger.OVERRIDE_ROLES,
    }
    return mark_safe(render_to_string("supplies/_person_panel.html", context, request=request))  # noqa: S308


def station_panel(request: HttpRequest, station: Station) -> SafeString | str:
    """Counts only: every role at the station sees how full it is and the blankets left."""
    if getattr(request, "staff", None) is None:
        return ""
    blanket = Item.objects.filter(code="blanket").first()
    context = {
        "station": station,
        "occupancy": beds.occupancy(station),
        "blankets": services.balance(station, blanket) if blanket else None,
    }
    return mark_safe(render_to_string("supplies/_station_panel.html", context, request=request))  # noqa: S308
