"""An uploaded register's values (names, dates of birth, ID numbers) are not kept once they
are of no use: erased when the import has run, or when a file that was only dry-run is older
than the retention period; the report still reads."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from identity.engine.idnumber import resident_id_check_character
from imports import services
from imports.models import ImportJob
from imports.tests.test_register_import import run, upload
from people.audit import AuditEntry
from people.models import Person

pytestmark = pytest.mark.django_db

BODY = "22010219310504124"
RESIDENT_ID = BODY + resident_id_check_character(BODY)
CSV = (
    "번호,세대,관계,성,이름,성별,생년월일,ID number\n"
    "R-1,H1,세대주,안,재수,남,1932-06-07,\n"
    "R-2,H1,처,김,영희,F,1934-02,\n"
    "R-3,,,박,철,X?,1931-13-40,\n"
    f"R-4,,,리,순자,F,1931-05-09,{RESIDENT_ID}\n"
)
NAMES = ("안", "재수", "김", "영희", "박", "철", "리", "순자")
VALUES = ("1932-06-07", "1934-02", "X?", "1931-13-40", RESIDENT_ID, "May 4, 1931")


def held_values(job: ImportJob) -> str:
    """Everything the job keeps, as text."""
    job.refresh_from_db()
    return json.dumps([job.rows, job.refusals, job.counts, job.header], ensure_ascii=False)


def test_after_the_import_no_row_of_the_file_holds_a_personal_value(personas) -> None:
    job = run(personas, upload(personas, CSV), dry_run=True)
    # the dry run shows the values it refused, for the registrar to correct the file
    assert "“X?” is not a sex" in held_values(job) and "May 4, 1931" in held_values(job)
    assert job.rows_erased_at is None

    job = run(personas, job, dry_run=False)
    assert job.counts["imported"] == 2 and Person.objects.count() == 2
    kept = held_values(job)
    assert job.rows == [] and job.rows_erased_at is not None
    for value in (*NAMES, *VALUES):
        assert value not in kept, value
    # the report keeps row, key, column and the reason without the value
    refusals = {(r["row"], r["key"], r["column"]): r["reason"] for r in job.refusals}
    assert refusals[(4, "R-3", "성별")] == "“…” is not a sex this import knows: write M or F."
    assert refusals[(5, "R-4", "생년월일")].startswith(
        "The resident ID number gives the date of birth as …."
    )
    assert AuditEntry.objects.filter(
        object_id=str(job.pk), reason__startswith="Erased the values"
    ).exists()


def test_the_job_page_reports_an_erased_import_and_offers_no_new_run(personas) -> None:
    job = run(personas, run(personas, upload(personas, CSV), dry_run=True), dry_run=False)
    page = personas.client_for("registrar-onsong").get(f"/imports/{job.pk}/").content.decode()
    assert "2 persons imported." in page and "2 rows refused." in page
    assert "R-3" in page and "“…” is not a sex this import knows" in page
    assert 'data-testid="rows-erased"' in page and "were erased on" in page
    assert 'data-testid="mapping-form"' not in page and "재수" not in page
    with pytest.raises(ValidationError, match="upload it again"):
        services.start(
            user=personas["registrar-onsong"], job=job, mapping=job.mapping, dry_run=True
        )


def _aged(job: ImportJob, days: int) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - dt.timedelta(days=days))
    return job


def test_an_old_dry_run_is_erased_and_a_recent_one_kept(personas, settings) -> None:
    settings.IMPORT_ROWS_RETENTION_DAYS = 7
    old = _aged(run(personas, upload(personas, CSV, source="Old"), dry_run=True), days=8)
    never_run = _aged(upload(personas, CSV, source="Never run"), days=30)
    recent = _aged(run(personas, upload(personas, CSV, source="Recent"), dry_run=True), days=6)

    call_command("clear_import_rows", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for job in (old, never_run):
        kept = held_values(job)
        assert job.rows == [] and job.rows_erased_at is not None
        assert not any(value in kept for value in (*NAMES, *VALUES))
    assert "재수" in held_values(recent) and recent.rows_erased_at is None
    # the old dry run's report still reads, and says its file must be uploaded again
    page = personas.client_for("registrar-onsong").get(f"/imports/{old.pk}/").content.decode()
    assert "2 persons would be imported." in page and "were erased on" in page


def test_a_new_upload_erases_the_files_past_their_retention(personas, settings) -> None:
    settings.IMPORT_ROWS_RETENTION_DAYS = 3
    old = _aged(upload(personas, CSV, source="Old"), days=4)
    upload(personas, CSV, source="New")
    old.refresh_from_db()
    assert old.rows == [] and old.rows_erased_at is not None
    assert ImportJob.objects.filter(rows_erased_at__isnull=True).count() == 1


def test_looking_for_files_past_their_retention_is_one_query(
    personas, django_assert_num_queries
) -> None:
    from imports.erasure import erase_stale_rows

    upload(personas, CSV)  # recent: nothing to erase
    with django_assert_num_queries(1):
        assert erase_stale_rows() == 0
