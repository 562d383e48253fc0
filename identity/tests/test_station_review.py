"""Review where the work is: the station's registrars decide their station's pairs, from
the desk and from batch runs, the most consequential first (issue 17, item 8)."""

import datetime as dt

import pytest
from django.core.management import call_command

from identity.models import DedupRun, ReviewItem
from identity.tests.helpers import crossing, stored_person

pytestmark = pytest.mark.django_db


def _pair(personas, given_hangul: str, given_latin: str, born: dt.date, station) -> tuple:
    a = stored_person(family_name_hangul="연", given_name_hangul=given_hangul, sex="F", birth_date=born,
                      station=station)  # fmt: skip
    b = stored_person(family_name_latin="Yeon", given_name_latin=given_latin, sex="F",
                      birth_date=dt.date(born.year, 1, 1), birth_date_precision="year",
                      station=station)  # fmt: skip
    return a, b


def test_registrars_decide_their_stations_batch_pairs_most_consequential_first(personas) -> None:
    quiet = _pair(personas, "미선", "Mi-son", dt.date(1961, 5, 3), personas.onsong)
    busy = _pair(personas, "정희", "Chong-hui", dt.date(1944, 8, 9), personas.onsong)
    for days in (5, 50, 500):
        crossing(busy[0], days_ago=days)
    elsewhere = _pair(personas, "순자", "Sun-ja", dt.date(1950, 2, 2), personas.musan)
    call_command("identity_dedup", verbosity=0)  # a run nobody started by hand: all queued
    run = DedupRun.objects.get()
    assert ReviewItem.objects.filter(run=run).count() == 3

    client = personas.client_for("registrar-onsong")
    page = client.get("/identity/review/").content.decode()
    assert page.index("정희") < page.index("미선")  # three crossings ride on the first
    assert "순자" not in page  # another station's pair
    assert 'data-testid="review-keys"' in page and "identity/review.js" in page

    item = ReviewItem.objects.get(run=run, left__in=quiet)
    response = client.post(f"/identity/review/{item.pk}/decide/", {"verdict": "different"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.verdict == "different" and item.resolved_at is not None
    assert elsewhere and busy


def test_a_pair_is_shown_with_the_band_and_score_its_run_gave_it(personas) -> None:
    """A run over a registry large enough to raise the thresholds queued this pair for
    review; the page must not call it 'very likely the same person' by the thresholds of
    a small one."""
    from identity.check import current_model
    from identity.engine import AUTO_LINK, score_pair
    from identity.keys import prepared_of

    born, station = dt.date(1958, 4, 12), personas.onsong
    a = stored_person(family_name_hanzi="安", given_name_hanzi="在秀", sex="M", birth_date=born,
                      station=station)  # fmt: skip
    b = stored_person(family_name_hangul="안", given_name_hangul="재수", sex="M", birth_date=born,
                      station=station)  # fmt: skip
    here = score_pair(prepared_of(b), prepared_of(a), current_model())
    assert here.band == AUTO_LINK  # in this small registry
    ReviewItem.objects.create(
        left=b, right=a, score=here.score, band="review", origin="batch", created_at=a.created_at
    )
    page = personas.client_for("registrar-onsong").get("/identity/review/").content.decode()
    assert f"Possibly the same person · score {here.score:.1f}" in page
    assert "Very likely the same person" not in page
