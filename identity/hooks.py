"""What the identity app adds to the people pages: keys on save, the files check on the
registration form, decisions taken there, the crossing-history panel, the list filter
hiding merged records and the demo data's keys."""

from __future__ import annotations

import json
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from identity import crossings as crossing_queries
from identity import decisions
from identity.keys import analyze_tables, backfill_keys
from identity.keys import store_keys as _store_keys
from identity.links import active_links, active_roots, root_of
from identity.models import MatchLabel, PersonKeys, PersonLink, Verdict
from people.models import Person
from stations.access import can_see_station
from stations.roles import Role
from waystation import clock

log = logging.getLogger(__name__)
MAX_DECISIONS_PER_MEMBER = 20


def store_keys(persons: list[Person]) -> None:
    _store_keys(persons)


def registration_extra(request: HttpRequest) -> SafeString:
    return mark_safe(render_to_string("identity/_register_extra.html", request=request))  # noqa: S308


def _decisions_of(request: HttpRequest, prefix: str) -> dict[str, dict]:
    raw = request.POST.get(f"{prefix}-identity_decisions", "") or "{}"
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return dict(list(data.items())[:MAX_DECISIONS_PER_MEMBER])


def apply_registration_decisions(request: HttpRequest, members: list[tuple[str, Person]]) -> None:
    """Apply the registrar's verdicts on the files check to the persons just registered.
    A resent form finds its labels already there and changes nothing."""
    for prefix, person in members:
        for candidate_id, choice in _decisions_of(request, prefix).items():
            verdict = (choice or {}).get("verdict") if isinstance(choice, dict) else choice
            if verdict not in Verdict.values or not str(candidate_id).isdigit():
                continue
            candidate = Person.objects.filter(pk=int(candidate_id)).first()
            if candidate is None or candidate.pk == person.pk:
                continue
            if MatchLabel.objects.filter(left=person, right=candidate).exists():
                continue
            score = choice.get("score") if isinstance(choice, dict) else None
            try:
                decisions.decide(
                    user=request.user,
                    person=person,
                    candidate=candidate,
                    verdict=verdict,
                    score=float(score) if isinstance(score, int | float) else None,
                    band=str(choice.get("band", ""))[:12] if isinstance(choice, dict) else "",
                )
            except (PermissionDenied, ValidationError) as problem:
                log.warning("files check decision not applied: %s", problem)


def hide_merged(persons: QuerySet) -> QuerySet:
    """Lists show each person once: a record merged into another is listed under it."""
    return persons.exclude(Exists(active_links().filter(person_id=OuterRef("pk"))))


def show_survivors(person_ids: list[int]) -> list[int]:
    """A name search that finds a record merged into another shows the surviving record
    in its place (the merged record's name may be the only one that matches)."""
    roots = active_roots(person_ids)
    return [roots.get(person_id, person_id) for person_id in person_ids]


def survivors_of_matches(matched_ids: QuerySet) -> list[int]:
    """A filtered list shows the surviving record for a merged record whose name matches,
    as the search page does; merged records are few, so they are looked up, not joined."""
    merged = matched_ids.filter(person_id__in=active_links().values("person_id"))
    roots = active_roots(merged.values_list("person_id", flat=True).distinct())
    return sorted(set(roots.values()))


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
