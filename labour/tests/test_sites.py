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
