"""What the health app adds to other pages: a card on the person page (details for medical
officers only, and every such read audited), a quarantine and outbreak card on the station
dashboard, navigation links, timeline events and the guard on medical clearance."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from health.checklist import checklist_of
from health.models import Clearance, DiseaseCase, QuarantineStay, Vaccination
from health.queries import alerts, quarantine_summary
from people.audit import AuditEntry, record_audit
from people.models import Person
from people.timeline import TimelineEvent
from stations.access import sees_health_details
from stations.models import StaffProfile, Station
from supplies import beds
from waystation import clock


def person_panel(request: HttpRequest, person: Person) -> SafeString | str:
    if not sees_health_details(getattr(request, "staff", None)):
        return ""
    stay = QuarantineStay.objects.filter(person=person).order_by("-started_on", "-id").first()
    record_audit(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        obj=stay or person,
        person=person,
        reason=_("Health panel on the person page"),
    )
    today = clock.today()
    context = {
        "person": person,
        "stay": stay,
        "checklist": checklist_of(stay) if stay and stay.status == "open" else None,
        "day": (today - stay.started_on).days + 1 if stay else None,
        "vaccinations": Vaccination.objects.filter(person=person).count(),
        "clearance": Clearance.objects.filter(person=person).order_by("-decided_at").first(),
    }
    return mark_safe(render_to_string("health/_person_panel.html", context, request=request))  # noqa: S308


def station_panel(request: HttpRequest, station: Station) -> SafeString | str:
    """Counts only, no person: every role at the station sees the beds and the alerts, since
    everyone there needs to know of an outbreak in the province."""
    profile = getattr(request, "staff", None)
    if profile is None:
        return ""
    today = clock.today()
    summary = quarantine_summary(station, today)
    context = {
        "station": station,
        "summary": summary,
        "beds_free": beds.occupancy(station).free,
        "alerts": alerts(DiseaseCase.objects.filter(station__province=station.province), today),
        "medical": sees_health_details(profile),
        "staff": profile,
    }
    return mark_safe(render_to_string("health/_station_panel.html", context, request=request))  # noqa: S308


def timeline_events(person: Person, viewer: StaffProfile | None) -> list[TimelineEvent]:
    """Vaccinations are health details: on the timeline for medical officers only."""
    if not sees_health_details(viewer):
        return []
    return [
        TimelineEvent(
            at=v.recorded_at,
            kind="vaccination",
            title=_("Vaccinated: %(vaccine)s, dose %(dose)d")
            % {"vaccine": v.vaccine, "dose": v.dose},
            detail=_("lot %(lot)s, given on %(date)s") % {"lot": v.lot_number, "date": v.given_on},
            actor=v.given_by.get_username() if v.given_by else "",
        )
        for v in Vaccination.objects.filter(person=person).select_related("vaccine", "given_by")
    ]
