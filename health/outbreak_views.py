"""The outbreak watch (counts by disease, station, county and week, with a chart) and the
disease case records."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from health import cases
from health.chart import week_table, weekly_chart
from health.forms import CaseForm, OutbreakFilter, OutcomeForm
from health.models import DiseaseCase
from health.queries import alerts, outbreak
from health.views import error_messages
from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import role_required, scope_to_stations, sees_health_details
from stations.models import Station
from stations.roles import GLOBAL_ROLES, Role
from waystation import clock


def watched_cases(profile: object) -> object:
    """Counts are not personal: a medical officer watches the whole province, as outbreaks
    cross station lines; an administrator watches everything."""
    queryset = DiseaseCase.objects.all()
    if profile.role in GLOBAL_ROLES:
        return queryset
    # Station ids, not a join: the grouping then runs on the covering index alone.
    province = Station.objects.filter(province=profile.station.province)
    return queryset.filter(station_id__in=list(province.values_list("pk", flat=True)))


@role_required(Role.MEDICAL_OFFICER, Role.ADMINISTRATOR)
def outbreak_view(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    form = OutbreakFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or end - dt.timedelta(weeks=12)
    if start > end:
        start, end = end, start
    if (end - start).days > 3 * 366:
        start = end - dt.timedelta(days=3 * 366)
    selected = watched_cases(request.staff)
    if data.get("disease"):
        selected = selected.filter(disease=data["disease"])
    if data.get("county"):
        selected = selected.filter(county=data["county"])
    result = outbreak(selected, start, end)
    recent_cases = []
    if sees_health_details(request.staff):
        recent_cases = list(
            scope_to_stations(
                request.staff, DiseaseCase.objects.select_related("disease", "person")
            )
            .filter(onset_date__gte=start, onset_date__lte=end)
            .order_by("-onset_date", "-id")[:20]
        )
        record_audit(
            user=request.user,
            action=AuditEntry.Action.VIEW,
            station=request.staff.station,
            reason=_("Outbreak watch"),
            detail={"cases": [case.pk for case in recent_cases]},
        )
    context = {
        "form": form,
        "result": result,
        "chart": weekly_chart(result.weeks, result.series),
        "week_table": week_table(result.week_totals, _("No cases.")),
        "alerts": alerts(watched_cases(request.staff), end),
        "cases": recent_cases,
        "outcome_choices": DiseaseCase.Outcome.choices,
        "can_record": request.staff.role == Role.MEDICAL_OFFICER,
    }
    return render(request, "health/outbreak.html", context)


@role_required(Role.MEDICAL_OFFICER)
def case_new(request: HttpRequest) -> HttpResponse:
    station: Station = request.staff.station
    form = CaseForm(request.POST or None, initial={"county": station.county})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if data["person"]:
            person = (
                scope_to_stations(request.staff, Person.objects).filter(pk=data["person"]).first()
            )
            if person is None:
                form.add_error("person", _("No person with this number at your station."))
        if person is not None or not data["person"]:
            try:
                cases.record_case(
                    user=request.user,
                    disease=data["disease"],
                    station=station,
                    county=data["county"],
                    onset_date=data["onset_date"],
                    isolated=data["isolated"],
                    person=person,
                    notes=data["notes"],
                )
            except ValidationError as error:
                for problem in error_messages(error):
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Case recorded."))
                return redirect("health-outbreaks")
    return render(request, "health/case_form.html", {"form": form, "station": station})


@require_POST
@role_required(Role.MEDICAL_OFFICER)
def case_update(request: HttpRequest) -> HttpResponse:
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the case number and the outcome."))
        return redirect("health-outbreaks")
    data = dict(form.cleaned_data)
    case = scope_to_stations(request.staff, DiseaseCase.objects).filter(pk=data.pop("case"))
    case = case.first()
    if case is None:
        raise Http404
    try:
        cases.set_outcome(user=request.user, case=case, **data)
    except (ValidationError, PermissionDenied) as error:
        for problem in error_messages(error):
            messages.error(request, problem)
    else:
        messages.success(request, _("Case updated."))
    return redirect("health-outbreaks")
