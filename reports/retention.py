"""Retention after placement: of the people who arrived at work at least N days before the
report date, the share who had not left the job nor gone back across the border within N days
of arriving, by station and age group. One grouped query; the per-person parts are indexed
subqueries on (person, at)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.models import JourneyTransition, Person
from people.states import JourneyState
from reports.scopes import Scope
from reports.situation import birth_date_limit, end_of_day

PERIODS = (30, 90, 180)
AGE_GROUPS = (
    ("young", gettext_lazy("30 or under"), 30),
    ("middle", gettext_lazy("31 to 45"), 45),
    ("older", gettext_lazy("over 45"), None),
)
LEAVING_STATES = (JourneyState.LEFT_JOB, JourneyState.RETURNED)


@dataclass
class RetentionRow:
    station: str
    age_group: str
    cohorts: dict[int, int]  # period -> people at work at least that many days before the date
    kept: dict[int, int]  # period -> of them, still working that many days after arriving

    def share(self, period: int) -> float | None:
        cohort = self.cohorts[period]
        return round(100 * self.kept[period] / cohort, 1) if cohort else None

    @property
    def shares(self) -> list[float | None]:
        return [self.share(period) for period in PERIODS]


def _started(until: dt.datetime) -> Subquery:
    return Subquery(
        JourneyTransition.objects.filter(
            person=OuterRef("pk"), to_state=JourneyState.AT_WORK, at__lt=until
        )
        .order_by("at")
        .values("at")[:1]
    )


def _cohorts(scope: Scope, day: dt.date, **groups: Any) -> dict[tuple, dict[str, int]]:
    """People who started work before the date, grouped by the given expressions, with the
    size of each period's cohort and how many of them were still working at its end. One
    grouped query; the per-person parts are indexed subqueries on (person, at)."""
    until = end_of_day(day)
    persons = (
        Person.objects.filter(station_id__in=scope.station_ids)
        .annotate(started=_started(until), **groups)
        .filter(started__isnull=False)
    )
    aggregates = {}
    for period in PERIODS:
        window = dt.timedelta(days=period)
        left = JourneyTransition.objects.filter(
            person=OuterRef("pk"),
            to_state__in=LEAVING_STATES,
            at__gt=OuterRef("started"),
            at__lte=OuterRef("started") + window,
        )
        persons = persons.annotate(**{f"left_{period}": Exists(left)})
        in_cohort = Q(started__lte=until - window)
        aggregates[f"cohort_{period}"] = Count("id", filter=in_cohort)
        aggregates[f"kept_{period}"] = Count(
            "id", filter=in_cohort & Q(**{f"left_{period}": False})
        )
    keys = list(groups)
    rows = persons.values(*keys).annotate(**aggregates).order_by().values(*keys, *aggregates)
    return {tuple(row[k] for k in keys): row for row in rows}


def _row(label: str, group: str, row: dict[str, int]) -> RetentionRow:
    return RetentionRow(
        station=label,
        age_group=group,
        cohorts={p: row.get(f"cohort_{p}", 0) for p in PERIODS},
        kept={p: row.get(f"kept_{p}", 0) for p in PERIODS},
    )


def retention_by_group(scope: Scope, day: dt.date) -> list[RetentionRow]:
    return _group_rows(scope, _cohorts(scope, day, **_age_groups(day)))


def _age_groups(day: dt.date) -> dict[str, Any]:
    age_group = Case(
        *(
            When(birth_date__gt=birth_date_limit(day, limit), then=Value(key))
            for key, _label, limit in AGE_GROUPS
            if limit is not None
        ),
        default=Value(AGE_GROUPS[-1][0]),
        output_field=CharField(),
    )
    return {"station_key": F("station_id"), "age_group": age_group}


def _group_rows(scope: Scope, found: dict[tuple, dict[str, int]]) -> list[RetentionRow]:
    return [
        _row(station.localized_name, str(label), found.get((station.pk, key), {}))
        for station in scope.stations
        for key, label, _limit in AGE_GROUPS
    ]


def by_station(rows: list[RetentionRow]) -> list[RetentionRow]:
    """The rows of `retention_by_group` added up per station (every age group): the one
    definition of "still working" that the dashboard shows per station and in total."""
    stations: dict[str, RetentionRow] = {}
    for row in rows:
        total = stations.setdefault(
            row.station,
            RetentionRow(row.station, "", dict.fromkeys(PERIODS, 0), dict.fromkeys(PERIODS, 0)),
        )
        for period in PERIODS:
            total.cohorts[period] += row.cohorts[period]
            total.kept[period] += row.kept[period]
    return list(stations.values())


def overall(rows: list[RetentionRow]) -> RetentionRow:
    """Every station and age group together."""
    total = RetentionRow(
        str(_("All stations")), "", dict.fromkeys(PERIODS, 0), dict.fromkeys(PERIODS, 0)
    )
    for row in rows:
        for period in PERIODS:
            total.cohorts[period] += row.cohorts[period]
            total.kept[period] += row.kept[period]
    return total


def _first_sector(day: dt.date) -> Subquery:
    """The kind of work of the labour app's first placement of the person by the date."""
    placement = apps.get_model("labour", "Placement")
    first = placement.objects.filter(person=OuterRef("pk"), start_date__lte=day).order_by(
        "start_date", "id"
    )
    return Subquery(first.values("site__kind")[:1])


