"""Labour pages: who may open them, and what an officer sees and does through them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse

from labour.models import Credential, Placement, PlacementRun, Preference, Vacancy
from labour.services.credentials import record_claim
from labour.services.runs import run_placement
from labour.tests.factories import SiteFactory, VacancyFactory, awaiting
from people.tests.personas import PROVINCE, assert_access
from waystation import clock
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db

READERS = {"labour", "labour-ryanggang", "admin", "auditor"}


@pytest.fixture
def run(personas):
    site = SiteFactory(name="Musan mine", kind="mine", housing_places=10)
    VacancyFactory(site=site, occupation="miner", slots=5, heavy_work=True)
    awaiting(personas.onsong)
    awaiting(personas.onsong, fitness="not_fit")
    return run_placement(user=personas["labour"], province=PROVINCE, station=personas.onsong)


def test_labour_pages_are_for_labour_officers_administrators_and_auditors(personas, run):
    for url in (reverse("labour-home"), reverse("labour-sites")):
        assert_access(personas, url, READERS)
    # A run belongs to its province: the Ryanggang officer does not see it.
    assert_access(personas, reverse("labour-run", args=[run.pk]), READERS - {"labour-ryanggang"})
    compare = f"{reverse('labour-compare')}?a={run.pk}&b={run.pk}"
    assert_access(personas, compare, READERS - {"labour-ryanggang"})


def test_changing_and_approving_is_for_officers_only(personas, run):
    assignment = run.assignments.first()
    assert_access(personas, reverse("labour-assignment", args=[assignment.pk]), {"labour", "admin"})
    assert_access(personas, reverse("labour-what-if", args=[run.pk]), {"labour", "admin"})
    response = personas.client_for("auditor").post(reverse("labour-run-approve", args=[run.pk]))
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == PlacementRun.Status.PROPOSED


def test_review_page_shows_explanations_fairness_and_prices(personas, run):
    page = personas.client_for("labour").get(reverse("labour-run", args=[run.pk]))
    html = page.content.decode()
    assert 'data-testid="fairness-chart"' in html
    assert "not fit for heavy work" in html  # the reason the unfit person is not a miner
    assert "Household size" in html and "Age group" in html


def test_run_form_starts_a_run_and_what_if_compares(personas, run):
    client = personas.client_for("labour")
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
            },
        )
    assert response.status_code == 302
    assert run_queued_tasks() == 1
    newest = PlacementRun.objects.order_by("-pk").first()
    assert client.get(response["Location"])["Location"] == reverse("labour-run", args=[newest.pk])
    job = run.inputs["jobs"][0]["job_id"]
    response = client.post(
        reverse("labour-what-if", args=[run.pk]),
        {
            f"slots_{job}": 0,
            "retention_weight": 1,
            "preference_weight": 0.3,
            "housing_value": 0.05,
            "children_priority": 0,
            "large_household_share": 0,
        },
    )
    assert response.status_code == 302 and "compare" in response["Location"]
    compared = client.get(response["Location"])
    assert b"changed-count" in compared.content
    what_if = PlacementRun.objects.get(scope="what_if")
    assert what_if.metrics["counts"]["placed"] == 0


def test_credential_claim_verify_and_reject_from_the_person_page(personas):
    person = awaiting(personas.onsong)
    client = personas.client_for("labour")
    detail = reverse("person-detail", args=[person.pk])
    assert b"labour-panel" in client.get(detail).content
    assert b"labour-panel" not in personas.client_for("medical-onsong").get(detail).content
    claim = reverse("labour-credential-claim", args=[person.pk])
    client.post(claim, {"kind": "education", "name": "mining diploma", "years": 4})
    client.post(claim, {"kind": "skill", "name": "welder", "years": 0})
    diploma, welder = Credential.objects.filter(person=person).order_by("pk")
    # No evidence: the claim stays claimed and the officer is told why.
    response = client.post(
        reverse("labour-credential-decide", args=[diploma.pk, "verify"]),
        {"evidence": "document", "document_seen": "", "issuing_institution": ""},
        follow=True,
    )
    assert "Name the document seen" in response.content.decode()
    diploma.refresh_from_db()
    assert diploma.status == "claimed"
    client.post(
        reverse("labour-credential-decide", args=[diploma.pk, "verify"]),
        {
            "evidence": "document",
            "document_seen": "Diploma 1957/331",
            "issuing_institution": "Chongjin Mining College",
        },
    )
    client.post(
        reverse("labour-credential-decide", args=[welder.pk, "reject"]),
        {"reason": "could not weld in the practical test"},
    )
    diploma.refresh_from_db()
    welder.refresh_from_db()
    assert diploma.status == "verified" and diploma.decided_by == personas["labour"]
    assert welder.status == "rejected" and welder.decision_note
    page = client.get(detail).content.decode()
    assert "could not weld" in page and "Chongjin Mining College" in page
    # A registrar may not verify.
    other = Credential.objects.create(
        person=person, kind="skill", name="driver", claimed_at=diploma.claimed_at
    )
    response = personas.client_for("registrar-onsong").post(
        reverse("labour-credential-decide", args=[other.pk, "reject"]), {"reason": "no"}
    )
    assert response.status_code == 403


def test_preferences_are_ranked_and_restating_keeps_the_old_ones(personas):
    person = awaiting(personas.onsong)
    client = personas.client_for("labour")
    url = reverse("labour-preferences", args=[person.pk])
    client.post(
        url,
        {
            "kind_1": "sector",
            "value_1": "farm",
            "kind_2": "near_relatives",
            "value_2": "Musan County",
        },
    )
    client.post(url, {"kind_1": "sector", "value_1": "factory"})
    current = Preference.objects.filter(person=person, superseded_at__isnull=True)
    assert [(p.rank, p.sector) for p in current] == [(1, "factory")]
    assert Preference.objects.filter(person=person).count() == 3


def test_approve_from_the_page(personas, run):
    client = personas.client_for("labour")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("labour-run-approve", args=[run.pk]))
    assert run_queued_tasks() == 1
    assert "Approved" in client.get(response["Location"]).content.decode()
    assert Placement.objects.filter(run=run, status="active").count() == 2
    placed = Placement.objects.filter(run=run).first().person
    page = client.get(reverse("person-detail", args=[placed.pk])).content.decode()
    assert 'data-testid="labour-placement"' in page and "Record leaving the job" in page
    client.post(reverse("labour-placement-end", args=[placed.pk]), {"reason": "family"})
    placed.refresh_from_db()
    assert placed.state == "left_job"


def test_sites_and_vacancies_are_edited_in_the_officers_province_only(personas):
    site = SiteFactory(name="Musan mine", kind="mine")
    vacancy = VacancyFactory(site=site, occupation="miner", slots=5)
    url = reverse("labour-record", args=["vacancy", vacancy.pk])
    assert_access(personas, url, {"labour", "admin"})
    data = {
        "site": site.pk,
        "occupation": "miner",
        "slots": 7,
        "min_age": 18,
        "difficulty": 0.8,
        "heavy_work": "on",
        "is_open": "on",
    }
    personas.client_for("labour").post(url, data)
    vacancy.refresh_from_db()
    assert vacancy.slots == 7 and vacancy.heavy_work and vacancy.min_age == 18
    new = reverse("labour-record-new", args=["vacancy"])
    response = personas.client_for("labour").post(
        new, {**data, "occupation": "mining engineer", "skilled": "on", "required_credential": ""}
    )
    assert response.status_code == 200  # a skilled post needs a credential: the form says so
    assert not Vacancy.objects.filter(occupation="mining engineer").exists()
    sites = personas.client_for("auditor").get(reverse("labour-sites")).content.decode()
    assert "Musan mine" in sites and "0 / 7" in sites


def _batch_form(**fields: object) -> dict[str, object]:
    today = clock.today()
    return {
        "batch_from": (today - dt.timedelta(days=30)).isoformat(),
        "batch_to": today.isoformat(),
        "retention_weight": 1,
        "preference_weight": 0.3,
        "housing_value": 0.05,
        "children_priority": 0,
        "large_household_share": 0,
        **fields,
    }


def test_an_administrator_chooses_the_province_of_a_batch_run(personas):
    site = SiteFactory(name="Musan mine", kind="mine", housing_places=10)
    VacancyFactory(site=site, occupation="miner", slots=5, heavy_work=True)
    awaiting(personas.onsong)
    client = personas.client_for("admin")
    page = client.get(reverse("labour-home")).content.decode()
    assert 'name="province"' in page and PROVINCE in page
    # Without a province the run is refused with a message and nothing is saved.
    refused = client.post(reverse("labour-home"), _batch_form())
    assert refused.status_code == 200
    assert "Choose the province of the batch." in refused.content.decode()
    assert not PlacementRun.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(reverse("labour-home"), _batch_form(province=PROVINCE))
    # the run is worked out on the task queue; the page the officer is sent to follows it
    assert started.status_code == 302 and "/labour/requests/" in started["Location"]
    waiting = client.get(started["Location"]).content.decode()
    assert "Waiting for the worker" in waiting and 'hx-trigger="every 2s"' in waiting
    assert run_queued_tasks() == 1
    opened = client.get(started["Location"])
    run = PlacementRun.objects.get()
    assert opened.status_code == 302 and opened["Location"] == reverse("labour-run", args=[run.pk])
    assert run.province == PROVINCE and run.scope == PlacementRun.Scope.BATCH
    assert run.assignments.count() == 1
    # A labour officer's batch is always in their own province: no choice is offered.
    officer_page = personas.client_for("labour").get(reverse("labour-home")).content.decode()
    assert 'name="province"' not in officer_page


def test_a_registrar_of_the_station_records_a_claim_that_stays_unverified(personas):
    person = awaiting(personas.onsong)
    detail = reverse("person-detail", args=[person.pk])
    registrar = personas.client_for("registrar-onsong")
    assert b"registrar-claims" in registrar.get(detail).content
    claim = reverse("labour-credential-claim-at-station", args=[person.pk])
    response = registrar.post(claim, {"kind": "education", "name": "mining diploma", "years": 4})
    assert response.status_code == 302
    credential = Credential.objects.get(person=person)
    assert credential.status == "claimed" and credential.recorded_by == personas["registrar-onsong"]
    assert "mining diploma" in registrar.get(detail).content.decode()
    # The registrar of another station neither sees the person nor records for them; other
    # station staff have no such form; nobody but labour officers verifies.
    other = personas.client_for("registrar-musan").post(claim, {"kind": "skill", "name": "x"})
    assert other.status_code == 404
    medical = personas.client_for("medical-onsong")
    assert b"registrar-claims" not in medical.get(detail).content
    assert medical.post(claim, {"kind": "skill", "name": "x"}).status_code == 403
    decide = reverse("labour-credential-decide", args=[credential.pk, "reject"])
    assert registrar.post(decide, {"reason": "no"}).status_code == 403
    assert Credential.objects.filter(person=person).count() == 1


def test_the_claim_service_refuses_a_registrar_of_another_station(personas):
    person = awaiting(personas.onsong)
    with pytest.raises(PermissionDenied):
        record_claim(user=personas["registrar-musan"], person=person, kind="skill", name="welder")
    assert not Credential.objects.exists()
