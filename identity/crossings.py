"""Crossing history across a person's linked records, and the repeat crossers a policy
flags (the thresholds are a row in the database, not code)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from identity.links import active_links, all_roots, record_group
from identity.models import CrossingTally, RepeatCrossingPolicy
from people.models import Crossing, Person
from waystation import clock


@dataclass(frozen=True)
class RepeatCrosser:
    person: Person
    crossings: int
    records: int


def active_policy() -> RepeatCrossingPolicy | None:
    return RepeatCrossingPolicy.objects.filter(active=True).order_by("id").first()


def crossings_of(person: Person) -> QuerySet[Crossing]:
    """Every crossing of every record of this person, oldest first."""
    return (
        Crossing.objects.filter(person_id__in=record_group(person.pk))
        .select_related("station", "person")
        .order_by("crossed_at", "id")
    )


def count_in_period(person: Person, policy: RepeatCrossingPolicy, now: dt.datetime) -> int:
    since = now - dt.timedelta(days=policy.period_days)
    return (
        crossings_of(person).filter(direction=Crossing.Direction.IN, crossed_at__gte=since).count()
    )


def flagged_counts(
    policy: RepeatCrossingPolicy, now: dt.datetime | None = None
) -> dict[int, tuple[int, int]]:
    """Root record -> (inward crossings in the policy's period, records counted) for every
    person over the policy's threshold, counted over all their linked records."""
    now = now or clock.now()
    since = now - dt.timedelta(days=policy.period_days)
    in_period = Crossing.objects.filter(
        direction=Crossing.Direction.IN, crossed_at__gte=since, crossed_at__lte=now
    )
    # A record passes the threshold alone, or together with the records linked to it. Only
    # those two kinds are counted: grouping every crossing of a million persons and looking
    # up the links of each took seconds, and nobody else can pass.
    # Only a record that ever crossed more often than the threshold can pass alone: the
    # tally the database keeps names those few.
    often = CrossingTally.objects.filter(n__gt=policy.threshold).values("person_id")
    counts = dict(
        in_period.filter(person_id__in=often)
        .values("person_id")
        # a column of the partial index of inward crossings (identity_crossing_in), unlike
        # the id: the count is read from the index alone
        .annotate(n=Count("person_id"))
        .filter(n__gt=policy.threshold)
        .values_list("person_id", "n")
        .order_by()
    )
    # each side of the links by itself: an OR of the two made SQLite scan every crossing
    for side in ("person_id", "merged_into_id"):
        counts.update(
            in_period.filter(person_id__in=active_links().values(side))
            .values("person_id")
            .annotate(n=Count("id"))
            .values_list("person_id", "n")
            .order_by()
        )
    roots = all_roots()
    totals: dict[int, int] = {}
    records: dict[int, int] = {}
    for person_id, number in counts.items():
        root = roots.get(person_id, person_id)
        totals[root] = totals.get(root, 0) + number
        records[root] = records.get(root, 0) + 1
    return {root: (n, records[root]) for root, n in totals.items() if n > policy.threshold}


def _visible_among(
    persons: QuerySet[Person], flagged: dict[int, tuple[int, int]], threshold: int
) -> dict[int, int]:
    """Flagged record -> its station, for the flagged records among `persons`. Most flagged
    records crossed more often than the threshold alone and are read through the tally as a
    subquery; only the few flagged with their linked records are looked up by id (binding
    thousands of ids into a query cost more than the query)."""
    often = CrossingTally.objects.filter(n__gt=threshold).values("person_id")
    found = dict(persons.filter(pk__in=often).values_list("pk", "station_id"))
    often_ids = set(often.values_list("person_id", flat=True))
    rest = [pk for pk in flagged if pk not in often_ids]
    if rest:
        found.update(persons.filter(pk__in=rest).values_list("pk", "station_id"))
    return {pk: station for pk, station in found.items() if pk in flagged}


def repeat_crossers(
    persons: QuerySet[Person], policy: RepeatCrossingPolicy, now: dt.datetime | None = None
) -> list[RepeatCrosser]:
    """Persons (as their root record) with more inward crossings than the policy allows in
    its period, counted over all their linked records; most crossings first."""
    flagged = flagged_counts(policy, now)
    visible = persons.filter(pk__in=flagged).select_related("station")
    rows = [RepeatCrosser(p, *flagged[p.pk]) for p in visible]
    return sorted(rows, key=lambda row: (-row.crossings, row.person.pk))


def flagged_by_station(
    persons: QuerySet[Person], policy: RepeatCrossingPolicy, now: dt.datetime | None = None
) -> dict[int, int]:
    """How many repeat crossers each station has (the situation report's figure)."""
    stations = _visible_among(persons, flagged_counts(policy, now), policy.threshold)
    return dict(Counter(stations.values()))


def ranked_ids(
    persons: QuerySet[Person], flagged: dict[int, tuple[int, int]], policy: RepeatCrossingPolicy
) -> list[int]:
    """The visible flagged persons, most crossings first (the page shows them a page at a
    time and loads only that page's records)."""
    visible = _visible_among(persons, flagged, policy.threshold)
    return sorted(visible, key=lambda pk: (-flagged[pk][0], pk))
