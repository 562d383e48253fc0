"""Importing a labour plan: sites with their housing and vacancy lines, refused in words when
the labour pages would refuse them, and importing it again changes only what changed."""

import pytest
from django.test import TestCase

from imports import services
from imports.models import ImportJob
from labour.models import Employer, Site, Vacancy
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db

PLAN = (
    "Employer,Sector,Province,Site,County,Housing places,Occupation,Positions,"
    "Verified credential needed,Skilled post\n"
    "Musan Mine,mine,North Hamgyong,Pit 2,Musan,120,miner,40,,\n"
    "Musan Mine,mine,North Hamgyong,Pit 2,Musan,120,electrician,5,electrician certificate,yes\n"
    "Kyongsong Farm,farm,North Hamgyong,Farm 3,Kyongsong,many,farmer,10,,\n"
    "Hyesan Works,factory,Ryanggang,Hall 1,Hyesan,50,weaver,10,,\n"
)


def run(personas, text: str, dry_run: bool) -> ImportJob:  # noqa: ANN001
    officer = personas["labour"]
    job = services.upload(
        user=officer,
        kind=ImportJob.Kind.LABOUR_PLAN,
        source="Plan 1961",
        file_name="plan.csv",
        data=text.encode(),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.start(user=officer, job=job, mapping=job.mapping, dry_run=dry_run)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.error
    return job


def test_a_dry_run_refuses_in_words_and_sets_up_nothing(personas) -> None:
    job = run(personas, PLAN, dry_run=True)
    refusals = {(r["row"], r["column"]): r["reason"] for r in job.refusals}
    assert refusals[(4, "Housing places")] == "Enter a whole number."
    assert refusals[(5, "Province")] == "This province is outside your scope."
    assert job.counts == {"checked": 2, "refused": 2}
    assert not Employer.objects.exists() and not Vacancy.objects.exists()


def test_the_plan_is_set_up_and_importing_it_again_changes_only_what_changed(personas) -> None:
    job = run(personas, PLAN, dry_run=False)
    assert job.counts == {"imported": 2, "refused": 2}
    site = Site.objects.get(name="Pit 2")
    assert site.housing_places == 120 and site.employer.name == "Musan Mine"
    lines = dict(Vacancy.objects.filter(site=site).values_list("occupation", "slots"))
    assert lines == {"miner": 40, "electrician": 5}
    assert Vacancy.objects.get(occupation="electrician").skilled
    run(personas, PLAN.replace("miner,40", "miner,45").replace(",120,", ",150,"), dry_run=False)
    site.refresh_from_db()
    assert site.housing_places == 150 and Site.objects.count() == 1
    assert Vacancy.objects.get(occupation="miner").slots == 45 and Vacancy.objects.count() == 2
