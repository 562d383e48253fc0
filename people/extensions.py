"""What the other apps add to the people pages and the demo, declared here in one place:
panels on the person page and the station dashboard, timeline events, navigation links, and
the demo loaders. Each is named by dotted path and resolved when first used, so this module
never imports the apps (they import people) and nothing is registered at start-up: a reader
sees here, in order, everything that appears.

The rules of the journey (guards, effects, owners) are not here but in people/journey.py.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from stations.roles import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from people.models import Person
    from stations.models import StaffProfile, Station

# A panel returns rendered HTML for the viewer, or "" when it has nothing to show them.
PERSON_PANELS = (
    "households.panels.person_panel",
    "health.panels.person_panel",
    "documents.panels.person_panel",
    "supplies.panels.person_panel",
    "reports.panels.person_panel",
    "reports.panels.grievance_panel",
    "identity.hooks.person_panel",
    "labour.panels.person_panel",
    "intake.panels.person_panel",
)
STATION_PANELS = (
    "health.panels.station_panel",
    "documents.panels.station_panel",
    "supplies.panels.station_panel",
)
# Each returns the events of one kind on a person's timeline.
TIMELINE_SOURCES = (
    "people.timeline.transition_events",
    "people.timeline.crossing_events",
    "health.panels.timeline_events",
    "documents.panels.timeline_events",
)


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: Any
    roles: frozenset[str]


_READERS = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
NAV_LINKS = (
    NavLink("health-quarantine", _("Quarantine"), frozenset({Role.MEDICAL_OFFICER})),
    NavLink(
        "health-outbreaks", _("Outbreaks"), frozenset({Role.MEDICAL_OFFICER, Role.ADMINISTRATOR})
    ),
    NavLink(
        "documents:home", _("Documents"), frozenset({Role.DOCUMENTS_OFFICER, Role.ADMINISTRATOR})
    ),
    NavLink("supplies-home", _("Supplies"), frozenset({Role.SUPPLIES_CLERK}) | _READERS),
    NavLink("supplies-planning", _("Planning"), frozenset({Role.LABOUR_OFFICER})),
    NavLink("reports:situation", _("Reports"), frozenset(role.value for role in Role)),
    NavLink("identity-review", _("Files check"), frozenset({Role.REGISTRAR}) | _READERS),
    NavLink("labour-home", _("Labour"), frozenset({Role.LABOUR_OFFICER}) | _READERS),
    NavLink("intake-outbox", _("Waiting to send"), frozenset({Role.REGISTRAR, Role.ADMINISTRATOR})),
    NavLink("setup-home", _("Set-up"), _READERS),
    NavLink(
        "imports-home", _("Imports"), frozenset({Role.REGISTRAR, Role.LABOUR_OFFICER}) | _READERS
    ),
    NavLink("api-tokens", _("API tokens"), _READERS),
)

# A demo loader adds an app's part of the demo data set after the people are loaded; it gets
# the seed and the scale (persons / 20,517) and returns counts to report. `writes_in_bulk`:
# the loader only appends to its app's tables and never looks rows up there by a secondary
# index, so those indexes can be built once after it has run.
DemoLoader = Callable[[int, float], dict]


@dataclass(frozen=True)
class DemoPart:
    loader: str
    writes_in_bulk: bool = False


DEMO_PARTS = (
    DemoPart("health.demo.load"),
    DemoPart("documents.demo.load", writes_in_bulk=True),
    DemoPart("supplies.demo.load", writes_in_bulk=True),
    DemoPart("reports.demo.load", writes_in_bulk=True),
    DemoPart("identity.hooks.load_demo"),
    DemoPart("labour.demo.load", writes_in_bulk=True),
    # last: merges the step counters every loader before it wrote
    DemoPart("reports.demo.merge_step_slots"),
)
# Rows an app derives from one chunk of demo persons (a dict per person, with the columns of
# people_person), built in the loader's worker processes beside the people rows and written
# with them: {table: (columns, rows)}. Cheaper than reading a million persons back.
DEMO_ROW_BUILDERS = ("identity.keys.demo_key_rows",)
# Wraps the bulk write of the demo people: a per-row trigger suspended while millions of rows
# go in, and what it maintains rebuilt once afterwards.
BULK_LOAD_GUARDS = (
    "people.head_counts.counted_once_afterwards",
    "reports.step_counts.counted_once_afterwards",
    "identity.tally.counted_once_afterwards",
)


@cache
def _resolved(path: str) -> Callable[..., Any]:
    return import_string(path)


def _all(paths: tuple[str, ...]) -> list[Callable[..., Any]]:
    return [_resolved(path) for path in paths]


def person_panels(request: HttpRequest, person: Person) -> list[str]:
    return [html for panel in _all(PERSON_PANELS) if (html := panel(request, person))]


def station_panels(request: HttpRequest, station: Station) -> list[str]:
    return [html for panel in _all(STATION_PANELS) if (html := panel(request, station))]


def timeline_sources() -> list[Callable[..., Any]]:
    return _all(TIMELINE_SOURCES)


def nav_links(profile: StaffProfile | None) -> list[NavLink]:
    if profile is None:
        return []
    return [link for link in NAV_LINKS if profile.role in link.roles]


def demo_loaders() -> list[DemoLoader]:
    return [_resolved(part.loader) for part in DEMO_PARTS]


def writes_in_bulk(loader: DemoLoader) -> bool:
    return any(_resolved(p.loader) is loader and p.writes_in_bulk for p in DEMO_PARTS)


def demo_row_builders() -> list[Callable[[list[dict]], dict]]:
    return _all(DEMO_ROW_BUILDERS)


def bulk_load_guards() -> list[Callable[[], AbstractContextManager[None]]]:
    return _all(BULK_LOAD_GUARDS)
