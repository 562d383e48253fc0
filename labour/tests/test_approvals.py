"""Approving a run is carried out by the task queue's worker: the officer's request returns at
once, nobody is placed until the worker runs, one approval at a time, and the approval's page
says what happened or why it was refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from labour.models import ApprovalRequest, Placement, PlacementRun
from labour.services.approvals import ask_for_approval
from labour.services.decisions import edit_assignment
from labour.services.runs import run_placement
from labour.tests.factories import SiteFactory, VacancyFactory, awaiting, verified_credential
from people.states import JourneyState
from people.tests.personas import PROVINCE
from waystation import clock
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(personas):
    mine = SiteFactory(name="Musan mine", kind="mine", housing_places=10)
    return {
        "miner": VacancyFactory(site=mine, occupation="miner", slots=5, heavy_work=True),
        "engineer": VacancyFactory(
            site=mine,
            occupation="mining engineer",
            slots=1,
            required_credential="mining diploma",
            skilled=True,
        ),
    }


def _run(personas) -> PlacementRun:
    return run_placement(user=personas["labour"], province=PROVINCE, station=personas.onsong)


def test_an_approval_places_nobody_until_the_worker_carries_it_out(personas, province):
    people = [awaiting(personas.onsong), awaiting(personas.onsong)]
    run = _run(personas)
    with TestCase.captureOnCommitCallbacks(execute=True):
        approval = ask_for_approval(user=personas["labour"], run=run, request_travel_passes=True)
    assert approval.status == ApprovalRequest.Status.QUEUED
    assert not Placement.objects.exists()
    # while it is queued: no second approval, no change by hand
    with pytest.raises(ValidationError, match="already under way"):
        ask_for_approval(user=personas["labour"], run=run)
    with pytest.raises(ValidationError, match="already under way"):
        edit_assignment(
            user=personas["labour"],
            assignment=run.assignments.first(),
            reason="late change",
        )
    assert run_queued_tasks() == 1
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.DONE
    assert approval.outcome["placed"] == 2 and "passes_requested" in approval.outcome
    for person in people:
        person.refresh_from_db()
        assert person.state == JourneyState.PLACED
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.APPROVED and run.approved_by == personas["labour"]


def test_the_database_holds_at_most_one_pending_approval_per_run(personas, province):
    awaiting(personas.onsong)
    run = _run(personas)

    def approval(status: str) -> ApprovalRequest:
        return ApprovalRequest.objects.create(
            run=run, created_by=personas["labour"], created_at=clock.now(), status=status
        )

    approval("failed")
    approval("queued")
    for status in ("queued", "running"):
        with pytest.raises(IntegrityError), transaction.atomic():
            approval(status)
    approval("failed")  # refused approvals stay as history beside the pending one


def test_a_refused_approval_places_nobody_and_says_why_in_the_officers_language(personas, province):
    person = awaiting(personas.onsong)
    credential = verified_credential(person, "mining diploma", personas["labour"])
    run = _run(personas)
    edit_assignment(
        user=personas["labour"],
        assignment=run.assignments.get(person=person),
        vacancy=province["engineer"],
        reason="the one engineer we need",
    )
    with translation.override("ko"), TestCase.captureOnCommitCallbacks(execute=True):
        approval = ask_for_approval(user=personas["labour"], run=run)
    type(credential).objects.filter(pk=credential.pk).update(
        status="rejected", decision_note="forged"
    )
    run_queued_tasks()
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.FAILED
    # written by the worker in Korean, the language the officer asked in
    assert person.display_name in approval.problem and "any more" not in approval.problem
    assert not Placement.objects.exists()
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.PROPOSED
    client = personas.client_for("labour")
    page = client.get(reverse("labour-approval", args=[approval.pk]))
    assert approval.problem in page.content.decode()
    # an officer who left the approval's page sees the refusal on the run's page
    run_page = client.get(reverse("labour-run", args=[run.pk])).content.decode()
    assert 'data-testid="approval-refused"' in run_page and 'data-testid="approve"' in run_page
    # the refusal is history: the officer may fix the run and approve again
    again = ask_for_approval(user=personas["labour"], run=run)
    assert again.status == ApprovalRequest.Status.QUEUED


def test_the_post_returns_at_once_and_the_page_shows_the_outcome_when_done(personas, province):
    awaiting(personas.onsong)
    awaiting(personas.onsong)
    run = _run(personas)
    client = personas.client_for("labour")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("labour-run-approve", args=[run.pk]), {"travel_passes": "on"}
        )
    approval = ApprovalRequest.objects.get(run=run)
    assert response["Location"] == reverse("labour-approval", args=[approval.pk])
    assert not Placement.objects.exists()
    poll = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Waiting for the worker" in poll and 'role="progressbar"' in poll
    run_page = client.get(reverse("labour-run", args=[run.pk])).content.decode()
    assert 'data-testid="approval-under-way"' in run_page
    assert 'data-testid="approve"' not in run_page and 'data-testid="change-' not in run_page
    again = client.post(reverse("labour-run-approve", args=[run.pk]), follow=True)
    assert "already under way" in again.content.decode()
    assert ApprovalRequest.objects.filter(run=run).count() == 1
    run_queued_tasks()
    done = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Approved: 2 people placed, 0 no longer waiting." in done
    assert "Travel passes requested for" in done and "progressbar" not in done
    assert Placement.objects.filter(run=run, status="active").count() == 2
    run_page = client.get(reverse("labour-run", args=[run.pk])).content.decode()
    assert reverse("labour-approval", args=[approval.pk]) in run_page


def test_another_provinces_officer_cannot_follow_or_ask_for_it(personas, province):
    awaiting(personas.onsong)
    run = _run(personas)
    approval = ask_for_approval(user=personas["labour"], run=run)
    other = personas.client_for("labour-ryanggang")
    assert other.get(reverse("labour-approval", args=[approval.pk])).status_code == 404
    assert other.post(reverse("labour-run-approve", args=[run.pk])).status_code == 404
