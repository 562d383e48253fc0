"""Batch deduplication (command and page) and repeat crossers by the policy row."""

import datetime as dt

import pytest
from django.core.management import call_command

from identity.batch import run_dedup, start_run
from identity.models import DedupRun, RepeatCrossingPolicy, ReviewItem
from identity.tests.helpers import crossing, stored_person
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db
BORN = dt.date(1958, 4, 12)


def duplicates(personas):
    a = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        station=personas.musan,
    )
    b = stored_person(
        family_name_hangul="안",
        given_name_hangul="재수",
        sex="M",
        birth_date=BORN,
        station=personas.onsong,
    )
    stored_person(
        family_name_hangul="최",
        given_name_hangul="민호",
        sex="M",
        birth_date=dt.date(1990, 1, 1),
        station=personas.onsong,
    )
    return a, b


def test_the_dedup_command_stores_clusters_for_review(personas) -> None:
    a, b = duplicates(personas)
    call_command("identity_dedup", verbosity=0)
    run = DedupRun.objects.get()
    assert run.status == "done" and run.stats["records"] == 3 and run.done == run.total
    item = ReviewItem.objects.get(run=run)
    assert (item.left, item.right) == (b, a) and item.cluster == 1
    page = personas.client_for("admin").get("/identity/duplicates/").content.decode()
    assert "安在秀" in page and "안 재수" in page and "cluster 1" in page
    progress = personas.client_for("auditor").get("/identity/duplicates/progress/").content.decode()
    assert "Done" in progress
    assert "Records read: 3 ·" in progress  # counted, not "3.0"
    # the thresholds the run banded with, at this registry's size (3 records: as fitted)
    assert "a pair scoring 19.0 bits or more is linked automatically" in progress
    assert "from 10.0 bits a reviewer is asked" in progress


def test_the_page_queues_a_run_that_the_worker_takes_and_reports_progress(
    personas, django_capture_on_commit_callbacks
) -> None:
    duplicates(personas)
    with django_capture_on_commit_callbacks(execute=True):
        response = personas.client_for("admin").post("/identity/duplicates/run/")
    assert response.status_code == 302
    page = personas.client_for("admin").get("/identity/duplicates/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "progressbar" in page
    # the request only queued it: the worker (a separate process in production) runs it
    assert DedupRun.objects.get().status == "running"
    assert run_queued_tasks() == 1
    assert DedupRun.objects.get().status == "done"
    page = personas.client_for("admin").get("/identity/duplicates/").content.decode()
    assert 'hx-trigger="every 2s"' not in page
    # the pair is linked automatically (a person started the run): applied, not queued
    assert DedupRun.objects.get().stats["automatic_links_applied"] == 1
    assert "review-pair" not in page


def test_repeat_crossers_follow_the_policy_row_and_count_linked_records(personas) -> None:
    from identity.services import merge_records

    a, b = duplicates(personas)
    for days in (10, 100, 200):
        crossing(a, days_ago=days)
    crossing(a, days_ago=900)  # outside the year
    crossing(b, days_ago=3)
    client = personas.client_for("admin")
    assert "Nobody crossed" in client.get("/identity/repeat-crossers/").content.decode()
    merge_records(user=personas["admin"], person=b, into=a)
    page = client.get("/identity/repeat-crossers/").content.decode()
    assert f"/people/{a.pk}/" in page and "<td>4</td>" in page
    panel = client.get(f"/people/{a.pk}/").content.decode()
    assert 'data-testid="repeat-flag"' in panel and 'data-testid="crossing-history"' in panel
    RepeatCrossingPolicy.objects.update(threshold=5)
    assert "Nobody crossed" in client.get("/identity/repeat-crossers/").content.decode()
    # the registrar of another station does not see Musan's person
    page = (
        personas.client_for("registrar-onsong").get("/identity/repeat-crossers/").content.decode()
    )
    assert f"/people/{a.pk}/" not in page


def test_records_linked_without_moving_crossings_are_counted_together(personas) -> None:
    """Links made before a merge moved the crossings (issue 16) still join the two counts:
    neither record passes the threshold of three alone, together they do."""
    from identity.crossings import active_policy, repeat_crossers
    from identity.models import PersonLink
    from people.models import Person
    from waystation import clock

    a, b = duplicates(personas)
    for days in (10, 100):
        crossing(a, days_ago=days)
        crossing(b, days_ago=days + 5)
    alone = repeat_crossers(Person.objects.all(), active_policy())
    assert a.pk not in [row.person.pk for row in alone]
    PersonLink.objects.create(person=b, merged_into=a, linked_at=clock.now())
    (row,) = [r for r in repeat_crossers(Person.objects.all(), active_policy()) if r.person == a]
    assert (row.crossings, row.records) == (4, 2)


def test_a_cluster_is_reviewed_through_its_strongest_spanning_pairs() -> None:
    from identity.batch import spanning_pairs
    from identity.engine import DuplicatePair

    pairs = [
        DuplicatePair("1", "2", 30.0, "auto_link"),
        DuplicatePair("2", "3", 20.0, "review"),
        DuplicatePair("1", "3", 25.0, "review"),
        DuplicatePair("3", "4", 14.0, "review"),
    ]
    kept = [(p.left_id, p.right_id) for p in spanning_pairs(pairs)]
    assert kept == [("1", "2"), ("1", "3"), ("3", "4")]


def test_the_batch_on_stored_keys_finds_what_the_engine_finds_deriving_them(personas) -> None:
    from identity.engine import find_duplicates
    from identity.keys import PERSON_FIELDS, record_of
    from people.models import Person

    born = dt.date(1958, 4, 12)
    people = [
        stored_person(family_name_hanzi="安", given_name_hanzi="在秀", sex="M", birth_date=born),
        stored_person(family_name_hangul="안", given_name_hangul="재수", sex="M", birth_date=born),
        stored_person(family_name_latin="Ahn", given_name_latin="Jae Soo", birth_date=born),
        stored_person(
            family_name_hanzi="朴",
            given_name_hanzi="英姬",
            sex="F",
            birth_date=None,
            birth_date_precision="unknown",
        ),
        stored_person(
            family_name_latin="Piao",
            given_name_latin="Yingji",
            sex="F",
            birth_date=dt.date(1961, 2, 3),
        ),
        stored_person(family_name_hangul="김", given_name_hangul="철수", sex="M", birth_date=born),
    ]
    run = run_dedup(start_run(personas["admin"]))
    rows = Person.objects.order_by("pk").values(*PERSON_FIELDS)
    derived = find_duplicates([record_of(row) for row in rows])
    assert {(p.left_id, p.right_id, p.band) for p in run.result.pairs} == {
        (p.left_id, p.right_id, p.band) for p in derived.pairs
    }
    assert {str(people[0].pk), str(people[1].pk)} <= set(run.result.clusters[0].record_ids)


def test_repeat_crossers_on_a_past_day_count_only_crossings_up_to_that_day(personas) -> None:
    from identity.crossings import repeat_crossers
    from people.models import Person

    a, _ = duplicates(personas)
    for days in (10, 20, 30, 40):
        crossing(a, days_ago=days)
    policy = RepeatCrossingPolicy.objects.get()
    assert policy.threshold < 4
    today = [row.person.pk for row in repeat_crossers(Person.objects.all(), policy)]
    a_month_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=35)
    back_then = repeat_crossers(Person.objects.all(), policy, now=a_month_ago)
    assert a.pk in today and a.pk not in [row.person.pk for row in back_then]


