"""Where a placed person is going: the labour app's active placement, read through the
function named here, so that documents never imports labour. A travel pass needs an active
placement and its route ends at the placement's site."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string

from people.models import Person

PLACEMENT_SOURCE = "labour.services.documents.travel_placement"


@dataclass(frozen=True)
class PlacementInfo:
    destination: str
    """Site, county and province, as written on the pass."""


@cache
def _source() -> Callable[[Person], PlacementInfo | None]:
    return import_string(PLACEMENT_SOURCE)


def placement_required() -> bool:
    return True


def active_placement(person: Person) -> PlacementInfo | None:
    return _source()(person)
