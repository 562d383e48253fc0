"""A placement run asked for on the labour page is worked out by the task queue's worker, and
the page that follows it says what happened."""

from django.test import TestCase
from django.urls import reverse

from labour.models import PlacementRequest, PlacementRun
from labour.services.requests import ask_for_placement
from labour.tests.factories import SiteFactory, VacancyFactory, awaiting
from people.tests.factories import put_in_state
from people.tests.personas import PROVINCE
from waystation.testing import run_queued_tasks


def test_the_poll_is_sent_on_to_the_run_once_it_is_worked_out(personas) -> None:
    VacancyFactory(site=SiteFactory(housing_places=5), occupation="miner", slots=2)
    awaiting(personas.onsong)
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = ask_for_placement(
            user=personas["labour"], province=PROVINCE, station=personas.onsong
        )
    client = personas.client_for("labour")
    poll = client.get(reverse("labour-request", args=[asked.pk]), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "Waiting for the worker" in poll.content.decode()
    run_queued_tasks()
    run = PlacementRun.objects.get()
    poll = client.get(reverse("labour-request", args=[asked.pk]), HTTP_HX_REQUEST="true")
    assert poll["HX-Redirect"] == reverse("labour-run", args=[run.pk])


def test_a_run_that_can_no_longer_be_made_says_why(personas) -> None:
    person = awaiting(personas.onsong)
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = ask_for_placement(
            user=personas["labour"], province=PROVINCE, station=personas.onsong
        )
    put_in_state(person, "returned")  # gone back across the border before the worker ran
    run_queued_tasks()
    asked.refresh_from_db()
    assert asked.status == PlacementRequest.Status.FAILED and asked.run is None
    page = personas.client_for("labour").get(reverse("labour-request", args=[asked.pk]))
    assert "Nobody is awaiting placement in this scope." in page.content.decode()


def test_another_provinces_officer_cannot_follow_it(personas) -> None:
    awaiting(personas.onsong)
    asked = ask_for_placement(user=personas["labour"], province=PROVINCE, station=personas.onsong)
    other = personas.client_for("labour-ryanggang")
    assert other.get(reverse("labour-request", args=[asked.pk])).status_code == 404
