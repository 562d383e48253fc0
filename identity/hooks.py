"""What the identity app adds to the people pages (people/extensions.py names them): the
files check panel with the crossing history and merged records, and the demo data's keys."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from identity import crossings as crossing_queries
from identity.keys import analyze_tables, backfill_keys
from identity.links import active_links, root_of
from identity.models import PersonKeys, PersonLink
from people.models import Person
from stations.access import can_see_station
from stations.roles import Role
from waystation import clock


def person_panel(request: HttpRequest, person: Person) -> SafeString | str:
    profile = getattr(request, "staff", None)
    if profile is None:
        return ""
    root = root_of(person.pk)
    policy = crossing_queries.active_policy()
    crossings = list(crossing_queries.crossings_of(person))
    recent = crossing_queries.count_in_period(person, policy, clock.now()) if policy else 0
    root_person = (
        Person.objects.select_related("station").filter(pk=root).first()
        if root != person.pk
        else None
    )
    context = {
        "person": person,
        "root": root_person,
        # a registrar sees that an earlier record exists, but opens only their station's
        "root_visible": bool(root_person and can_see_station(profile, root_person.station)),
        "merged": list(
            active_links().filter(merged_into=person).select_related("person", "person__station")
        ),
        "links": list(
            PersonLink.objects.filter(person=person)
            .select_related("merged_into")
            .order_by("-linked_at")
        ),
        "crossings": crossings,
        "policy": policy,
        "recent": recent,
        "flagged": bool(policy and recent > policy.threshold),
        "can_unlink": profile.role == Role.ADMINISTRATOR,
    }
    return mark_safe(render_to_string("identity/_person_panel.html", context, request=request))  # noqa: S308


def load_demo(seed: int, scale: float) -> dict:
    """The demo registry's keys are written with the people (keys.demo_key_rows), resident
    IDs included (people.demo.resident_ids); any person still without keys is keyed here,
    and the planner learns the new tables' statistics."""
    backfill_keys()
    analyze_tables()
    return {"identity_keys": PersonKeys.objects.count()}
