"""In a real browser: a labour officer runs a placement for a station, changes one
assignment by hand with a reason, is refused an ineligible one, and approves (the worker
places the people while the approval's page follows it)."""

from __future__ import annotations

import re

import pytest

from labour.models import Placement, PlacementRun
from labour.tests.factories import SiteFactory, VacancyFactory, awaiting
from people.audit import AuditEntry
from people.states import JourneyState
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.browser


def _log_in(page, server: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{server}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_runs_edits_and_approves_a_placement(live_server, page) -> None:
    from people.tests.personas import build_personas

    personas = build_personas()
    mine = SiteFactory(name="Musan Mining Complex", kind="mine", housing_places=10)
    farm = SiteFactory(name="Onsong Cooperative Farm", kind="farm", housing_places=10)
    miner = VacancyFactory(site=mine, occupation="miner", slots=3, heavy_work=True)
    VacancyFactory(site=farm, occupation="farmhand", slots=3, difficulty=0.4)
    strong = awaiting(personas.onsong)
    frail = awaiting(personas.onsong, fitness="light")
    server = live_server.url

    _log_in(page, server, "labour")
    page.click("header >> a:has-text('Labour')")
    page.wait_for_load_state()
    page.select_option("#id_station", str(personas.onsong.pk))
    page.click("[data-testid=run-placement]")
    page.wait_for_load_state()
    # the run is worked out by the task queue's worker; the page follows it and opens the run
    assert page.locator("[data-testid=placement-request]").count() == 1
    run_queued_tasks()
    page.wait_for_url(re.compile(r"/labour/runs/\d+/$"), timeout=15000)
    assert "Placement run #" in page.content()
    run_url = page.url
    assert page.locator("[data-testid=fairness-chart]").count() == 1
    run = PlacementRun.objects.latest("pk")
    assert {strong.pk, frail.pk} <= set(run.assignments.values_list("person_id", flat=True))

    # The frail man cannot be a miner: the page says why and nothing changes.
    page.goto(f"{server}/labour/assignments/{run.assignments.get(person=frail).pk}/")
    page.select_option("#id_vacancy", str(miner.pk))
    page.fill("#id_reason", "asked to work with his brother")
    page.click("[data-testid=save-change]")
    page.wait_for_load_state()
    assert "not fit for heavy work" in page.inner_text("[data-testid=edit-error]")

    # The strong one goes to the mine by hand, with a reason.
    page.goto(run_url)
    page.goto(f"{server}/labour/assignments/{run.assignments.get(person=strong).pk}/")
    page.select_option("#id_vacancy", str(miner.pk))
    page.fill("#id_reason", "his brother works at the mine")
    page.click("[data-testid=save-change]")
    page.wait_for_load_state()
    assert "Assignment changed." in page.content()
    assert page.url == run_url
    assert run.assignments.get(person=strong).edited

    # the approval is carried out by the worker; its page follows it and shows the outcome
    page.click("[data-testid=approve]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=approval-status]") == "Waiting for the worker"
    assert not Placement.objects.filter(person=strong).exists()
    run_queued_tasks()
    page.wait_for_selector("[data-testid=approval-outcome]", timeout=15000)
    assert re.search(
        r"Approved: \d+ people placed", page.inner_text("[data-testid=approval-outcome]")
    )
    page.click("[data-testid=back-to-run]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=run-status]") == "Approved"
    strong.refresh_from_db()
    assert strong.state == JourneyState.PLACED
    assert Placement.objects.get(person=strong, status="active").vacancy == miner
    assert AuditEntry.objects.filter(person=strong, reason="his brother works at the mine").exists()
