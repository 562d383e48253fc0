"""Links between records of one person: which record a merged record now belongs to."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from identity.models import PersonLink

MAX_CHAIN = 20


def active_links() -> QuerySet[PersonLink]:
    return PersonLink.objects.filter(undone_at__isnull=True)


def active_roots(person_ids: Iterable[int]) -> dict[int, int]:
    """For each merged person among person_ids, the person it finally belongs to."""
    pending = set(person_ids)
    parent: dict[int, int] = {}
    for _ in range(MAX_CHAIN):
        rows = dict(
            active_links().filter(person_id__in=pending).values_list("person_id", "merged_into_id")
        )
        if not rows:
            break
        parent.update(rows)
        pending = set(rows.values()) - set(parent)
    roots: dict[int, int] = {}
    for person_id in parent:
        root, steps = person_id, 0
        while root in parent and steps < MAX_CHAIN:
            root, steps = parent[root], steps + 1
        roots[person_id] = root
    return roots


def all_roots() -> dict[int, int]:
    """For every merged person, the person it finally belongs to: all active links read in
    one query, cheaper than binding thousands of ids into `active_roots`."""
    parent = dict(active_links().values_list("person_id", "merged_into_id"))
    roots: dict[int, int] = {}
    for person_id in parent:
        root, steps = person_id, 0
        while root in parent and steps < MAX_CHAIN:
            root, steps = parent[root], steps + 1
        roots[person_id] = root
    return roots


def root_of(person_id: int) -> int:
    return active_roots([person_id]).get(person_id, person_id)


def record_group(person_id: int) -> set[int]:
    """Every record of the person this record belongs to (its root and all merged into it)."""
    root = root_of(person_id)
    group, frontier = {root}, {root}
    for _ in range(MAX_CHAIN):
        children = set(
            active_links().filter(merged_into_id__in=frontier).values_list("person_id", flat=True)
        )
        frontier = children - group
        if not frontier:
            break
        group |= frontier
    return group
