"""The planning page's figures: weekly arrivals per station from the crossings (aggregated by
week in SQL), the engine's forecast with prediction intervals, and the projected bed
shortfall and blanket and clothing needs against the beds, people and stock of today."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from people.crossing_counts import inward_crossings_between
from people.models import Crossing, Person
from people.states import PRESENT_AT_STATION
from stations.models import Station
from supplies import services
from supplies.beds import occupancy_by_station
from supplies.forecast import (
    HistoryError,
    NeedsProjection,
    StationForecast,
    StationState,
    forecast_stations,
    project_needs,
)
from supplies.models import Item

HORIZON = 12
HISTORY_SHOWN = 26
# The engine's stock rules name items by need; the ledger names them by item code.
STOCK_ITEMS = {"blankets": "blanket", "clothing_sets": "winter-clothing"}


@dataclass(frozen=True)
class Plan:
    through: dt.date | None
    stations: dict[str, Station]
    histories: dict[str, list[tuple[dt.date, int]]]
    forecasts: dict[str, StationForecast]
    states: dict[str, StationState]
    projection: NeedsProjection | None


def _local_monday(moment: dt.datetime) -> dt.date:
    day = timezone.localtime(moment).date()
    return day - dt.timedelta(days=day.weekday())


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def weekly_arrivals(stations: list[Station]) -> dict[str, list[tuple[dt.date, int]]]:
    """Station code -> [(Monday of a local week, arrivals)] for every week with an arrival,
    oldest first.

    Each week is counted as a range of the (station, direction, crossed_at) index between
    its local midnights: grouping by the week of every crossing (TruncWeek, or SQLite's
    date() per row) computed a date for each of a million rows, ~0.5 s for one station."""
    codes = {station.pk: station.code for station in stations}
    result: dict[str, list[tuple[dt.date, int]]] = {code: [] for code in codes.values()}
    inward = Crossing.objects.filter(direction=Crossing.Direction.IN, station_id__in=codes)
    # Two aggregates: SQLite answers MIN or MAX alone from the index, not both at once.
    first = inward.aggregate(first=Min("crossed_at"))["first"]
    latest = inward.aggregate(last=Max("crossed_at"))["last"]
    if first is None or latest is None:
        return result
    first_monday, last_monday = _local_monday(first), _local_monday(latest)
    mondays = [
        first_monday + dt.timedelta(weeks=n)
        for n in range((last_monday - first_monday).days // 7 + 1)
    ]
    bounds = [_local_midnight(monday) for monday in mondays]
    bounds.append(_local_midnight(last_monday + dt.timedelta(weeks=1)))
    counts = inward_crossings_between(sorted(codes), bounds)
    for station_id, code in codes.items():
        result[code] = [
            (monday, counts[(station_id, week)])
            for week, monday in enumerate(mondays)
            if counts.get((station_id, week))
        ]
    return result


def last_crossing(stations: list[Station]) -> dt.datetime | None:
    return Crossing.objects.filter(direction=Crossing.Direction.IN, station__in=stations).aggregate(
        latest=Max("crossed_at")
    )["latest"]


def station_states(stations: list[Station]) -> dict[str, StationState]:
    """Beds (the sleeping places in use: supplies.beds, the count every page shows), people
    present now, and blankets and clothing on the shelves."""
    beds = {pk: capacity for pk, (capacity, _taken) in occupancy_by_station(stations).items()}
    present = dict(
        Person.objects.filter(station__in=stations, state__in=PRESENT_AT_STATION)
        .values("station_id")
        .annotate(n=Count("id"))
        .values_list("station_id", "n")
    )
    items = {i.code: i for i in Item.objects.filter(code__in=STOCK_ITEMS.values())}
    states = {}
    for station in stations:
        on_hand = services.balances(station)
        states[station.code] = StationState(
            beds=beds.get(station.pk, 0),
            occupancy=present.get(station.pk, 0),
            stock_on_hand={
                need: on_hand.get(items[code].pk, 0) if code in items else 0
                for need, code in STOCK_ITEMS.items()
            },
        )
    return states


def build_plan(stations: list[Station], through: dt.date | None = None) -> Plan:
    latest = last_crossing(stations)
    through = through or (timezone.localtime(latest).date() if latest else None)
    histories = weekly_arrivals(stations)
    usable = {code: rows for code, rows in histories.items() if rows}
    forecasts: dict[str, StationForecast] = {}
    if usable and through is not None:
        try:
            forecasts = forecast_stations(usable, horizon=HORIZON, through=through)
        except HistoryError:
            forecasts = {}
    states = station_states(stations)
    projection = (
        project_needs(forecasts, {code: states[code] for code in forecasts}) if forecasts else None
    )
    return Plan(
        through=through,
        stations={station.code: station for station in stations},
        histories=histories,
        forecasts=forecasts,
        states=states,
        projection=projection,
    )


def method_in_words(method: str) -> str:
    """What a forecast rests on, for a supplies clerk: the engine's method names
    (log_arima011_freeze, seasonal_naive, ...:fallback) are for the backtest, not the page."""
    if method.endswith(":fallback"):
        return _("Same week a year before (too little history for the trend model)")
    words = {
        "seasonal_naive": _("Same week a year before"),
        "log_arima011_freeze": _("Trend of recent weeks, with the winter freeze"),
        "log_arima011_fourier2": _("Trend of recent weeks, with the seasons"),
        "log_arima011": _("Trend of recent weeks"),
        "log_arima110_drift_freeze": _("Trend with a steady drift, with the winter freeze"),
    }
    return words.get(method, _("Trend of recent weeks"))
