"""A register's column of crossing times: guessed from its heading, read as a day or a day and
time, refused in words when it cannot be, and recorded as the persons' inward crossing as the
registration form records it."""

import datetime as dt

import pytest
from django.utils import timezone

from imports.fields import guess_mapping
from imports.models import SourceKey
from imports.tests.test_register_import import run, upload
from people.models import Crossing, Person
from waystation import clock

pytestmark = pytest.mark.django_db

CSV = (
    "번호,세대,관계,성,이름,성별,생년월일,월경일시\n"
    "R-1,H1,세대주,안,재수,남,1931-05-04,1961-11-07 14:30\n"
    "R-2,H1,처,김,영희,F,1934-02,\n"
    "R-3,,head,박,철,M,1931-01-03,1961-10-02\n"
    "R-4,,head,리,순자,F,1950,\n"
    "R-5,H5,head,최,동일,M,1940-01-01,1961-11-01 08:00\n"
    "R-6,H5,자녀,최,영,F,1960-01-01,1961-11-02 08:00\n"
    "R-7,,head,정,미,F,1941-01-01,어제\n"
    "R-8,,head,한,수,F,1941-01-01,2999-01-01\n"
)


def crossing_of(key: str) -> dt.datetime:
    person = Person.objects.get(pk=SourceKey.objects.get(key=key).person_id)
    (crossing,) = Crossing.objects.filter(person=person, direction=Crossing.Direction.IN)
    return timezone.localtime(crossing.crossed_at)


@pytest.mark.parametrize(
    "heading", ["월경일시", "Crossed the border at", "Crossing date", "越境日期"]
)
def test_the_crossing_column_is_guessed_from_its_heading(heading: str) -> None:
    assert guess_mapping("register", ["key", "surname", heading]) == {
        "source_key": 0,
        "family_name_latin": 1,
        "crossed_at": 2,
    }


def test_a_dry_run_refuses_crossing_times_it_cannot_record(personas) -> None:
    job = run(personas, upload(personas, CSV), dry_run=True)
    refusals = {(r["row"], r["column"]): r["reason"] for r in job.refusals}
    assert refusals[(8, "월경일시")] == (
        "“어제” is not a crossing time: write it as 1961-11-08 14:30, or as 1961-11-08."
    )
    assert refusals[(9, "월경일시")] == "The crossing time is in the future."
    # a household crosses together: two times for one household are both refused
    for row in (6, 7):
        assert refusals[(row, "월경일시")].startswith(
            "The rows of household H5 give different crossing times (rows 6, 7)"
        )
    assert job.counts == {"already_imported": 0, "refused": 4, "to_import": 4}


def test_the_import_records_each_household_s_crossing_time(personas) -> None:
    job = run(personas, upload(personas, CSV), dry_run=False)
    assert job.counts["imported"] == 4
    crossed = timezone.make_aware(dt.datetime(1961, 11, 7, 14, 30))
    assert crossing_of("R-1") == crossed
    # a member who leaves the cell empty crossed with the household
    assert crossing_of("R-2") == crossed
    # a day alone is its first minute, in the deployment's time zone
    assert crossing_of("R-3") == timezone.make_aware(dt.datetime(1961, 10, 2))
    # no time at all: the import's time, as an empty field on the registration form
    assert abs(crossing_of("R-4") - clock.now()) < dt.timedelta(minutes=5)
