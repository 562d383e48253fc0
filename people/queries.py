"""Read-side queries: lists, search and station summaries, always scoped to the viewer."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from people.models import Person, PersonName
from people.names import normalise_name, prefix_range
from people.states import PRESENT_AT_STATION, JourneyState
from stations.access import scope_to_stations
from stations.models import StaffProfile, Station

LIST_FILTERS = ("station", "state", "category", "sex", "education_level", "household")


def visible_persons(profile: StaffProfile | None) -> QuerySet[Person]:
    return scope_to_stations(profile, Person.objects.all())


def filtered_persons(profile: StaffProfile | None, params: dict[str, str]) -> QuerySet[Person]:
    persons = visible_persons(profile).select_related("station")
    for name in LIST_FILTERS:
        value = (params.get(name) or "").strip()
        if not value:
            continue
        if name in ("station", "household"):
            if not value.isdigit():
                return persons.none()
            persons = persons.filter(**{f"{name}_id": int(value)})
        else:
            persons = persons.filter(**{name: value})
    query = params.get("q", "")
    if normalise_name(query):
        persons = persons.filter(pk__in=matching_person_ids(query))
    return persons.order_by("-id")


def matching_person_ids(query: str) -> QuerySet:
    """Ids of persons with any name form starting with the query (any script, any order)."""
    low, high = prefix_range(normalise_name(query))
    return PersonName.objects.filter(value__gte=low, value__lt=high).values("person_id")


def search_persons(profile: StaffProfile | None, query: str, limit: int = 50) -> list[Person]:
    if not normalise_name(query):
        return []
    persons = (
        visible_persons(profile)
        .filter(pk__in=matching_person_ids(query))
        .select_related("station")
        .order_by("-id")
    )
    return list(persons[:limit])


@dataclass(frozen=True)
class StationSummary:
    station: Station
    by_state: dict[str, int]
    present: int

    @property
    def beds_used(self) -> int:
        # Everyone present sleeps at the station until bed assignments say otherwise.
        return min(self.present, self.station.bed_capacity)

    @property
    def beds_free(self) -> int:
        return max(self.station.bed_capacity - self.present, 0)

    @property
    def over_capacity(self) -> int:
        return max(self.present - self.station.bed_capacity, 0)

    @property
    def state_rows(self) -> list[tuple[JourneyState, int]]:
        return [(state, self.by_state.get(state.value, 0)) for state in JourneyState]


def station_summaries(stations: QuerySet[Station]) -> list[StationSummary]:
    station_list = list(stations)
    counts: dict[int, dict[str, int]] = {station.pk: {} for station in station_list}
    rows = (
        Person.objects.filter(station__in=station_list)
        .values("station_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["station_id"]][row["state"]] = row["n"]
    return [
        StationSummary(
            station=station,
            by_state=counts[station.pk],
            present=sum(counts[station.pk].get(state.value, 0) for state in PRESENT_AT_STATION),
        )
        for station in station_list
    ]
