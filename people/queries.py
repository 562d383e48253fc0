"""Read-side queries: lists, search and station summaries, always scoped to the viewer."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from people.head_counts import head_counts
from people.models import Person, PersonName
from people.names import normalise_name, prefix_range
from people.states import PRESENT_AT_STATION, JourneyState
from stations.access import scope_to_stations, scoped_or_404, visible_stations
from stations.models import StaffProfile, Station
from waystation.input_guard import parse_id

LIST_FILTERS = ("station", "state", "category", "sex", "education_level", "household")


def visible_persons(profile: StaffProfile | None) -> QuerySet[Person]:
    return scope_to_stations(profile, Person.objects.all())


def scoped_person(profile: StaffProfile | None, pk: object) -> Person:
    """The person with this id if the viewer may see them, else 404 (as if absent)."""
    return scoped_or_404(Person.objects.select_related("station", "household"), profile, pk)


def live_persons(profile: StaffProfile | None) -> QuerySet[Person]:
    """The people a list shows: each human once (a record merged into another is not)."""
    return visible_persons(profile).exclude(state=JourneyState.MERGED)


def survivors_of(person_ids: list[int]) -> list[int]:
    """A record merged into another stands for the survivor: a search that finds the merged
    record's name (it may be the only one that matches) shows the survivor in its place."""
    from identity.links import active_roots

    roots = active_roots(person_ids)
    return list(dict.fromkeys(roots.get(person_id, person_id) for person_id in person_ids))


def filtered_persons(profile: StaffProfile | None, params: dict[str, str]) -> QuerySet[Person]:
    persons = live_persons(profile).select_related("station")
    for name in LIST_FILTERS:
        value = (params.get(name) or "").strip()
        if not value:
            continue
        if name in ("station", "household"):
            record_id = parse_id(value)
            if record_id is None:
                return persons.none()
            persons = persons.filter(**{f"{name}_id": record_id})
        else:
            persons = persons.filter(**{name: value})
    query = params.get("q", "")
    if normalise_name(query):
        matched = matching_person_ids(query)
        merged = matched.filter(person__state=JourneyState.MERGED).values_list(
            "person_id", flat=True
        )
        persons = persons.filter(Q(pk__in=matched) | Q(pk__in=survivors_of(list(merged))))
    return newest_first(persons, _only_station(profile, params))


def listed_count(profile: StaffProfile | None, params: dict[str, str]) -> int | None:
    """How many people `filtered_persons` lists, from the kept head counts when the list is
    filtered by station and state alone (a station's list, the station page's links), else
    None. Counting a station's live records otherwise reads all its 300,000 people at a
    million persons (65 ms on PostgreSQL) on every page of the list."""
    narrowed = [name for name in LIST_FILTERS if (params.get(name) or "").strip()]
    if set(narrowed) - {"station", "state"} or normalise_name(params.get("q", "")):
        return None
    stations = visible_stations(profile)
    if "station" in narrowed:
        record_id = parse_id(params["station"].strip())
        if record_id is None:
            return 0
        stations = stations.filter(pk=record_id)
    state = (params.get("state") or "").strip()
    counts = head_counts(stations.values_list("pk", flat=True))
    return sum(
        n
        for by_state in counts.values()
        for counted_state, n in by_state.items()
        if counted_state != JourneyState.MERGED and (not state or counted_state == state)
    )


def _only_station(profile: StaffProfile | None, params: dict[str, str]) -> int | None:
    """The one station a list is restricted to (chosen, or all the viewer may see), if any."""
    chosen = parse_id((params.get("station") or "").strip())
    if chosen is not None:
        return chosen
    visible = list(visible_stations(profile).values_list("pk", flat=True)[:2])
    return visible[0] if len(visible) == 1 else None