def retention_by_sector(scope: Scope, day: dt.date) -> list[RetentionRow]:
    """By the kind of work of the first placement (mine, farming commune, factory ...); empty
    when the labour app, which records placements, is not installed."""
    if not apps.is_installed("labour"):
        return []
    return _sector_rows(_cohorts(scope, day, sector=_first_sector(day)))


def _sector_rows(found: dict[tuple, dict[str, int]]) -> list[RetentionRow]:
    from labour.models import SiteKind  # only once labour is known to be installed

    rows = [
        _row(str(label), "", found[(value,)])
        for value, label in SiteKind.choices
        if (value,) in found
    ]
    if (None,) in found:
        rows.append(_row(str(_("no placement record")), "", found[(None,)]))
    return rows


def retention_by_preference(scope: Scope, day: dt.date) -> list[RetentionRow]:
    """Whether the first placement's kind of work was one the person (or their household) had
    asked for: the question behind the cable's "had not wanted" departures."""
    if not apps.is_installed("labour"):
        return []
    return _preference_rows(_cohorts(scope, day, **_preference_expressions(day)))


def _preference_expressions(day: dt.date) -> dict[str, Any]:
    preference = apps.get_model("labour", "Preference")
    sector = _first_sector(day)
    stated = preference.objects.filter(
        Q(person=OuterRef("pk")) | Q(household=OuterRef("household_id")),
        kind="sector",
        superseded_at__isnull=True,
    )
    matched = Case(
        When(~Exists(stated), then=Value("none")),
        When(Exists(stated.filter(sector=OuterRef("sector"))), then=Value("matched")),
        default=Value("other"),
        output_field=CharField(),
    )
    return {"sector": sector, "matched": matched}


def _preference_rows(found: dict[tuple, dict[str, int]]) -> list[RetentionRow]:
    totals: dict[str, dict[str, int]] = {}
    for (sector_value, match), row in found.items():
        if sector_value is None:
            continue
        bucket = totals.setdefault(match, {})
        for key, value in row.items():
            if key.startswith(("cohort_", "kept_")):
                bucket[key] = bucket.get(key, 0) + value
    labels = {
        "matched": _("work they had asked for"),
        "other": _("other work than they had asked for"),
        "none": _("no wish stated"),
    }
    return [_row(str(labels[key]), "", totals[key]) for key in labels if key in totals]


def overall_by_age(rows: list[RetentionRow]) -> list[tuple[str, int, list[float | None]]]:
    """All stations together: (age group, people in the 30-day cohort, share per period)."""
    result = []
    for _key, label, _limit in AGE_GROUPS:
        group = [row for row in rows if row.age_group == str(label)]
        shares = []
        for period in PERIODS:
            cohort = sum(row.cohorts[period] for row in group)
            kept = sum(row.kept[period] for row in group)
            shares.append(round(100 * kept / cohort, 1) if cohort else None)
        result.append((str(label), sum(row.cohorts[PERIODS[0]] for row in group), shares))
    return result


@dataclass
class Breakdowns:
    by_group: list[RetentionRow]
    by_sector: list[RetentionRow]
    by_preference: list[RetentionRow]


def _roll_up(found: dict[tuple, dict[str, int]], positions: tuple[int, ...]) -> dict:
    rolled: dict[tuple, dict[str, int]] = {}
    for key, row in found.items():
        bucket = rolled.setdefault(tuple(key[i] for i in positions), {})
        for name, value in row.items():
            if name.startswith(("cohort_", "kept_")):
                bucket[name] = bucket.get(name, 0) + value
    return rolled


Counts = dict[tuple, dict[str, int]]


def breakdown_counts(scope: Scope, day: dt.date) -> Counts:
    """The one grouped query behind every breakdown: cohorts and kept per (station, age
    group, kind of work, asked for), or per (station, age group) without the labour app."""
    if not apps.is_installed("labour"):
        return _cohorts(scope, day, **_age_groups(day))
    return _cohorts(scope, day, **_age_groups(day), **_preference_expressions(day))


def breakdowns_from(scope: Scope, found: Counts) -> Breakdowns:
    """By station and age, by kind of work and by whether it was asked for, rolled up from
    the counts of `breakdown_counts` (the dashboard shows all three)."""
    if not apps.is_installed("labour"):
        return Breakdowns(_group_rows(scope, found), [], [])
    return Breakdowns(
        by_group=_group_rows(scope, _roll_up(found, (0, 1))),
        by_sector=_sector_rows(_roll_up(found, (2,))),
        by_preference=_preference_rows(_roll_up(found, (2, 3))),
    )


def breakdowns(scope: Scope, day: dt.date) -> Breakdowns:
    return breakdowns_from(scope, breakdown_counts(scope, day))
