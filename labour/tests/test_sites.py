"""The sites page's counts: people housed at a site and posts filled in each vacancy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from labour.models import Placement
from labour.services.sites import active_counts
from labour.tests.factories import SiteFactory, VacancyFactory, place
from people.tests.factories import PersonFactory
from waystation import clock

pytestmark = pytest.mark.django_db


def _end(placement: Placement) -> None:
    placement.status = Placement.Status.ENDED
    placement.end_date = clock.today() + dt.timedelta(days=1)
    placement.save()


def test_housed_counts_dependants_and_filled_counts_only_active_workers(personas):
    site = SiteFactory(name="Musan mine", housing_places=40)
    other = SiteFactory(name="Hoeryong farm")
    miners = VacancyFactory(site=site, occupation="miner", slots=5)
    cooks = VacancyFactory(site=site, occupation="cook", slots=2)
    for _ in range(3):
        place(PersonFactory(station=personas.onsong), vacancy=miners)
    place(PersonFactory(station=personas.onsong), vacancy=cooks)
    place(PersonFactory(station=personas.onsong), site=site)  # a dependant: housed, no post
    _end(place(PersonFactory(station=personas.onsong), vacancy=miners))  # left: not counted
    place(PersonFactory(station=personas.onsong), site=other)

    counts = active_counts([site, other])

    assert counts.housed == {site.pk: 5, other.pk: 1}
    assert counts.filled == {miners.pk: 3, cooks.pk: 1}


def test_sites_page_shows_housed_and_filled_with_free_positions(personas):
    site = SiteFactory(name="Musan mine", housing_places=40)
    miners = VacancyFactory(site=site, occupation="miner", slots=5)
    VacancyFactory(site=site, occupation="cook", slots=2)
    for _ in range(2):
        place(PersonFactory(station=personas.onsong), vacancy=miners)
    place(PersonFactory(station=personas.onsong), site=site)

    html = personas.client_for("labour").get(reverse("labour-sites")).content.decode()

    assert "3 / 40" in html  # two miners and a dependant live there
    assert "miner</a>: 2 / 5" in html and "cook</a>: 0 / 2" in html
    totals = html.split('data-testid="site-totals"')[1].split("</table>")[0]
    assert '<td class="num">7</td><td class="num">5</td>' in totals  # 7 posts, 5 free


def _direct(sites: list) -> tuple[dict[int, int], dict[int, int]]:
    housed: dict[int, int] = {}
    filled: dict[int, int] = {}
    for p in Placement.objects.filter(site__in=sites, status=Placement.Status.ACTIVE):
        housed[p.site_id] = housed.get(p.site_id, 0) + 1
        if p.vacancy_id:
            filled[p.vacancy_id] = filled.get(p.vacancy_id, 0) + 1
    return housed, filled


def test_kept_counts_follow_moves_bulk_changes_and_deletions(personas):
    site, other = SiteFactory(name="Musan mine"), SiteFactory(name="Hoeryong farm")
    miners = VacancyFactory(site=site, occupation="miner", slots=9)
    farmers = VacancyFactory(site=other, occupation="farmer", slots=9)
    placements = [place(PersonFactory(station=personas.onsong), vacancy=miners) for _ in range(4)]
    place(PersonFactory(station=personas.onsong), site=site)

    def kept() -> tuple[dict[int, int], dict[int, int]]:
        counts = active_counts([site, other])
        return counts.housed, counts.filled

    # A worker moved to another site's vacancy, and one whose post is taken away.
    Placement.objects.filter(pk=placements[0].pk).update(site=other, vacancy=farmers)
    Placement.objects.filter(pk=placements[1].pk).update(vacancy=None)
    assert (
        kept()
        == _direct([site, other])
        == ({site.pk: 4, other.pk: 1}, {miners.pk: 2, farmers.pk: 1})
    )

    # Every placement at the site ended in one statement, as a closing site would.
    Placement.objects.filter(site=site).update(
        status=Placement.Status.ENDED, end_date=clock.today() + dt.timedelta(days=1)
    )
    assert kept() == _direct([site, other]) == ({other.pk: 1}, {farmers.pk: 1})

    Placement.objects.filter(pk=placements[0].pk).delete()
    assert kept() == _direct([site, other]) == ({}, {})
