"""Importing a register: columns mapped, a dry run that names every refusal and imports
nothing, an import through the files check, and importing it again adds nobody twice."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from identity.models import ReviewItem
from imports import services
from imports.models import ImportJob, SourceKey
from imports.reading import read_spreadsheet
from people.models import Household, Person
from people.states import JourneyState as S
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db

CSV = (
    "번호,세대,관계,성,이름,성별,생년월일,출신지\n"
    "R-1,H1,세대주,안,재수,남,1931-05-04,Hoeryong\n"
    "R-2,H1,처,김,영희,F,1934-02,Hoeryong\n"
    "R-3,,,박,철,X?,1931-13-40,\n"
    "R-4,H2,head,리,순자,여,1950,Musan\n"
    "R-1,H3,head,최,동일,M,1940-01-01,\n"
    ",H4,head,정,미,F,1941-01-01,\n"
)


def upload(personas, text: str = CSV, name: str = "register.csv", source: str = "Onsong 1961"):  # noqa: ANN001, ANN201
    return services.upload(
        user=personas["registrar-onsong"],
        kind=ImportJob.Kind.REGISTER,
        source=source,
        file_name=name,
        data=text.encode("utf-8"),
        station=personas.onsong,
    )


def run(personas, job: ImportJob, dry_run: bool) -> ImportJob:  # noqa: ANN001
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.start(
            user=personas["registrar-onsong"], job=job, mapping=job.mapping, dry_run=dry_run
        )
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.error
    return job


def test_columns_are_guessed_from_korean_headings(personas) -> None:
    job = upload(personas)
    assert job.mapping == {
        "source_key": 0,
        "household": 1,
        "relationship": 2,
        "family_name_hangul": 3,
        "given_name_hangul": 4,
        "sex": 5,
        "birth_date": 6,
        "place_of_origin": 7,
    }
    assert job.total == 6


def test_a_dry_run_names_every_refusal_and_imports_nothing(personas) -> None:
    job = run(personas, upload(personas), dry_run=True)
    refusals = {(r["row"], r["column"]): r["reason"] for r in job.refusals}
    assert refusals[(4, "성별")] == "“X?” is not a sex this import knows: write M or F."
    assert refusals[(4, "생년월일")].startswith("“1931-13-40” is not a date")
    assert refusals[(6, "번호")] == "The key R-1 is also on row 2: each person once."
    assert refusals[(7, "번호")].startswith("The row has no key")
    assert job.counts == {"already_imported": 0, "refused": 3, "to_import": 3}
    assert not Person.objects.exists()
    page = personas.client_for("registrar-onsong").get(f"/imports/{job.pk}/").content.decode()
    assert "3 persons would be imported." in page and "each person once" in page


def test_the_import_registers_households_through_the_files_check_once(personas) -> None:
    from api.tests.test_files_check import earlier_record

    earlier = earlier_record(personas)  # 안재수, born 1931-05-04, on file at Musan
    job = run(personas, upload(personas), dry_run=False)
    assert job.counts["imported"] == 3 and job.counts["refused"] == 3
    ahn = Person.objects.get(pk=SourceKey.objects.get(key="R-1").person_id)
    kim = Person.objects.get(pk=SourceKey.objects.get(key="R-2").person_id)
    assert ahn.household == kim.household and ahn.household.head == ahn
    assert kim.birth_date_precision == "month"
    # unresolved candidates hold the person at "registered", with an item in the review queue
    assert ahn.state == S.REGISTERED and job.counts["held_for_files_check"] == 1
    assert ReviewItem.objects.filter(left=ahn, right=earlier, resolved_at__isnull=True).exists()
    assert kim.state != S.REGISTERED

    # the same register again, with the refused row fixed and a new member of household H1
    fixed = CSV.replace("X?,1931-13-40", "M,1931-12-30") + "R-5,H1,자녀,안,철수,M,1958-03-03,\n"
    again = run(personas, upload(personas, fixed), dry_run=False)
    assert again.counts["already_imported"] == 3 and again.counts["imported"] == 2
    assert Person.objects.exclude(pk=earlier.pk).count() == 5
    child = Person.objects.get(pk=SourceKey.objects.get(key="R-5").person_id)
    assert child.household == ahn.household
    assert Household.objects.count() == 3


def test_a_workbook_reads_like_the_csv() -> None:
    book = Workbook()
    sheet = book.active
    import datetime as dt

    sheet.append(["key", "family name", "given name", "sex", "date of birth"])
    sheet.append(["A1", "Ahn", "Jaesu", "M", dt.datetime(1931, 5, 4)])
    sheet.append([None, None, None, None, None])
    sheet.append([7.0, "Kim", "Yonghui", "F", "1934"])
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_spreadsheet("plan.xlsx", buffer.getvalue())
    assert read.rows == [
        (2, ["A1", "Ahn", "Jaesu", "M", "1931-05-04"]),
        (4, ["7", "Kim", "Yonghui", "F", "1934"]),
    ]


def test_a_registrar_imports_only_for_their_station(personas) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.upload(
            user=personas["registrar-onsong"],
            kind=ImportJob.Kind.REGISTER,
            source="Musan",
            file_name="r.csv",
            data=CSV.encode(),
            station=personas.musan,
        )
    job = upload(personas)
    assert personas.client_for("registrar-musan").get(f"/imports/{job.pk}/").status_code == 404


def test_the_page_uploads_maps_and_shows_progress(
    personas, django_capture_on_commit_callbacks
) -> None:
    client = personas.client_for("registrar-onsong")
    response = client.post(
        "/imports/",
        {
            "kind": "register",
            "station": personas.onsong.pk,
            "source": "Onsong 1961",
            "file": SimpleUploadedFile("register.csv", CSV.encode(), "text/csv"),
        },
    )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    form = {f"map-{name}": str(index) for name, index in job.mapping.items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/imports/{job.pk}/start/", {**form, "map-place_of_origin": "", "dry_run": "1"}
        )
    progress = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert 'role="progressbar"' in progress and "every 2s" in progress
    run_queued_tasks()
    job.refresh_from_db()
    assert job.mapping.get("place_of_origin") is None and job.dry_run
    assert 'data-status="done"' in client.get(f"/imports/{job.pk}/progress/").content.decode()


def test_latin_names_under_korean_headings_are_compared_as_latin(personas) -> None:
    import datetime as dt

    from identity.tests.helpers import stored_person

    earlier = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=dt.date(1931, 5, 4),
        station=personas.onsong,
    )
    job = upload(personas, "번호,성,이름,성별,생년월일\nR-1,An,Zaixiu,M,1931-05-04\n")
    run(personas, job, dry_run=False)
    imported = Person.objects.get(family_name_latin="An")
    assert (imported.family_name_hangul, imported.given_name_latin) == ("", "Zaixiu")
    # as Latin letters the name is 安在秀's pinyin; read as Hangul it scored 11.7 bits
    item = ReviewItem.objects.get(left=imported, right=earlier)
    assert item.score > 20
