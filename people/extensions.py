"""Extension points for the apps that build on people: panels on the person page and the
station dashboard, links in the navigation, and guards on journey steps.

An app registers its hooks in its AppConfig.ready(); the people app never imports it.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

from people.models import Person
from stations.models import StaffProfile, Station

# A panel returns rendered HTML for the viewer, or "" when it has nothing to show them.
PersonPanel = Callable[[HttpRequest, Person], str]
StationPanel = Callable[[HttpRequest, Station], str]
# A guard returns why a step may not be taken now (for example: no clearance decision
# recorded), or None. An override with a written reason passes a failed guard.
TransitionGuard = Callable[[Person, str, StaffProfile], str | None]


# A listener reacts to a step that has just been taken, inside its transaction (so a failure
# undoes the step too): a return across the border ends a quarantine stay and frees a bed.
TransitionListener = Callable[[object, Person, str], None]


# A demo loader adds an app's part of the demo data set after the people are loaded; it gets
# the seed and the scale (persons / 20,517) and returns counts to report.
DemoLoader = Callable[[int, float], dict]
# Rows an app derives from one chunk of demo persons (a dict per person, with the columns of
# people_person), built in the loader's worker processes beside the people rows and written
# with them: {table: (columns, rows)}. Cheaper than reading a million persons back.
DemoRowBuilder = Callable[[list[dict]], dict[str, tuple[tuple[str, ...], list[tuple]]]]
# Wraps the bulk write of the demo people: for example a per-row trigger suspended while
# millions of rows go in, and what it maintains rebuilt once afterwards.
BulkLoadGuard = Callable[[], AbstractContextManager[None]]
# Called with persons whose fields were just changed (in bulk; no save() signal fires), to
# derive data again.
PersonsSavedHook = Callable[[list[Person]], None]
# Called with persons about to be created, before the write lock is taken (deriving their
# identity keys was half of a registration's time inside the lock); returns what writes the
# derived rows, inside the registration's transaction, once the same objects have ids.
NewPersonsPreparer = Callable[[list[Person]], Callable[[list[Person]], None]]
# HTML added to the registration form (for example the files check), and what runs after a
# household is registered, with each member's form prefix beside the person created.
RegistrationExtra = Callable[[HttpRequest], str]
AfterRegistration = Callable[[HttpRequest, list[tuple[str, Person]]], None]
# Narrows the person list (for example hiding records merged into another person).
ListFilter = Callable[[QuerySet], QuerySet]
# Maps person ids a name search found to the ids to show (a merged record's survivor).
SearchResolver = Callable[[list[int]], list[int]]
# Given the ids of persons whose names match a list's name filter (a subquery), the ids of
# other persons the list must show for them (identity: the record a match was merged into).
SearchExpander = Callable[[QuerySet], list[int]]


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: str
    roles: frozenset[str]


_person_panels: list[PersonPanel] = []
_station_panels: list[StationPanel] = []
_guards: dict[str, list[TransitionGuard]] = {}
_nav_links: list[NavLink] = []
_demo_loaders: list[DemoLoader] = []
_demo_loaders_writing_in_bulk: set[DemoLoader] = set()
_demo_row_builders: list[DemoRowBuilder] = []
_bulk_load_guards: list[BulkLoadGuard] = []
_listeners: dict[str, list[TransitionListener]] = {}
_persons_saved: list[PersonsSavedHook] = []
_new_persons_preparers: list[NewPersonsPreparer] = []
_registration_extras: list[RegistrationExtra] = []
_after_registration: list[AfterRegistration] = []
_list_filters: list[ListFilter] = []
_search_resolvers: list[SearchResolver] = []
_search_expanders: list[SearchExpander] = []


def register_persons_saved(hook: PersonsSavedHook) -> None:
    if hook not in _persons_saved:
        _persons_saved.append(hook)


def persons_saved(persons: list[Person]) -> None:
    """Tell the apps that keep data derived from persons (identity keys) that these changed."""
    for hook in _persons_saved:
        hook(persons)


def register_new_persons_preparer(preparer: NewPersonsPreparer) -> None:
    if preparer not in _new_persons_preparers:
        _new_persons_preparers.append(preparer)


def prepare_new_persons(persons: list[Person]) -> Callable[[list[Person]], None]:
    """Let the apps derive their data from persons not saved yet; the function returned
    writes it once the persons are saved (the same objects, now with ids)."""
    writers = [prepare(persons) for prepare in _new_persons_preparers]

    def write(saved: list[Person]) -> None:
        for writer in writers:
            writer(saved)

    return write


def register_registration_extra(extra: RegistrationExtra) -> None:
    if extra not in _registration_extras:
        _registration_extras.append(extra)


def registration_extras(request: HttpRequest) -> list[str]:
    return [html for extra in _registration_extras if (html := extra(request))]


def register_after_registration(hook: AfterRegistration) -> None:
    if hook not in _after_registration:
        _after_registration.append(hook)


def after_registration(request: HttpRequest, members: list[tuple[str, Person]]) -> None:
    for hook in _after_registration:
        hook(request, members)


def register_list_filter(list_filter: ListFilter) -> None:
    if list_filter not in _list_filters:
        _list_filters.append(list_filter)


def apply_list_filters(persons: QuerySet) -> QuerySet:
    for list_filter in _list_filters:
        persons = list_filter(persons)
    return persons


def register_search_resolver(resolver: SearchResolver) -> None:
    if resolver not in _search_resolvers:
        _search_resolvers.append(resolver)


def resolve_search_ids(person_ids: list[int]) -> list[int]:
    for resolver in _search_resolvers:
        person_ids = resolver(person_ids)
    return list(dict.fromkeys(person_ids))


def register_search_expander(expander: SearchExpander) -> None:
    if expander not in _search_expanders:
        _search_expanders.append(expander)


def expand_search(matched_ids: QuerySet) -> list[int]:
    return [extra for expander in _search_expanders for extra in expander(matched_ids)]


def register_person_panel(panel: PersonPanel) -> None:
    if panel not in _person_panels:
        _person_panels.append(panel)


def register_station_panel(panel: StationPanel) -> None:
    if panel not in _station_panels:
        _station_panels.append(panel)


def register_transition_guard(target_state: str, guard: TransitionGuard) -> None:
    guards = _guards.setdefault(target_state, [])
    if guard not in guards:
        guards.append(guard)


def register_transition_listener(target_state: str, listener: TransitionListener) -> None:
    listeners = _listeners.setdefault(target_state, [])
    if listener not in listeners:
        listeners.append(listener)


def notify_transition(user: object, person: Person, target_state: str) -> None:
    for listener in _listeners.get(target_state, []):
        listener(user, person, target_state)


def register_nav_link(link: NavLink) -> None:
    if link not in _nav_links:
        _nav_links.append(link)


def register_demo_loader(loader: DemoLoader, *, writes_in_bulk: bool = False) -> None:
    """writes_in_bulk: the loader only appends to its app's tables and never looks rows up
    there by a secondary index, so those indexes can be built once after it has run."""
    if loader not in _demo_loaders:
        _demo_loaders.append(loader)
    if writes_in_bulk:
        _demo_loaders_writing_in_bulk.add(loader)


def demo_loaders() -> list[DemoLoader]:
    return list(_demo_loaders)


def writes_in_bulk(loader: DemoLoader) -> bool:
    return loader in _demo_loaders_writing_in_bulk


def register_demo_row_builder(builder: DemoRowBuilder) -> None:
    if builder not in _demo_row_builders:
        _demo_row_builders.append(builder)


def demo_row_builders() -> list[DemoRowBuilder]:
    return list(_demo_row_builders)


def register_bulk_load_guard(guard: BulkLoadGuard) -> None:
    if guard not in _bulk_load_guards:
        _bulk_load_guards.append(guard)


def bulk_load_guards() -> list[BulkLoadGuard]:
    return list(_bulk_load_guards)


def person_panels(request: HttpRequest, person: Person) -> list[str]:
    return [html for panel in _person_panels if (html := panel(request, person))]


def station_panels(request: HttpRequest, station: Station) -> list[str]:
    return [html for panel in _station_panels if (html := panel(request, station))]


def guard_failures(person: Person, target_state: str, profile: StaffProfile) -> list[str]:
    return [
        problem
        for guard in _guards.get(target_state, [])
        if (problem := guard(person, target_state, profile))
    ]


def nav_links(profile: StaffProfile | None) -> list[NavLink]:
    if profile is None:
        return []
    return [link for link in _nav_links if profile.role in link.roles]
