"""Where a placed person is going: a hook the labour app fills in, so that documents never
imports labour. With a provider registered, a travel pass needs an active placement and its
route ends at the placement's site; without one (labour not installed) the journey state
stands for the placement and the officer writes the destination."""

from collections.abc import Callable
from dataclasses import dataclass

from people.models import Person


@dataclass(frozen=True)
class PlacementInfo:
    destination: str
    """Site, county and province, as written on the pass."""


PlacementProvider = Callable[[Person], PlacementInfo | None]

_providers: list[PlacementProvider] = []


def register_placement_provider(provider: PlacementProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def placement_required() -> bool:
    return bool(_providers)


def active_placement(person: Person) -> PlacementInfo | None:
    for provider in _providers:
        if (found := provider(person)) is not None:
            return found
    return None
