from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from people.extensions import station_panels
from people.models import Person
from people.queries import newest_first, station_summaries
from stations.access import ALL_ROLES, role_required, visible_stations
from stations.roles import STATION_ROLES
from supplies import beds


@role_required(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    if request.staff.role in STATION_ROLES:
        return redirect("station-dashboard", code=request.staff.station.code)
    summaries = station_summaries(visible_stations(request.staff))
    # Beds are the supplies app's: the same count as its pages and the quarantine board.
    figures = beds.bed_figures(
        [s.station for s in summaries], {s.station.pk: s.present for s in summaries}
    )
    rows = [(summary, figures[summary.station.pk]) for summary in summaries]
    totals = {
        "present": sum(s.present for s in summaries),
        "capacity": sum(f.capacity for f in figures.values()),
    }
    return render(request, "stations/overview.html", {"rows": rows, "totals": totals})


@role_required(*ALL_ROLES)
def station_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    station = visible_stations(request.staff).filter(code=code).first()
    if station is None:
        raise Http404
    summary = station_summaries(visible_stations(request.staff).filter(pk=station.pk))[0]
    recent = newest_first(Person.objects.all(), station.pk)[:10]
    context = {
        "summary": summary,
        "station": station,
        "recent": recent,
        "panels": station_panels(request, station),
    }
    return render(request, "stations/dashboard.html", context)
