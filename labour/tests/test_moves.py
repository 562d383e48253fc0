"""People already at work are moved by a run only when the officer allows it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from labour.engine.checker import check_placements
from labour.engine.model import PersonPlacement, PlacementStatus
from labour.models import Placement, PlacementRun, Preference, ProposedAssignment
from labour.services.decisions import approve_run, edit_assignment
from labour.services.inputs import instance_from_json
from labour.services.runs import policy_for, run_placement
from labour.tests.factories import (
    SiteFactory,
    VacancyFactory,
    awaiting,
    born_years_ago,
    clear_medically,
    place,
)
from people.states import JourneyState
from people.tests.factories import PersonFactory
from people.tests.personas import PROVINCE
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db


def _at_work(station, vacancy, sector: str):
    person = PersonFactory(
        station=station,
        state=JourneyState.AT_WORK,
        birth_date=born_years_ago(30),
        languages=["ko"],
    )
    clear_medically(person, "heavy")
    Preference.objects.create(
        person=person, rank=1, kind="sector", sector=sector, stated_at=timezone.now()
    )
    return person, place(person, vacancy=vacancy)


@pytest.fixture
def works(personas):
    mine = SiteFactory(name="Musan mine", kind="mine", housing_places=2)
    farm = SiteFactory(name="Onsong commune", kind="farm", housing_places=4)
    # The miner's only position is taken by someone who wants farm work: a poor fit for them.
    miner = VacancyFactory(site=mine, occupation="miner", slots=1, heavy_work=True, difficulty=0.95)
    farmhand = VacancyFactory(site=farm, occupation="farmhand", slots=2, difficulty=0.2)
    unhappy, unhappy_placement = _at_work(personas.onsong, miner, "farm")
    content, content_placement = _at_work(personas.onsong, farmhand, "farm")
    return {
        "miner": miner,
        "farmhand": farmhand,
        "unhappy": unhappy,
        "unhappy_placement": unhappy_placement,
        "content": content,
        "content_placement": content_placement,
    }


def _run(personas, **kwargs) -> PlacementRun:
    return run_placement(
        user=personas["labour"], province=PROVINCE, station=personas.onsong, **kwargs
    )


def _as_engine_placements(run: PlacementRun) -> list[PersonPlacement]:
    return [
        PersonPlacement(
            person_id=str(a.person_id),
            household_id="",
            status=PlacementStatus(a.status),
            site_id=str(a.site_id) if a.site_id else None,
            job_id=str(a.vacancy_id) if a.vacancy_id else None,
            score=a.score,
            predicted_stay=a.predicted_stay,
            moved=bool(a.explanation.get("moved")),
            reason=a.reason,
        )
        for a in run.assignments.all()
    ]


def test_without_the_option_people_at_work_are_left_out_and_untouched(personas, works):
    newcomer = awaiting(personas.onsong)
    run = _run(personas)
    assert not run.allow_moves
    assert set(run.assignments.values_list("person_id", flat=True)) == {newcomer.pk}
    assert run.metrics["counts"]["moved"] == 0
    approve_run(user=personas["labour"], run=run)
    for key in ("unhappy_placement", "content_placement"):
        placement = works[key]
        placement.refresh_from_db()
        assert placement.status == Placement.Status.ACTIVE and placement.end_reason == ""


def test_with_the_option_a_poor_fit_is_moved_and_approval_ends_the_old_placement(personas, works):
    run = _run(personas, allow_moves=True)
    assert run.allow_moves
    proposals = {a.person_id: a for a in run.assignments.all()}
    moved = proposals[works["unhappy"].pk]
    kept = proposals[works["content"].pk]
    assert moved.vacancy == works["farmhand"] and moved.explanation["moved"]
    assert "moved from" in moved.reason
    assert kept.vacancy == works["farmhand"] and not kept.explanation["moved"]
    assert kept.reason.startswith("already at work, kept")
    assert run.metrics["counts"]["moved"] == 1

    # The saved proposals pass the independent checker on the run's own inputs.
    instance = instance_from_json(run.inputs)
    policy = policy_for(run.parameters, instance)
    assert check_placements(instance, _as_engine_placements(run), policy) == []

    outcome = approve_run(user=personas["labour"], run=run, request_travel_passes=True)
    assert outcome["moved"] == 1 and outcome["kept"] == 1
    # The mover is asked a pass to the new site; the worker who stays is not.
    assert outcome["passes_requested"] + outcome["passes_refused"] == 1
    old = works["unhappy_placement"]
    old.refresh_from_db()
    assert old.status == Placement.Status.ENDED
    assert old.end_reason == f"Moved by placement run #{run.pk}"
    new = Placement.objects.get(person=works["unhappy"], status=Placement.Status.ACTIVE)
    assert new.vacancy == works["farmhand"] and new.run == run
    works["unhappy"].refresh_from_db()
    assert works["unhappy"].state == JourneyState.MOVED

    # Someone kept where they are keeps the very same placement and state.
    assert Placement.objects.filter(person=works["content"]).count() == 1
    untouched = works["content_placement"]
    untouched.refresh_from_db()
    assert untouched.status == Placement.Status.ACTIVE and untouched.run is None
    works["content"].refresh_from_db()
    assert works["content"].state == JourneyState.AT_WORK


def test_a_run_that_would_take_a_job_away_is_refused_and_changes_nothing(personas, works):
    run = _run(personas, allow_moves=True)
    content = run.assignments.get(person=works["content"])
    edit_assignment(
        user=personas["labour"],
        assignment=content,
        reason="testing a dismissal",
        housing_site=works["farmhand"].site,
    )
    with pytest.raises(ValidationError, match="would lose their job"):
        approve_run(user=personas["labour"], run=run)
    assert Placement.objects.filter(status=Placement.Status.ACTIVE).count() == 2
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.PROPOSED


def test_a_placement_changed_since_the_run_makes_approval_refuse(personas, works):
    run = _run(personas, allow_moves=True)
    # Another run moved the content worker meanwhile: this run's picture of them is stale.
    works["content_placement"].status = Placement.Status.ENDED
    works["content_placement"].end_date = works["content_placement"].start_date
    works["content_placement"].save()
    elsewhere = VacancyFactory(site=works["miner"].site, occupation="driver", slots=1)
    place(works["content"], vacancy=elsewhere)
    with pytest.raises(ValidationError, match="changed since this run"):
        approve_run(user=personas["labour"], run=run)
    works["unhappy_placement"].refresh_from_db()
    assert works["unhappy_placement"].status == Placement.Status.ACTIVE


def test_the_run_form_saves_the_choice_and_the_run_page_shows_it(client, personas, works):
    client.force_login(personas["labour"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("labour-home"),
            {
                "station": personas.onsong.pk,
                "retention_weight": 1,
                "preference_weight": 0.3,
                "housing_value": 0.05,
                "children_priority": 0,
                "large_household_share": 0,
                "allow_moves": "on",
            },
        )
    run_queued_tasks()
    run = PlacementRun.objects.get()
    assert response.status_code == 302 and run.allow_moves
    page = client.get(reverse("labour-run", args=[run.pk])).content.decode()
    assert "People already at work may be moved by this run." in page
    assert ProposedAssignment.objects.filter(run=run, person=works["unhappy"]).exists()


def test_a_household_with_a_worker_and_a_newcomer_is_planned_together(personas, works):
    from people.tests.factories import HouseholdFactory

    household = HouseholdFactory(station=personas.onsong)
    worker = works["content"]
    worker.household = household
    worker.save(update_fields=["household"])
    spouse = awaiting(personas.onsong, household=household)
    run = _run(personas, allow_moves=True)
    instance = instance_from_json(run.inputs)
    assert (
        check_placements(instance, _as_engine_placements(run), policy_for(run.parameters, instance))
        == []
    )
    sites = set(run.assignments.filter(person__in=[worker, spouse]).values_list("site", flat=True))
    assert len(sites) == 1
    approve_run(user=personas["labour"], run=run)
    spouse.refresh_from_db()
    assert spouse.state == JourneyState.PLACED
    assert Placement.objects.filter(person=worker, status=Placement.Status.ACTIVE).count() == 1


def test_a_closed_full_vacancy_still_lets_its_worker_stay(personas, works):
    works["farmhand"].is_open = False
    works["farmhand"].save(update_fields=["is_open"])
    run = _run(personas, allow_moves=True)
    kept = run.assignments.get(person=works["content"])
    assert kept.vacancy == works["farmhand"]
    slots = {job.job_id: job.slots for job in instance_from_json(run.inputs).jobs}
    assert slots[str(works["farmhand"].pk)] == 1, (
        "only the place its worker holds; closed to others"
    )


def test_a_what_if_on_a_run_with_moves_keeps_the_permission(personas, works):
    from labour.services.runs import what_if

    base = _run(personas, allow_moves=True)
    again = what_if(user=personas["labour"], base=base, parameters={"preference_weight": 0})
    assert again.allow_moves
    assert again.assignments.filter(person=works["unhappy"]).exists()
