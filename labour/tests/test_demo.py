"""The labour part of the demo data set matches the cable, and a run on it works."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Sum

from labour.models import Credential, Placement, Preference, Site, Vacancy
from labour.services.runs import run_placement
from people.models import Person
from people.states import JourneyState
from stations.models import Station

pytestmark = pytest.mark.django_db


def _open_positions(kind: str) -> int:
    vacancies = Vacancy.objects.filter(site__kind=kind).annotate(
        filled=Count("placements", filter=Q(placements__status="active"))
    )
    return sum(v.slots - v.filled for v in vacancies)


def test_demo_has_the_cables_shortages_credentials_and_placements(cable_data) -> None:
    assert 3_900 <= _open_positions("mine") <= 4_100
    assert 6_900 <= _open_positions("farm") <= 7_100
    assert Site.objects.filter(kind="central_department").exists()
    statuses = dict(Credential.objects.values_list("status").annotate(n=Count("id")))
    assert 450 <= sum(statuses.values()) <= 550
    assert statuses["claimed"] and statuses["verified"] and statuses["rejected"]
    placed = Person.objects.filter(state=JourneyState.PLACED).count()
    assert Placement.objects.filter(status="active", person__state="placed").count() == placed
    assert Preference.objects.values("household").distinct().count() > 1_000
    over = Site.objects.annotate(
        housed=Count("placements", filter=Q(placements__status="active"))
    ).filter(housed__gt=F("housing_places"))
    assert not over.exists()
    assert Vacancy.objects.aggregate(n=Sum("slots"))["n"] > 11_000
    # Those who left their jobs are recorded outcomes the retention model can learn from.
    from labour.services.outcomes import recorded_outcomes

    features, stayed = recorded_outcomes()
    assert len(stayed) > 5_000 and 500 < len(stayed) - stayed.sum() < 2_000


def test_a_station_run_on_the_demo_is_quick_and_explains_everyone(cable_data) -> None:
    officer = get_user_model().objects.get(username="labour")
    onsong = Station.objects.get(code="onsong")
    waiting = Person.objects.filter(station=onsong, state="awaiting_placement").count()
    started = time.perf_counter()
    run = run_placement(user=officer, province=onsong.province, station=onsong)
    seconds = time.perf_counter() - started
    assert run.assignments.count() == waiting
    assert not run.assignments.exclude(status="placed").filter(reason="").exists()
    assert seconds < 30, seconds
    print(f"demo run: {waiting} people in {seconds:.1f} s; {run.metrics['counts']}")


def test_a_province_batch_and_its_what_if_on_the_demo(cable_data) -> None:
    import datetime as dt

    from labour.services.decisions import approve_run
    from labour.services.runs import what_if

    officer = get_user_model().objects.get(username="labour")
    started = time.perf_counter()
    run = run_placement(
        user=officer,
        province="North Hamgyong",
        batch_from=dt.date(1960, 1, 1),
        batch_to=dt.date(1961, 11, 8),
    )
    batch_seconds = time.perf_counter() - started
    assert run.assignments.count() == Person.objects.filter(state="awaiting_placement").count()
    started = time.perf_counter()
    mines = [j["job_id"] for j in run.inputs["jobs"] if j["sector"] == "mine"]
    fewer = what_if(
        user=officer,
        base=run,
        slot_overrides={job: 0 for job in mines},
        parameters={"preference_weight": 1.0},
    )
    what_if_seconds = time.perf_counter() - started
    assert not fewer.assignments.filter(vacancy__site__kind="mine").exists()
    assert what_if_seconds < 30
    started = time.perf_counter()
    outcome = approve_run(user=officer, run=run)
    approve_seconds = time.perf_counter() - started
    assert outcome["placed"] == run.assignments.exclude(status="unplaced").count()
    print(
        f"province batch: {run.assignments.count()} people, run {batch_seconds:.1f} s, "
        f"what-if {what_if_seconds:.1f} s, approve {approve_seconds:.1f} s; "
        f"{run.metrics['counts']}, mean stay {run.metrics['mean_stay']}"
    )


def test_a_station_run_allowed_to_move_workers_on_the_demo(cable_data) -> None:
    from labour.engine import plan_placement
    from labour.engine.checker import check_placements
    from labour.services.inputs import instance_from_json
    from labour.services.retention import predictor
    from labour.services.runs import policy_for

    officer = get_user_model().objects.get(username="labour")
    onsong = Station.objects.get(code="onsong")
    settled = Placement.objects.filter(
        status="active", person__station=onsong, person__state__in=["placed", "at_work"]
    ).count()
    started = time.perf_counter()
    run = run_placement(user=officer, province=onsong.province, station=onsong, allow_moves=True)
    seconds = time.perf_counter() - started
    waiting = Person.objects.filter(station=onsong, state="awaiting_placement").count()
    assert settled and waiting < run.assignments.count() <= waiting + settled
    instance = instance_from_json(run.inputs)
    policy = policy_for(run.parameters, instance)
    # The engine on the run's own inputs passes the independent checker.
    result = plan_placement(instance, predictor(), policy)
    assert check_placements(instance, result.placements, policy) == []
    assert seconds < 60, seconds
    workers = {p.person_id: p.current_job_id for p in instance.persons if p.current_job_id}
    after = {p.person_id: p for p in result.placements}
    lost = sum(1 for pid in workers if after[pid].job_id is None)
    changed = sum(1 for pid, job in workers.items() if after[pid].job_id not in (None, job))
    from labour.engine.eligibility import eligibility_failures

    jobs = {job.job_id: job for job in instance.jobs}
    unfit = sum(
        1
        for person in instance.persons
        if person.current_job_id and eligibility_failures(person, jobs[person.current_job_id])
    )
    print(
        f"workers {len(workers)}: to another job {changed}, would lose the job {lost}, "
        f"not eligible for their current job any more {unfit}"
    )
    print(
        f"demo run with moves: {run.assignments.count()} people in {seconds:.1f} s; "
        f"{run.metrics['counts']}"
    )
