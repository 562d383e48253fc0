"""The situation report: the figures of a scope as they stood at the end of any day.

Everything is computed from the history tables (crossings and journey transitions with their
timestamps), never from ``Person.state``, so a report for a past date shows that day's figures.
Each figure is one aggregate query grouped by station; nothing loops over persons in Python.
The head counts come from daily step counts that database triggers keep (reports.StepCount),
so a province's report reads a few thousand rows rather than every step ever taken.

How many people were in a state at a moment is the number of steps into that state minus the
steps out of it up to that moment: every transition records both its source and its target,
so one grouped scan of the transitions gives every state's head count at once.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Sum,
    Value,
    When,
)

from identity.crossings import active_policy, flagged_by_station
from people.models import EducationLevel, JourneyTransition, Person
from people.states import PRESENT_AT_STATION, JourneyState
from reports.cable import CableFigures, cable_figures
from reports.models import Departure, StepCount
from reports.periods import day_stretches
from reports.scopes import Scope
from waystation import clock

HIGHER_EDUCATION_LEVELS = (EducationLevel.UNIVERSITY, EducationLevel.TECHNICAL)
HIGHER_EDUCATION_YEARS = 3
YOUNG_AGE = 30  # the cable: "most of those who fled were youth age 30 or less"
PRESENT_STATES = frozenset(state.value for state in PRESENT_AT_STATION)

# The figures of one station, in report order: (key, HXL tag). "placed" counts placements (a
# person placed again after leaving a job counts twice), "left_job" departures from jobs, and
# "returned" the people who had gone back across the border and not come again by that day.
FIGURES: tuple[tuple[str, str], ...] = (
    ("arrivals", "#affected+arrived"),
    ("present", "#affected+present"),
    ("placed", "#affected+placed"),
    ("higher_education", "#affected+educated"),
    ("left_job", "#affected+left_job"),
    ("returned", "#affected+returned"),
    ("repeat_crossers", "#affected+repeat_crossers"),
)
FIGURE_KEYS = tuple(key for key, _tag in FIGURES)


@dataclass
class StationFigures:
    station_id: int
    code: str
    name: str
    county: str
    province: str
    arrivals: int = 0
    present: int = 0
    placed: int = 0
    higher_education: int = 0
    left_job: int = 0
    returned: int = 0
    repeat_crossers: int = 0
    states: dict[str, int] = field(default_factory=dict)

    def figures(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in FIGURE_KEYS}


@dataclass
class SituationReport:
    as_of: dt.date
    scope: Scope
    stations: list[StationFigures]
    left_job_reasons: list[tuple[str, int]]
    left_job_young: int
    generated_at: dt.datetime
    cable: CableFigures | None = None
    repeat_policy: str = ""

    @property
    def totals(self) -> dict[str, int]:
        return {key: sum(getattr(s, key) for s in self.stations) for key in FIGURE_KEYS}

    @property
    def states(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for station in self.stations:
            total.update(station.states)
        return {state.value: total.get(state.value, 0) for state in JourneyState}

    @property
    def left_job_young_share(self) -> float:
        left = self.totals["left_job"]
        return self.left_job_young / left if left else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The structured form (JSON): plain numbers and codes, no translated text."""
        return {
            "as_of": self.as_of.isoformat(),
            "scope": {"kind": self.scope.kind, "value": self.scope.value},
            "generated_at": self.generated_at.isoformat(),
            "totals": self.totals,
            "states": self.states,
            "left_job": {
                "persons": self.totals["left_job"],
                "aged_30_or_under": self.left_job_young,
                "reasons": [{"reason": r, "count": n} for r, n in self.left_job_reasons],
            },
            **(self.cable.to_dict() if self.cable else {}),
            "repeat_crossers_policy": self.repeat_policy,
            "stations": [
                {
                    "code": s.code,
                    "name": s.name,
                    "county": s.county,
                    "province": s.province,
                    **s.figures(),
                    "states": {k: v for k, v in s.states.items() if v},
                }
                for s in self.stations
            ],
        }


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` in the deployment's time zone (exclusive bound)."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def birth_date_limit(day: dt.date, age: int) -> dt.date:
    """People born after this date are ``age`` or younger on ``day``."""
    try:
        return day.replace(year=day.year - age - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - age - 1, day=28)


def _by_station(rows: Any, key: str = "station_key") -> dict[int, int]:
    return {row[key]: row["n"] for row in rows}


@dataclass
class StepTally:
    """Every journey step up to a moment, counted once, grouped by what the report needs."""

    states: dict[int, Counter[str]]  # station -> head count per state (steps in - steps out)
    arrivals: Counter[int]  # station -> first arrivals (the step out of no state)
    placements: Counter[int]
    departures: Counter[int]  # steps into "left job"
    young_departures: int
    reasons: Counter[str]


def step_counts(station_ids: list[int], until: dt.datetime) -> list[dict[str, Any]]:
    """Steps before ``until`` per (station, from, to): the daily counts the database keeps
    for whole UTC days, and of the UTC day ``until`` cuts through only the shorter side
    counted step by step, as the dashboard's periods are (reports.periods.day_stretches):
    the hours before ``until`` added, or the hours after it taken from that day's count
    (with local time ahead of UTC, the hours after a local midnight; none yet on today's
    report)."""
    cut = clock.utc_midnight(until)
    whole, stretches = day_stretches([cut, until]) if until > cut else ({}, [])
    whole_days = (
        StepCount.objects.filter(
            day__lte=max(whole, default=cut.date() - dt.timedelta(days=1)),
            station_id__in=station_ids,
        )
        .values("from_state", "to_state", station_key=F("station_id"))
        .annotate(n=Sum("n"))
        .order_by()
    )
    counted_apart = [
        row
        for since, before, to_period, _from_period in stretches
        for row in JourneyTransition.objects.filter(
            at__gte=since, at__lt=before, person__station_id__in=station_ids
        )
        .values("from_state", "to_state", station_key=F("person__station_id"))
        .annotate(n=Count("id") * (1 if to_period is not None else -1))
        .order_by()
    ]
    return [*whole_days, *counted_apart]


def tally_steps(
    station_ids: list[int],
    until: dt.datetime,
    young_limit: dt.date,
    *,
    departures: bool = True,
) -> StepTally:
    """One grouped scan of the journey steps before ``until`` gives every head count, and a
    second one over the copy of the steps out of a job (reports.Departure) gives their reasons
    and the leavers' ages.

    A person's first step comes out of no state, so first arrivals are the steps from "";
    a person who goes back and returns comes in again from "returned" and is not counted twice.
    """
    tally = StepTally(
        states={pk: Counter() for pk in station_ids},
        arrivals=Counter(),
        placements=Counter(),
        departures=Counter(),
        young_departures=0,
        reasons=Counter(),
    )
    for row in step_counts(station_ids, until):
        station, n = row["station_key"], row["n"]
        tally.states[station][row["to_state"]] += n
        if row["from_state"]:
            tally.states[station][row["from_state"]] -= n
        else:
            tally.arrivals[station] += n
        if row["to_state"] == JourneyState.PLACED:
            tally.placements[station] += n
        elif row["to_state"] == JourneyState.LEFT_JOB:
            tally.departures[station] += n
    if not departures:
        return tally
    # The steps out of a job, by reason and by the person's age on the day, from the copy
    # the database keeps of them beside each leaver's station and birth date.
    left = (
        Departure.objects.filter(at__lt=until, station_id__in=station_ids)
        .annotate(
            young=Case(
                When(birth_date__gt=young_limit, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values("reason", "young")
        .annotate(n=Count("station"))  # a column of the covering index, unlike the key
        .order_by()
    )
    for row in left:
        tally.young_departures += row["n"] * row["young"]
        # "other: details" counts as "other"; the details stay on the person's record.
        reason = " ".join(row["reason"].split(":")[0].split()).lower() or "-"
        tally.reasons[reason] += row["n"]
    return tally


def state_counts(station_ids: list[int], until: dt.datetime) -> dict[int, Counter[str]]:
    """Head count per station and journey state at ``until``: steps in minus steps out."""
    return tally_steps(station_ids, until, dt.date.min, departures=False).states


def states_at(scope: Scope, day: dt.date) -> dict[str, int]:
    """Head count per journey state in the scope at the end of the day: the situation
    report's states, without its other figures (the dashboard's chart)."""
    total: Counter[str] = Counter()
    for counts in state_counts(scope.station_ids, end_of_day(day)).values():
        total.update(counts)
    return {state.value: total.get(state.value, 0) for state in JourneyState}


def _repeat_crossers(station_ids: list[int], until: dt.datetime) -> dict[int, int]:
    """People who crossed more often than the active repeat-crossing policy allows (a row
    in the database: e.g. more than 3 crossings in within 365 days), by the one definition
    the repeat-crossers page uses (identity.crossings), counted by station."""
    policy = active_policy()
    if policy is None:
        return {}
    # Counted back from the end of the day, or from now for today's report: the moment the
    # repeat-crossers page counts from, so both show the same people.
    moment = min(until, clock.now())
    # repeat_crossers counts only crossings up to the moment, so a past day's count is the
    # count that day had
    return flagged_by_station(Person.objects.filter(station_id__in=station_ids), policy, moment)


def repeat_policy_name() -> str:
    policy = active_policy()
    return policy.name if policy else ""


def _higher_education(station_ids: list[int], until: dt.datetime) -> dict[int, int]:
    arrived = JourneyTransition.objects.filter(person=OuterRef("pk"), from_state="", at__lt=until)
    return _by_station(
        Person.objects.filter(
            station_id__in=station_ids,
            education_level__in=HIGHER_EDUCATION_LEVELS,
            education_years__gte=HIGHER_EDUCATION_YEARS,
        )
        .filter(Exists(arrived))
        .values(station_key=F("station_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def situation_report(scope: Scope, day: dt.date) -> SituationReport:
    """Every figure of the situation report for ``scope`` at the end of ``day``.

    Four grouped queries: the journey steps (head counts, arrivals, placements, departures),
    the departures' reasons and ages, the repeat crossers, and the people with higher education.
    """
    until = end_of_day(day)
    ids = scope.station_ids
    tally = tally_steps(ids, until, birth_date_limit(day, YOUNG_AGE))
    repeat = _repeat_crossers(ids, until)
    educated = _higher_education(ids, until)
    stations = []
    for station in scope.stations:
        counts = tally.states[station.pk]
        stations.append(
            StationFigures(
                station_id=station.pk,
                code=station.code,
                name=station.localized_name,
                county=station.county,
                province=station.province,
                arrivals=tally.arrivals[station.pk],
                present=sum(n for state, n in counts.items() if state in PRESENT_STATES),
                placed=tally.placements[station.pk],
                higher_education=educated.get(station.pk, 0),
                left_job=tally.departures[station.pk],
                returned=counts.get(JourneyState.RETURNED.value, 0),
                repeat_crossers=repeat.get(station.pk, 0),
                states={state.value: counts.get(state.value, 0) for state in JourneyState},
            )
        )
    return SituationReport(
        as_of=day,
        scope=scope,
        stations=stations,
        left_job_reasons=sorted(tally.reasons.items(), key=lambda item: (-item[1], item[0])),
        left_job_young=tally.young_departures,
        generated_at=clock.now(),
        cable=cable_figures(ids, day, until),
        repeat_policy=repeat_policy_name(),
    )
