"""Retention after arriving at work, by station and age group."""

import datetime as dt

import pytest

from people.states import JourneyState as S
from reports.retention import overall_by_age, retention_by_group
from reports.scopes import parse_scope
from reports.tests.history import local, person_with_history
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db
DAY = dt.date(1961, 11, 8)


def worker(station, started: str, born: dt.date, left: str | None = None, state: str = S.LEFT_JOB):
    steps = [(S.ARRIVED, local("1960-12-01"), ""), (S.AT_WORK, local(started), "")]
    if left:
        steps.append((state, local(left), "work too hard"))
    return person_with_history(station, steps, birth_date=born)


def test_shares_still_working_after_30_90_and_180_days(personas) -> None:
    young, older = dt.date(1940, 1, 1), dt.date(1910, 1, 1)
    worker(personas.onsong, "1961-03-01", young, left="1961-04-20")  # left after 50 days
    worker(personas.onsong, "1961-03-01", young)  # still working
    worker(personas.onsong, "1961-03-01", young, left="1961-03-10", state=S.RETURNED)
    worker(personas.onsong, "1961-10-20", young)  # too recent for any period
    worker(personas.onsong, "1961-03-01", older, left="1961-11-01")  # left after 245 days
    rows = {
        (r.station, r.age_group): r for r in retention_by_group(parse_scope("station:onsong"), DAY)
    }
    young_row = rows["Onsong", "30 or under"]
    assert young_row.cohorts == {30: 3, 90: 3, 180: 3}
    assert young_row.kept == {30: 2, 90: 1, 180: 1}
    assert young_row.shares == [66.7, 33.3, 33.3]
    older_row = rows["Onsong", "over 45"]
    assert older_row.shares == [100.0, 100.0, 100.0]
    assert rows["Onsong", "31 to 45"].shares == [None, None, None]
    by_age = {
        label: (cohort, shares) for label, cohort, shares in overall_by_age(list(rows.values()))
    }
    assert by_age["30 or under"] == (3, [66.7, 33.3, 33.3])


def test_an_earlier_date_only_counts_what_had_happened_by_then(personas) -> None:
    worker(personas.onsong, "1961-03-01", dt.date(1940, 1, 1), left="1961-07-01")
    rows = retention_by_group(parse_scope("station:onsong"), dt.date(1961, 6, 1))
    young = next(row for row in rows if row.age_group == "30 or under")
    assert young.cohorts == {30: 1, 90: 1, 180: 0}
    assert young.kept == {30: 1, 90: 1, 180: 0}


def _placed_at(person, kind: str, started: str):  # noqa: ANN001, ANN202
    from labour.models import Placement
    from labour.tests.factories import SiteFactory

    site = SiteFactory(kind=kind, employer__kind=kind)
    return Placement.objects.create(
        person=person,
        site=site,
        start_date=dt.date.fromisoformat(started),
        created_at=local(started),
    )


def _wants(person, sector: str) -> None:  # noqa: ANN001
    from labour.models import Preference

    Preference.objects.create(
        person=person, rank=1, kind="sector", sector=sector, stated_at=local("1960-12-02")
    )


def test_retention_by_kind_of_work_and_by_whether_it_was_asked_for(personas) -> None:
    from reports.retention import retention_by_preference, retention_by_sector

    young = dt.date(1940, 1, 1)
    miner = worker(personas.onsong, "1961-03-01", young, left="1961-03-20")
    _placed_at(miner, "mine", "1961-02-25")
    _wants(miner, "farm")  # sent down a mine after asking for a farm, gone in 19 days
    farmer = worker(personas.onsong, "1961-03-01", young)
    _placed_at(farmer, "farm", "1961-02-25")
    _wants(farmer, "farm")
    unasked = worker(personas.onsong, "1961-03-01", young)
    _placed_at(unasked, "farm", "1961-02-25")

    scope = parse_scope("station:onsong")
    sectors = {row.station: row for row in retention_by_sector(scope, DAY)}
    assert sectors["Mine"].cohorts[30] == 1 and sectors["Mine"].shares[0] == 0.0
    assert sectors["Farming commune"].shares == [100.0, 100.0, 100.0]
    asked = {row.station: row.shares[0] for row in retention_by_preference(scope, DAY)}
    assert asked == {
        "work they had asked for": 100.0,
        "other work than they had asked for": 0.0,
        "no wish stated": 100.0,
    }


def test_the_dashboard_shows_the_breakdowns_with_charts(personas) -> None:
    miner = worker(personas.onsong, "1961-03-01", dt.date(1940, 1, 1))
    _placed_at(miner, "mine", "1961-02-25")
    client = personas.client_for("admin")
    first = client.get("/reports/dashboard/?date=1961-11-08").content
    # counted by the worker, not in the request: the page says so and follows it
    assert b"Retention is being counted" in first and b'hx-get="/reports/dashboard/re' in first
    assert b'data-testid="retention-by-sector"' not in first
    assert run_queued_tasks() == 1
    page = client.get("/reports/dashboard/?date=1961-11-08").content
    assert b'data-testid="retention-by-sector"' in page
    assert b'data-testid="retention-by-preference"' in page
    assert b"Retention counted at" in page and b"hx-get" not in page.split(b"retention-figures")[1]
    assert page.count(b"<svg") >= 5


def test_kept_figures_are_counted_again_after_a_journey_step(personas) -> None:
    from reports.retention import breakdowns
    from reports.retention_figures import kept_figures
    from reports.scopes import parse_scope

    scope, day = parse_scope("station:onsong"), dt.date(1961, 11, 8)
    miner = worker(personas.onsong, "1961-03-01", dt.date(1940, 1, 1))
    _placed_at(miner, "mine", "1961-02-25")
    assert kept_figures(scope, day).breakdowns is None
    run_queued_tasks()
    counted = kept_figures(scope, day)
    assert counted.current and counted.breakdowns == breakdowns(scope, day)
    # a second worker starts and leaves: the kept figures are out of date and asked for again
    leaver = worker(personas.onsong, "1961-03-01", dt.date(1935, 1, 1), left="1961-04-01")
    _placed_at(leaver, "mine", "1961-02-25")
    stale = kept_figures(scope, day)
    assert not stale.current and stale.queued and stale.breakdowns == counted.breakdowns
    assert kept_figures(scope, day).queued and run_queued_tasks() == 1  # asked once
    assert kept_figures(scope, day).breakdowns == breakdowns(scope, day) != counted.breakdowns


def test_the_dashboards_one_query_gives_what_the_three_breakdowns_give(personas) -> None:
    from reports.retention import breakdowns, retention_by_preference, retention_by_sector

    young, old = dt.date(1940, 1, 1), dt.date(1900, 1, 1)
    for station, born, sector, wish, left in (
        (personas.onsong, young, "mine", "farm", "1961-03-20"),
        (personas.onsong, old, "farm", "farm", None),
        (personas.musan, young, "farm", None, None),
        (personas.musan, old, "mine", "mine", "1961-09-01"),
    ):
        person = (
            worker(station, "1961-03-01", born, left=left)
            if left
            else worker(station, "1961-03-01", born)
        )
        _placed_at(person, sector, "1961-02-25")
        if wish:
            _wants(person, wish)
    scope = parse_scope("province:North Hamgyong")
    together = breakdowns(scope, DAY)
    assert together.by_group == retention_by_group(scope, DAY)
    assert together.by_sector == retention_by_sector(scope, DAY)
    assert together.by_preference == retention_by_preference(scope, DAY)
    assert sum(row.cohorts[30] for row in together.by_group) == 4
