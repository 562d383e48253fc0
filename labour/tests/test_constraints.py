"""The database refuses what the rules forbid, whatever code writes the row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from labour.models import Credential, Placement, PlacementRun, Preference, ProposedAssignment
from labour.services.credentials import verify
from labour.tests.factories import SiteFactory, VacancyFactory, awaiting, place

pytestmark = pytest.mark.django_db


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def _claim(person, **fields):
    return Credential.objects.create(
        person=person,
        kind="education",
        name="mining diploma",
        claimed_at=timezone.now(),
        **fields,
    )


def test_verification_without_evidence_is_refused_by_service_and_database(personas):
    person = awaiting(personas.onsong)
    officer = personas["labour"]
    today = dt.date.today()
    _refused(lambda: _claim(person, status="verified", decided_by=officer, decided_on=today))
    _refused(
        lambda: _claim(
            person,
            status="verified",
            evidence="document",
            document_seen="a diploma",
            decided_by=officer,
            decided_on=today,
        )
    )
    _refused(lambda: _claim(person, status="rejected", decided_by=officer, decided_on=today))
    _refused(
        lambda: _claim(person, status="verified", evidence="practical_test", test_result="passed")
    )  # nobody decided it
    claim = _claim(person)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="document seen or a practical test"):
        verify(user=officer, credential=claim, evidence="")
    with pytest.raises(ValidationError, match="practical test"):
        verify(user=officer, credential=claim, evidence="practical_test", test_result=" ")
    claim.refresh_from_db()
    assert claim.status == "claimed"
    done = verify(
        user=officer,
        credential=claim,
        evidence="practical_test",
        test_result="drilled and blasted under supervision",
    )
    assert done.status == "verified"
    with pytest.raises(ValidationError, match="already decided"):
        verify(user=officer, credential=claim, evidence="practical_test", test_result="again")


def test_one_active_placement_per_person_and_ends_are_dated(personas):
    person = awaiting(personas.onsong)
    first = place(person)
    _refused(lambda: place(person))
    _refused(lambda: Placement.objects.filter(pk=first.pk).update(status="ended"))
    Placement.objects.filter(pk=first.pk).update(status="ended", end_date=first.start_date)
    assert place(person).status == "active"


def test_vacancy_and_site_constraints(personas):
    site = SiteFactory()
    _refused(lambda: VacancyFactory(site=site, skilled=True, required_credential=""))
    _refused(lambda: VacancyFactory(site=site, difficulty=1.5))
    _refused(lambda: VacancyFactory(site=site, min_age=10))
    VacancyFactory(site=site, occupation="miner")
    _refused(lambda: VacancyFactory(site=site, occupation="miner"))
    _refused(lambda: SiteFactory(kind="casino"))


def test_proposal_status_must_match_its_place_and_edits_need_reasons(personas):
    person = awaiting(personas.onsong)
    vacancy = VacancyFactory()
    run = PlacementRun.objects.create(
        scope="station",
        province="North Hamgyong",
        station=personas.onsong,
        created_by=personas["labour"],
        created_at=timezone.now(),
    )

    def proposal(**fields):
        return ProposedAssignment.objects.create(run=run, person=person, **fields)

    _refused(lambda: proposal(status="placed", site=vacancy.site))
    _refused(lambda: proposal(status="housed", vacancy=vacancy, site=vacancy.site, reason="x"))
    _refused(lambda: proposal(status="unplaced"))  # nobody is left without a reason
    _refused(
        lambda: proposal(
            status="placed",
            vacancy=vacancy,
            site=vacancy.site,
            edited=True,
            edited_by=personas["labour"],
            edited_at=timezone.now(),
        )
    )
    proposal(status="placed", vacancy=vacancy, site=vacancy.site)
    _refused(lambda: proposal(status="unplaced", reason="twice"))
    _refused(lambda: PlacementRun.objects.filter(pk=run.pk).update(status="approved"))
    _refused(
        lambda: PlacementRun.objects.create(
            scope="what_if",
            province="North Hamgyong",
            created_by=personas["labour"],
            created_at=timezone.now(),
        )
    )


def test_preferences_have_one_owner_and_one_wish_per_rank(personas):
    person = awaiting(personas.onsong)
    now = timezone.now()
    _refused(lambda: Preference.objects.create(rank=1, kind="sector", sector="farm", stated_at=now))
    _refused(lambda: Preference.objects.create(person=person, rank=1, kind="sector", stated_at=now))
    Preference.objects.create(person=person, rank=1, kind="sector", sector="farm", stated_at=now)
    _refused(
        lambda: Preference.objects.create(
            person=person, rank=1, kind="place", county="Musan County", stated_at=now
        )
    )
