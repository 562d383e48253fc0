"""Runs, hand edits and approval through the services, on a small province."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from labour.models import Placement, PlacementRun, ProposedAssignment
from labour.services.decisions import approve_run, edit_assignment
from labour.services.runs import run_placement, what_if
from labour.tests.factories import (
    SiteFactory,
    VacancyFactory,
    awaiting,
    household_awaiting,
    verified_credential,
)
from people.audit import AuditEntry
from people.states import JourneyState
from people.tests.personas import PROVINCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(personas):
    mine = SiteFactory(name="Musan mine", kind="mine", housing_places=20)
    farm = SiteFactory(name="Onsong commune", kind="farm", housing_places=20)
    return {
        "miner": VacancyFactory(
            site=mine, occupation="miner", slots=3, heavy_work=True, difficulty=0.8
        ),
        "engineer": VacancyFactory(
            site=mine,
            occupation="mining engineer",
            slots=1,
            required_credential="mining diploma",
            skilled=True,
            difficulty=0.3,
        ),
        "farmhand": VacancyFactory(site=farm, occupation="farmhand", slots=5, difficulty=0.5),
    }


def _run(personas, **kwargs):
    return run_placement(
        user=personas["labour"], province=PROVINCE, station=personas.onsong, **kwargs
    )


def test_run_places_eligible_people_and_explains_everyone(personas, province):
    unfit = awaiting(personas.onsong, fitness="light")
    fit = awaiting(personas.onsong)
    run = _run(personas)
    proposals = {a.person_id: a for a in run.assignments.all()}
    assert set(proposals) == {unfit.pk, fit.pk}
    assert proposals[unfit.pk].vacancy != province["miner"]
    for proposal in proposals.values():
        assert proposal.status == "placed"
        assert proposal.explanation["alternatives"], "top alternatives are listed"
    reasons = " ".join(alt["reason"] for alt in proposals[unfit.pk].explanation["alternatives"])
    assert "heavy work" in reasons or "verified" in reasons
    assert {row["dimension"] for row in run.metrics["fairness"]} >= {
        "household_size",
        "age_group",
        "sex",
    }


def test_household_stays_together_and_children_are_housed(personas, province):
    members = household_awaiting(personas.onsong, [35, 33, 8])
    run = _run(personas)
    sites = {a.site_id for a in run.assignments.filter(person__in=members)}
    assert len(sites) == 1
    child = run.assignments.get(person=members[2])
    assert child.status == "housed" and child.reason


def test_hand_edit_to_an_ineligible_vacancy_is_refused_with_the_reason(personas, province):
    person = awaiting(personas.onsong, fitness="light")
    run = _run(personas)
    assignment = run.assignments.get(person=person)
    with pytest.raises(ValidationError, match="heavy work"):
        edit_assignment(
            user=personas["labour"],
            assignment=assignment,
            vacancy=province["miner"],
            reason="he asked for the mine",
        )
    with pytest.raises(ValidationError, match="verified mining diploma"):
        edit_assignment(
            user=personas["labour"],
            assignment=assignment,
            vacancy=province["engineer"],
            reason="claims to be an engineer",
        )
    assignment.refresh_from_db()
    assert not assignment.edited


def test_hand_edit_needs_a_reason_and_is_audited(personas, province):
    person = awaiting(personas.onsong)
    verified_credential(person, "mining diploma", personas["labour"])
    run = _run(personas)
    assignment = run.assignments.get(person=person)
    with pytest.raises(ValidationError):
        edit_assignment(
            user=personas["labour"],
            assignment=assignment,
            vacancy=province["farmhand"],
            reason="  ",
        )
    edited = edit_assignment(
        user=personas["labour"],
        assignment=assignment,
        vacancy=province["farmhand"],
        reason="wants to farm with cousins",
    )
    assert edited.vacancy == province["farmhand"] and edited.edited
    entry = AuditEntry.objects.get(object_type="labour.ProposedAssignment", person=person)
    assert entry.reason == "wants to farm with cousins"
    assert entry.detail["after"]["vacancy"] == province["farmhand"].pk


def test_approval_creates_placements_and_moves_people_to_placed(personas, province):
    members = household_awaiting(personas.onsong, [35, 33, 8])
    run = _run(personas)
    outcome = approve_run(user=personas["labour"], run=run)
    assert outcome["placed"] == 3
    for person in members:
        person.refresh_from_db()
        assert person.state == JourneyState.PLACED
        assert Placement.objects.get(person=person, status="active").run == run
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.APPROVED
    with pytest.raises(ValidationError):
        approve_run(user=personas["labour"], run=run)


def test_approval_refuses_a_credential_lost_since_the_run(personas, province):
    person = awaiting(personas.onsong)
    credential = verified_credential(person, "mining diploma", personas["labour"])
    run = _run(personas)
    assignment = run.assignments.get(person=person)
    edit_assignment(
        user=personas["labour"],
        assignment=assignment,
        vacancy=province["engineer"],
        reason="the one engineer we need",
    )
    type(credential).objects.filter(pk=credential.pk).update(
        status="rejected", decision_note="forged"
    )
    with pytest.raises(ValidationError, match="any more"):
        approve_run(user=personas["labour"], run=run)
    person.refresh_from_db()
    assert person.state == JourneyState.AWAITING_PLACEMENT
    assert not Placement.objects.filter(person=person).exists()


def test_only_labour_officers_of_the_province_run_placements(personas, province):
    awaiting(personas.onsong)
    for name in ("registrar-onsong", "labour-ryanggang", "auditor"):
        with pytest.raises(PermissionDenied):
            run_placement(user=personas[name], province=PROVINCE, station=personas.onsong)


def test_what_if_reruns_saved_inputs_with_fewer_positions(personas, province):
    for _ in range(4):
        awaiting(personas.onsong)
    base = _run(personas)
    fewer = what_if(
        user=personas["labour"],
        base=base,
        slot_overrides={str(province["farmhand"].pk): 0, str(province["miner"].pk): 1},
    )
    assert fewer.base_run == base and fewer.scope == "what_if"
    assert fewer.metrics["counts"]["placed"] < base.metrics["counts"]["placed"]
    assert not ProposedAssignment.objects.filter(run=fewer, vacancy=province["farmhand"]).exists()
    with pytest.raises(ValidationError):
        approve_run(user=personas["labour"], run=fewer)


def test_leaving_a_job_ends_the_placement_even_when_forced(personas, province):
    from labour.services.decisions import end_placement
    from people.services import override

    forced = awaiting(personas.onsong)
    person = awaiting(personas.onsong)
    approve_run(user=personas["labour"], run=_run(personas))
    forced.refresh_from_db()
    override(
        user=personas["labour"],
        person=forced,
        target=JourneyState.LEFT_JOB,
        reason="Left the mine; the site told us by telephone",
    )
    assert not Placement.objects.filter(person=forced, status="active").exists()
    person.refresh_from_db()
    with pytest.raises(ValidationError):
        end_placement(user=personas["labour"], person=person, reason=" ")
    ended = end_placement(user=personas["labour"], person=person, reason="work too hard")
    person.refresh_from_db()
    assert person.state == JourneyState.LEFT_JOB
    assert ended.status == "ended" and ended.end_reason == "work too hard"
    assert not Placement.objects.filter(person=person, status="active").exists()


def test_a_placed_person_forced_back_to_waiting_no_longer_holds_the_job(personas, province):
    """Found by the invariant machine (issue 16): an override from placed back to awaiting
    placement left the placement active, so the person was counted at a job and waiting."""
    from people.services import override

    person = awaiting(personas.onsong)
    approve_run(user=personas["labour"], run=_run(personas))
    person.refresh_from_db()
    assert Placement.objects.filter(person=person, status="active").exists()
    override(
        user=personas["admin"],
        person=person,
        target=JourneyState.AWAITING_PLACEMENT,
        reason="The site refused him on arrival; to be placed again",
    )
    person.refresh_from_db()
    assert person.state == JourneyState.AWAITING_PLACEMENT
    assert not Placement.objects.filter(person=person, status="active").exists()


def test_a_weekly_batch_takes_everyone_in_the_province_who_began_waiting_in_it(personas, province):
    import datetime as dt

    from django.utils import timezone

    in_batch = awaiting(personas.onsong)
    other_station = awaiting(personas.musan)
    last_month = awaiting(personas.onsong)
    type(last_month).objects.filter(pk=last_month.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=30)
    )
    today = timezone.localdate()
    run = run_placement(
        user=personas["labour"],
        province=PROVINCE,
        batch_from=today - dt.timedelta(days=6),
        batch_to=today,
    )
    assert run.scope == "batch"
    assert set(run.assignments.values_list("person_id", flat=True)) == {
        in_batch.pk,
        other_station.pk,
    }
    with pytest.raises(ValidationError):
        run_placement(
            user=personas["labour"],
            province=PROVINCE,
            batch_from=today,
            batch_to=today - dt.timedelta(days=1),
        )
