"""The administrators' dashboard: the day's figures at once, the retention breakdowns as the
task queue's worker last counted them (a fragment the page polls until they are current)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from people.states import JourneyState
from reports import dashboard
from reports.charts import bar_chart, line_chart
from reports.grievances import overdue, visible_grievances
from reports.retention import PERIODS, Breakdowns, RetentionRow, overall_by_age
from reports.retention import by_station as retention_by_station
from reports.retention import overall as overall_retention
from reports.retention_figures import kept_figures
from reports.scopes import Scope
from reports.situation import states_at
from reports.views import BadReportRequest, _day, _page_context, _scope
from stations.access import ALL_ROLES, StaffRequest, role_required


@role_required(*ALL_ROLES)
def dashboard_page(request: StaffRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        day = _day(request)
    except BadReportRequest as error:
        context = _page_context(request, scope, request.GET.get("date", ""))
        return render(
            request, "reports/dashboard.html", {**context, "error": str(error)}, status=400
        )
    states = states_at(scope, day)
    weekly = dashboard.weekly_arrivals(scope, day)
    monthly = dashboard.monthly_placements(scope, day)
    state_rows = [(str(state.label), states[state.value]) for state in JourneyState]
    overdue_cases = overdue(
        visible_grievances(request.staff).filter(person__station__in=scope.stations)
    ).select_related("person")
    context = {
        **_page_context(request, scope, day.isoformat()),
        **_retention_context(scope, day),
        "as_of": day,
        "overdue_count": overdue_cases.count(),
        "overdue_cases": overdue_cases[:10],
        "weekly": weekly,
        "weekly_chart": line_chart(weekly.labels, weekly.series, _("Arrivals per week")),
        "state_chart": bar_chart(state_rows, _("People by journey state")),
        "state_rows": state_rows,
        "monthly": monthly,
        "monthly_chart": line_chart(
            monthly.labels, monthly.series, _("Placements and departures per month")
        ),
    }
    return render(request, "reports/dashboard.html", context)


@role_required(*ALL_ROLES)
def dashboard_retention(request: HttpRequest) -> HttpResponse:
    """The retention part of the dashboard alone, for the page's poll."""
    scope = _scope(request)
    try:
        day = _day(request)
    except BadReportRequest as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    context = {**_page_context(request, scope, day.isoformat()), **_retention_context(scope, day)}
    return render(request, "reports/_retention.html", context)


def _retention_context(scope: Scope, day: dt.date) -> dict:
    kept = kept_figures(scope, day)
    context: dict = {
        "retention_current": kept.current,
        "retention_counted_at": kept.computed_at,
        "retention_ready": kept.breakdowns is not None,
    }
    if kept.breakdowns is not None:
        context.update(_retention_figures(kept.breakdowns))
    return context


def _retention_figures(found: Breakdowns) -> dict:
    """One definition of "still working" (reports.retention): per station, after 180 days."""
    by_group = found.by_group
    by_age = overall_by_age(by_group)
    last = PERIODS[-1]
    retention = [
        (row.station, row.cohorts[last], row.kept[last], row.share(last))
        for row in retention_by_station(by_group)
    ]
    everyone = overall_retention(by_group)
    period_labels = [_("%(days)s days") % {"days": days} for days in PERIODS]
    breakdowns = (
        ("sector", found.by_sector, _("Still working, by kind of work")),
        (
            "preference",
            found.by_preference,
            _("Still working, by whether the work was what they had asked for"),
        ),
    )
    return {
        "periods": period_labels,
        "retention_groups": by_group,
        "retention_by_age": by_age,
        "retention_age_chart": line_chart(
            period_labels,
            [(label, [share or 0 for share in shares]) for label, _n, shares in by_age],
            _("Share still working, by age group"),
        ),
        "retention": retention,
        "retention_days": last,
        "retention_total": (everyone.cohorts[last], everyone.kept[last], everyone.share(last)),
        "retention_chart": bar_chart(
            [(name, share or 0) for name, _p, _w, share in retention],
            _("Still working %(days)s days after starting work") % {"days": last},
            suffix="%",
        ),
        "retention_breakdowns": [
            (key, rows, _retention_chart(rows, period_labels, heading), heading)
            for key, rows, heading in breakdowns
        ],
    }


def _retention_chart(rows: list[RetentionRow], period_labels: list[str], title: str) -> str:
    """A line per group over the 30/90/180-day periods."""
    series = [(row.station, [share or 0 for share in row.shares]) for row in rows]
    return line_chart(period_labels, series, title)
