"""Retention after placement: of the people who arrived at work at least N days before the
report date, the share who had not left the job nor gone back across the border within N days
of arriving, by station and age group. One grouped query; the per-person parts are indexed
subqueries on (person, at)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from people.models import JourneyTransition, Person
from people.states import JourneyState
from reports.scopes import Scope
from reports.situation import birth_date_limit, end_of_day

PERIODS = (30, 90, 180)
AGE_GROUPS = (
    ("young", _("30 or under"), 30),
    ("middle", _("31 to 45"), 45),
    ("older", _("over 45"), None),
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


def retention_by_group(scope: Scope, day: dt.date) -> list[RetentionRow]:
    until = end_of_day(day)
    started = (
        JourneyTransition.objects.filter(
            person=OuterRef("pk"), to_state=JourneyState.AT_WORK, at__lt=until
        )
        .order_by("at")
        .values("at")[:1]
    )
    age_group = Case(
        *(
            When(birth_date__gt=birth_date_limit(day, limit), then=Value(key))
            for key, _label, limit in AGE_GROUPS
            if limit is not None
        ),
        default=Value(AGE_GROUPS[-1][0]),
        output_field=CharField(),
    )
    persons = Person.objects.filter(station_id__in=scope.station_ids).annotate(
        started=Subquery(started), age_group=age_group
    )
    persons = persons.filter(started__isnull=False)
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
    rows = (
        persons.values("station_id", "age_group")
        .annotate(**aggregates)
        .order_by()
        .values("station_id", "age_group", *aggregates)
    )
    found = {(row["station_id"], row["age_group"]): row for row in rows}
    result = []
    for station in scope.stations:
        for key, label, _limit in AGE_GROUPS:
            row = found.get((station.pk, key), {})
            result.append(
                RetentionRow(
                    station=station.localized_name,
                    age_group=str(label),
                    cohorts={p: row.get(f"cohort_{p}", 0) for p in PERIODS},
                    kept={p: row.get(f"kept_{p}", 0) for p in PERIODS},
                )
            )
    return result


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
