"""Report pages and downloads: who may open them, and what the files contain."""

import csv
import datetime as dt
import io
import json
import re
import zlib

import openpyxl
import pytest
from django.urls import reverse

from people.audit import AuditEntry
from people.states import JourneyState as S
from people.tests.personas import assert_access
from reports.tests.history import local, person_with_history
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db

DAY = "1961-11-08"
ONSONG_READERS = {
    "registrar-onsong", "medical-onsong", "supplies-onsong", "labour", "documents", "admin",
    "auditor",
}  # fmt: skip
PROVINCE_READERS = {"labour", "documents", "admin", "auditor"}


@pytest.fixture
def people(personas):
    at_work = [
        (S.ARRIVED, local("1961-10-01"), ""),
        (S.REGISTERED, local("1961-10-01", 14), ""),
        (S.IDENTITY_CHECKED, local("1961-10-02"), ""),
        (S.IN_QUARANTINE, local("1961-10-02", 15), ""),
        (S.MEDICALLY_CLEARED, local("1961-10-17"), ""),
        (S.AWAITING_PLACEMENT, local("1961-10-17", 14), ""),
        (S.PLACED, local("1961-10-20"), ""),
        (S.AT_WORK, local("1961-10-22"), ""),
    ]
    person_with_history(
        personas.onsong,
        [*at_work, (S.LEFT_JOB, local("1961-11-01"), "unable to do the work")],
        family_name_latin="=HYPERLINK(1)",
    )
    person_with_history(personas.onsong, at_work, education_level="university", education_years=4)
    person_with_history(personas.musan, at_work[:3])
    return personas


def url(name: str, **params: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode(params)}"


def download(name: str, fmt: str, **params: str) -> str:
    return f"{reverse(name, args=[fmt])}?{'&'.join(f'{k}={v}' for k, v in params.items())}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_station_report_is_for_the_station_and_the_wider_roles(people) -> None:
    assert_access(
        people, url("reports:situation", scope="station:onsong", date=DAY), ONSONG_READERS
    )


def test_province_report_is_for_province_and_global_roles(people) -> None:
    assert_access(
        people,
        url("reports:situation", scope="province:North Hamgyong", date=DAY),
        PROVINCE_READERS,
    )


def test_dashboard_access_follows_the_same_scopes(people) -> None:
    assert_access(
        people, url("reports:dashboard", scope="station:onsong", date=DAY), ONSONG_READERS
    )


def test_downloads_follow_the_same_scopes(people) -> None:
    for fmt in ("json", "csv"):
        assert_access(
            people,
            download("reports:situation-download", fmt, scope="province:North Hamgyong", date=DAY),
            PROVINCE_READERS,
        )


def test_station_staff_see_their_own_station_by_default(people) -> None:
    response = people.client_for("registrar-musan").get(reverse("reports:situation"))
    assert response.status_code == 200
    assert response.context["scope"].key == "station:musan"
    assert response.context["totals"]["arrivals"] == 1


def test_the_page_shows_the_figures_and_narrative(people) -> None:
    client = people.client_for("admin")
    response = client.get(url("reports:situation", scope="province:North Hamgyong", date=DAY))
    html = response.content.decode()
    assert response.context["totals"] == {
        "arrivals": 3, "present": 1, "placed": 2, "higher_education": 1, "left_job": 1,
        "returned": 0, "repeat_crossers": 0,
    }  # fmt: skip
    assert 'data-testid="arrivals">3<' in html
    assert "3 people had crossed into North Hamgyong Province" in html
    assert "Reports" in html  # the navigation link


def test_bad_dates_and_unknown_areas_are_refused_clearly(people) -> None:
    client = people.client_for("admin")
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    response = client.get(url("reports:situation", date=future))
    assert response.status_code == 400 and "future" in response.content.decode()
    assert client.get(url("reports:situation", date="8/11/1961")).status_code == 400
    assert client.get(url("reports:situation", scope="station:nowhere")).status_code == 404
    assert client.get(download("reports:situation-download", "docx")).status_code == 404


def test_json_has_the_figures_and_the_narrative_in_three_languages(people) -> None:
    client = people.client_for("labour")
    response = client.get(download("reports:situation-download", "json", date=DAY))
    data = json.loads(response.content)
    assert data["as_of"] == DAY and data["scope"] == {"kind": "province", "value": "North Hamgyong"}
    assert data["totals"]["left_job"] == 1
    assert data["left_job"]["reasons"] == [{"reason": "unable to do the work", "count": 1}]
    assert data["states"][S.AT_WORK] == 1 and data["states"][S.IDENTITY_CHECKED] == 1
    assert set(data["narrative"]) == {"en", "ko", "zh-hans"}
    assert data["narrative"]["en"] != data["narrative"]["ko"] != data["narrative"]["zh-hans"]
    assert [s["code"] for s in data["stations"]] == ["musan", "onsong"]


