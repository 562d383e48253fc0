"""What the documents app asks labour: the active placement behind a travel pass."""

from __future__ import annotations

from documents.placement import PlacementInfo
from labour.models import Placement
from people.models import Person


def travel_placement(person: Person) -> PlacementInfo | None:
    placement = (
        Placement.objects.filter(person=person, status=Placement.Status.ACTIVE)
        .select_related("site")
        .first()
    )
    if placement is None:
        return None
    site = placement.site
    return PlacementInfo(destination=f"{site.name}, {site.county}")
