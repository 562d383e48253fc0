"""The sites page's figures: people housed at each site and posts filled in each vacancy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from labour.models import Placement, Site, Vacancy


@dataclass
class ActiveCounts:
    """Active placements by site (everyone housed there, dependants too) and by vacancy."""

    housed: dict[int, int] = field(default_factory=dict)
    filled: dict[int, int] = field(default_factory=dict)


def active_counts(sites: list[Site]) -> ActiveCounts:
    """Both counts from one GROUP BY over the active placements of these sites.

    The partial index labour_placement_site_active (site, vacancy where active) answers it
    alone; counting through a LEFT JOIN grouped by every site column read each of the
    million placement rows to test its status and took seconds at a million persons."""
    rows = (
        Placement.objects.filter(status=Placement.Status.ACTIVE, site__in=sites)
        .order_by()
        .values_list("site_id", "vacancy_id")
        .annotate(n=Count("*"))
    )
    housed: dict[int, int] = defaultdict(int)
    filled: dict[int, int] = defaultdict(int)
    for site_id, vacancy_id, n in rows:
        housed[site_id] += n
        if vacancy_id is not None:
            filled[vacancy_id] += n
    return ActiveCounts(housed=dict(housed), filled=dict(filled))


def sites_with_vacancies(
    sites: list[Site], vacancies: list[Vacancy]
) -> list[tuple[Site, list[Vacancy]]]:
    """Each site with its vacancies, `housed` and `filled` set from the active placements
    (the attributes the page read before from annotations, hence the ignores)."""
    counts = active_counts(sites)
    by_site: dict[int, list[Vacancy]] = {}
    for vacancy in vacancies:
        vacancy.filled = counts.filled.get(vacancy.pk, 0)  # type: ignore[attr-defined]
        by_site.setdefault(vacancy.site_id, []).append(vacancy)
    for site in sites:
        site.housed = counts.housed.get(site.pk, 0)  # type: ignore[attr-defined]
    return [(site, by_site.get(site.pk, [])) for site in sites]