def test_csv_and_hxl_carry_a_row_per_station_and_a_total(people) -> None:
    client = people.client_for("auditor")
    params = {"scope": "province:North Hamgyong", "date": DAY}
    response = client.get(download("reports:situation-download", "hxl", **params))
    assert response.streaming and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[1][:4] == ["#date+reported", "#adm1+name", "#adm2+name", "#loc+name"]
    assert "#affected+arrived" in rows[1] and "#affected+left_job" in rows[1]
    arrived = rows[1].index("#affected+arrived")
    assert [row[arrived] for row in rows[2:]] == ["1", "2", "3"]
    assert rows[-1][0] == DAY and rows[-1][1] == "North Hamgyong"
    plain = client.get(download("reports:situation-download", "csv", **params))
    plain_rows = list(csv.reader(io.StringIO(body(plain).decode("utf-8-sig"))))
    assert not plain_rows[1][0].startswith("#") and len(plain_rows) == 4


def test_xlsx_opens_with_the_same_figures(people) -> None:
    client = people.client_for("admin")
    response = client.get(download("reports:situation-download", "xlsx", date=DAY))
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    values = list(sheet.values)
    assert values[0][5] == "Arrivals to date"
    assert [row[5] for row in values[1:]] == [1, 2, 3]


def test_pdf_embeds_the_cjk_font_for_a_korean_reader(people) -> None:
    client = people.client_for("admin")
    client.cookies["django_language"] = "ko"
    response = client.get(
        download("reports:situation-download", "pdf", date=DAY), HTTP_ACCEPT_LANGUAGE="ko"
    )
    pdf = response.content
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    fonts = set()
    # pydyf writes b"stream\n" + data + b"\nendstream"; an optional "\r" before the end
    # would cut a compressed stream whose last byte is 0x0d (one in 256) and lose its fonts.
    for stream in re.finditer(rb"\nstream\n(.*?)\nendstream", pdf, re.S):
        try:
            fonts.update(re.findall(rb"/FontName\s*/\w+\+([\w-]+)", zlib.decompress(stream[1])))
        except zlib.error:
            continue
    assert fonts and all(font.startswith(b"Waystation-CJK") for font in fonts)


def test_dashboard_draws_svg_charts_without_network(people) -> None:
    client = people.client_for("admin")
    client.get(url("reports:dashboard", date=DAY))
    run_queued_tasks()  # the retention figures, counted by the worker
    response = client.get(url("reports:dashboard", date=DAY))
    html = response.content.decode()
    assert html.count("<svg") == 6  # preference breakdown: nobody here has a placement record
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    # One definition of "still working" (reports.retention): nobody here started work 180
    # days before the date, so there is no share yet, rather than one of another measure.
    retention = {name: share for name, _p, _w, share in response.context["retention"]}
    assert retention == {"Musan": None, "Onsong": None}
    weekly = dict(response.context["weekly"].series)
    assert sum(weekly["Onsong"]) == 2 and sum(weekly["Musan"]) == 1


EXPORT = "reports:person-export"


def test_person_export_is_for_administrators_and_labour_officers_in_scope(people) -> None:
    assert_access(
        people,
        url(EXPORT, scope="province:North Hamgyong", format="csv"),
        {"admin", "labour"},
    )
    assert_access(people, url(EXPORT, scope="station:hyesan"), {"admin", "labour-ryanggang"})


def test_person_export_is_audited_limited_and_streamed(people) -> None:
    client = people.client_for("labour")
    before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
    response = client.get(
        f"{reverse(EXPORT)}?scope=station:onsong&format=csv&fields=family_name_latin&fields=state"
    )
    assert response.streaming
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0] == ["Family name (Latin)", "Journey state"]
    assert sorted(rows[1:]) == [["'=HYPERLINK(1)", "left_job"], ["An", "at_work"]]
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.user == people["labour"] and entry.station == people.onsong
    assert entry.detail["fields"] == ["family_name_latin", "state"]
    assert entry.detail["rows"] == 2 and entry.detail["anonymised"] is False


def test_anonymised_export_has_no_names_or_birth_dates(people) -> None:
    client = people.client_for("admin")
    response = client.get(
        f"{reverse(EXPORT)}?scope=province:North Hamgyong&format=xlsx&anonymise=on"
        "&fields=id&fields=given_name_latin&fields=birth_date&fields=station_code"
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(body(response))).active.values)
    assert len(rows) == 4
    for person_id, name, born, station in rows[1:]:
        assert person_id.startswith("P-") and name.startswith("P-") and name != person_id
        assert born == "1930-1934" and station in {"onsong", "musan"}
    assert AuditEntry.objects.filter(action="export").first().detail["anonymised"] is True


def test_unknown_fields_change_nothing_and_say_why(people) -> None:
    client = people.client_for("admin")
    response = client.get(f"{reverse(EXPORT)}?format=csv&fields=password")
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_a_list_too_long_for_a_spreadsheet_is_refused_before_anything_is_sent(
    people, monkeypatch
) -> None:
    monkeypatch.setattr("reports.views.EXCEL_MAX_ROWS", 1)
    response = people.client_for("admin").get(f"{reverse(EXPORT)}?format=xlsx")
    assert response.status_code == 400 and "choose CSV" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