def test_the_repeat_crossers_page_shows_a_page_at_a_time_most_crossings_first(
    personas, monkeypatch
) -> None:
    from identity import views

    a, b = duplicates(personas)
    for days in (10, 20, 30, 40, 50):
        crossing(a, days_ago=days)
    for days in (10, 20, 30, 40):
        crossing(b, days_ago=days)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client = personas.client_for("admin")
    first = client.get("/identity/repeat-crossers/").content.decode()
    assert f"/people/{a.pk}/" in first and f"/people/{b.pk}/" not in first
    assert 'data-testid="repeat-total">2 people' in first and "Page 1 of 2" in first
    second = client.get("/identity/repeat-crossers/?page=2").content.decode()
    assert f"/people/{b.pk}/" in second and f"/people/{a.pk}/" not in second


def test_the_crossing_tally_follows_crossings_added_merged_and_deleted(personas) -> None:
    """The repeat crossers are looked for among the records the database's tally names, so
    the tally must always equal a direct count of each record's inward crossings."""
    from django.db.models import Count

    from identity.models import CrossingTally
    from identity.services import merge_records
    from people.models import Crossing

    def kept() -> dict:
        return dict(CrossingTally.objects.filter(n__gt=0).values_list("person_id", "n"))

    def direct() -> dict:
        rows = Crossing.objects.filter(direction="in").values("person_id").annotate(n=Count("id"))
        return {row["person_id"]: row["n"] for row in rows}

    a, b = duplicates(personas)
    for days in (10, 20):
        crossing(a, days_ago=days)
    crossing(b, days_ago=3)
    assert kept() == direct()
    merge_records(user=personas["admin"], person=b, into=a)  # b's crossings move to a
    assert kept() == direct() and b.pk not in kept()
    Crossing.objects.filter(person=a).first().delete()
    assert kept() == direct()
