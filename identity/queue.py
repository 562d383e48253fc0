"""The review queue: which open pairs a reviewer sees first."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from identity.models import ReviewItem


def by_impact(items: QuerySet[ReviewItem]) -> QuerySet[ReviewItem]:
    """Review items ordered by what their decision changes in the registry: the crossings
    the two records carry (a merge joins their histories), then the score."""
    return items.annotate(
        impact=Count("left__crossings", distinct=True) + Count("right__crossings", distinct=True)
    ).order_by("-impact", "-score", "id")
