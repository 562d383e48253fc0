"""The planning page (forecast of arrivals, beds and blankets per station) and its CSV."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from stations.access import role_required, visible_stations
from stations.roles import Role
from supplies.charts import bar_chart, fan_chart
from supplies.forecast import write_needs_csv
from supplies.planning import STOCK_ITEMS, build_plan, method_in_words

PLANNING_ROLES = (Role.SUPPLIES_CLERK, Role.ADMINISTRATOR, Role.AUDITOR, Role.LABOUR_OFFICER)


def _through(request: HttpRequest) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("through", ""))
    except ValueError:
        return None


@role_required(*PLANNING_ROLES)
def planning(request: HttpRequest) -> HttpResponse:
    stations = list(visible_stations(request.staff))
    plan = build_plan(stations, _through(request))
    scenarios = {"point": _("expected"), "upper_80": _("high (80%)"), "upper_95": _("95% bound")}
    rows, fans = [], []
    projection = plan.projection
    for code, forecast in plan.forecasts.items():
        station = plan.stations[code]
        state = plan.states[code]
        stock = {s.item: s for s in projection.stock if s.station == code} if projection else {}
        rows.append(
            {
                "station": station,
                "method": method_in_words(forecast.method),
                "arrivals": round(sum(w.point for w in forecast.weeks)),
                "arrivals_80": round(sum(w.upper_80 for w in forecast.weeks)),
                "beds": state.beds,
                "present": state.occupancy,
                "shortfall": projection.peak_shortfall(code, "point") if projection else 0,
                "shortfall_80": projection.peak_shortfall(code, "upper_80") if projection else 0,
                "stock": [(need, stock[need]) for need in STOCK_ITEMS if need in stock],
            }
        )
        fans.append((station, fan_chart(plan.histories[code], forecast, str(station))))
    labels = [str(row["station"]) for row in rows]
    charts = {}
    if rows:
        charts["shortfall"] = bar_chart(
            labels,
            {
                scenarios["point"]: [row["shortfall"] for row in rows],
                scenarios["upper_80"]: [row["shortfall_80"] for row in rows],
            },
            _("Peak bed shortfall"),
            "shortfall-chart",
        )
        for need, title in (("blankets", _("Blankets")), ("clothing_sets", _("Clothing sets"))):
            summaries = [dict(row["stock"]).get(need) for row in rows]
            charts[need] = bar_chart(
                labels,
                {
                    _("on hand"): [s.on_hand if s else 0 for s in summaries],
                    scenarios["point"]: [s.needed["point"] if s else 0 for s in summaries],
                    scenarios["upper_80"]: [s.needed["upper_80"] if s else 0 for s in summaries],
                },
                title,
                f"{need}-chart",
            )
    context = {
        "plan": plan,
        "rows": rows,
        "fans": fans,
        "charts": charts,
        "no_history": [plan.stations[c] for c in plan.stations if c not in plan.forecasts],
    }
    return render(request, "supplies/planning.html", context)


@role_required(*PLANNING_ROLES)
def planning_csv(request: HttpRequest) -> HttpResponse:
    plan = build_plan(list(visible_stations(request.staff)), _through(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="waystation-needs.csv"'
    if plan.projection is not None:
        write_needs_csv(plan.projection, response, bom=True)
    record_audit(
        user=request.user,
        action=AuditEntry.Action.EXPORT,
        reason=_("Needs projection CSV"),
        detail={"stations": sorted(plan.forecasts), "through": str(plan.through)},
    )
    return response