def newest_first(persons: QuerySet[Person], station_id: int | None) -> QuerySet[Person]:
    """Newest records first, of one station when `station_id` is given, read backwards
    along the (station, id) index.

    Given "station = X", PostgreSQL walks the whole registry's primary key backwards and skips
    other stations' people, guessing that each station's people are spread evenly over the
    ids. A station whose newest record is old (one that stopped registering months ago; the
    demo writes station after station) then costs a walk through every later record: 0.45 s
    at a million persons. Written as a range, the station stays in the order, which only the
    (station, id) index gives: a tenth of a millisecond. SQLite reads "station = X" along that
    index as it is, and given the range it sorts the station instead (1.4 s)."""
    if station_id is None:
        return persons.order_by("-id")
    if connection.vendor != "postgresql":
        return persons.filter(station_id=station_id).order_by("-id")
    return persons.filter(station_id__gte=station_id, station_id__lte=station_id).order_by(
        "-station_id", "-id"
    )


def listed_filters(params: dict[str, str]) -> dict[str, str]:
    """The list filters given, for the audit log: codes and ids, never a typed name."""
    return {
        name: str(params.get(name)).strip()[:40]
        for name in LIST_FILTERS
        if str(params.get(name) or "").strip()
    }


def matching_person_ids(query: str) -> QuerySet:
    """Ids of persons with any name form starting with the query (any script, any order)."""
    low, high = prefix_range(normalise_name(query))
    return PersonName.objects.filter(value__gte=low, value__lt=high).values("person_id")


SEARCH_CANDIDATES = 2_000
SEARCH_BATCH = 200


def search_persons(profile: StaffProfile | None, query: str, limit: int = 50) -> list[Person]:
    """People with a name form starting with the query, closest spellings first (the name
    index is walked in order), at most `limit`. A very common prefix is capped at
    SEARCH_CANDIDATES name forms so that a one-syllable search stays as fast as a full name."""
    if not normalise_name(query):
        return []
    low, high = prefix_range(normalise_name(query))
    candidates = list(
        PersonName.objects.filter(value__gte=low, value__lt=high)
        .order_by("value")
        .values_list("person_id", flat=True)[:SEARCH_CANDIDATES]
    )
    ranked = survivors_of(list(dict.fromkeys(candidates)))
    found: list[Person] = []
    scoped = live_persons(profile).select_related("station")
    # Fetch in rank order, a batch at a time, until enough are in the viewer's scope.
    for start in range(0, len(ranked), SEARCH_BATCH):
        batch = ranked[start : start + SEARCH_BATCH]
        by_id = {person.pk: person for person in scoped.filter(pk__in=batch)}
        found.extend(by_id[person_id] for person_id in batch if person_id in by_id)
        if len(found) >= limit:
            break
    return found[:limit]


@dataclass(frozen=True)
class StationSummary:
    station: Station
    by_state: dict[str, int]
    present: int

    @property
    def state_rows(self) -> list[tuple[JourneyState, int, int]]:
        """(state, count, bar width in percent of the largest state)."""
        largest = max(self.by_state.values(), default=0) or 1
        return [
            (state, count, round(100 * count / largest))
            for state in JourneyState
            for count in [self.by_state.get(state.value, 0)]
        ]


def station_summaries(stations: QuerySet[Station]) -> list[StationSummary]:
    station_list = list(stations)
    counts = head_counts(station.pk for station in station_list)
    return [
        StationSummary(
            station=station,
            by_state=counts[station.pk],
            present=sum(counts[station.pk].get(state.value, 0) for state in PRESENT_AT_STATION),
        )
        for station in station_list
    ]


@dataclass(frozen=True)
class PersonRow:
    pk: int
    hangul: str
    hanzi: str
    latin: str
    sex: str
    birth: object
    birth_year_only: bool
    station: str
    state: str


def person_rows(persons: list[Person]) -> list[PersonRow]:
    """Rows for person tables, with labels looked up once per page instead of once per cell."""
    from people.models import Sex

    sexes = {value: str(label) for value, label in Sex.choices}
    states = {value: str(label) for value, label in JourneyState.choices}
    return [
        PersonRow(
            pk=person.pk,
            hangul=person.family_name_hangul + person.given_name_hangul,
            hanzi=person.family_name_hanzi + person.given_name_hanzi,
            latin=person.latin_name,
            sex=sexes.get(person.sex, ""),
            birth=person.birth_date,
            birth_year_only=person.birth_date_precision in ("year", "about"),
            station=str(person.station),
            state=states.get(person.state, person.state),
        )
        for person in persons
    ]
