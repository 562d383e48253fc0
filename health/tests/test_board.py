"""The quarantine board: who is in, day N of 15, what is missing, who leaves soon, beds free;
and the pages a medical officer works through."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from health import services
from health.models import Vaccination
from health.queries import board
from health.tests.helpers import admitted, checked_person, complete_checklist, sleeping_place


def test_the_board_shows_day_missing_items_due_and_beds(personas) -> None:
    sleeping_place(personas.onsong, 10)
    early = admitted(personas, days_ago=13)
    complete_checklist(personas, early)
    late = admitted(personas, days_ago=2)
    result = board(personas.onsong, services.clock.today())
    assert (result.in_quarantine, result.due_soon, result.without_bed) == (2, 1, 0)
    assert (result.beds.capacity, result.beds.free) == (10, 8)
    assert {row.place for row in result.rows} == {"School 10"}
    first, second = result.rows
    assert (first.stay.person_id, first.day, first.ready) == (early.pk, 14, True)
    assert (second.stay.person_id, second.day) == (late.pk, 3)
    assert (
        "washing" in second.checklist.missing and "medical examination" in second.checklist.missing
    )


def test_a_board_page_costs_the_same_queries_for_many_people(personas) -> None:
    for _ in range(3):
        admitted(personas, days_ago=4)
    with CaptureQueriesContext(connection) as few:
        board(personas.onsong, services.clock.today())
    for _ in range(12):
        complete_checklist(personas, admitted(personas, days_ago=4))
    with CaptureQueriesContext(connection) as many:
        result = board(personas.onsong, services.clock.today())
    assert len(result.rows) == 15 and len(many) == len(few)


def test_the_board_page_lists_people_waiting_for_admission(personas) -> None:
    waiting = checked_person(personas.onsong, given_name_latin="Waiting")
    admitted(personas, days_ago=4)
    page = personas.client_for("medical-onsong").get("/health/stations/onsong/quarantine/")
    html = page.content.decode()
    assert page.context["waiting_count"] == 1 and f"/health/people/{waiting.pk}/" in html
    assert "5 / 15" in html


def test_a_medical_officer_works_through_the_checklist_in_pages(personas) -> None:
    person = checked_person(personas.onsong, days_ago=20)
    client = personas.client_for("medical-onsong")
    start = (services.clock.today() - dt.timedelta(days=15)).isoformat()
    client.post(f"/health/people/{person.pk}/admit/", {"started_on": start})
    for step in ("wash", "disinfect"):
        client.post(f"/health/people/{person.pk}/{step}/", {})
    from health.models import Vaccine

    for vaccine in Vaccine.objects.filter(doses_required__gt=0):
        client.post(
            f"/health/people/{person.pk}/vaccinate/",
            {"vaccine": vaccine.pk, "dose": 1, "lot_number": "A-1", "given_on": start},
        )
    client.post(f"/health/people/{person.pk}/examine/", {"fitness": "heavy", "findings": "ok"})
    response = client.post(f"/health/people/{person.pk}/clear/", {"notes": ""}, follow=True)
    assert "Medical clearance recorded." in response.content.decode()
    person.refresh_from_db()
    assert person.state == "medically_cleared"


def test_bad_input_in_a_page_gets_a_clear_message_and_changes_nothing(personas) -> None:
    person = admitted(personas, days_ago=3)
    client = personas.client_for("medical-onsong")
    from health.models import Vaccine

    response = client.post(
        f"/health/people/{person.pk}/vaccinate/",
        {
            "vaccine": Vaccine.objects.get(code="cholera").pk,
            "dose": 1,
            "lot_number": "C-9",
            "given_on": "1961-10-01",
        },
        follow=True,
    )
    assert "before the arrival" in response.content.decode()
    response = client.post(f"/health/people/{person.pk}/vaccinate/", {"dose": "x"}, follow=True)
    assert "Dose" in response.content.decode()
    response = client.post(f"/health/people/{person.pk}/clear/", {}, follow=True)
    assert "Still missing" in response.content.decode()
    assert not Vaccination.objects.exists()
    person.refresh_from_db()
    assert person.state == "in_quarantine"


def test_the_pages_speak_korean_and_chinese(personas) -> None:
    person = admitted(personas, days_ago=4)
    client = personas.client_for("medical-onsong")
    for language, board_word, record_word in (
        ("ko", "빈 침상", "건강 기록"),
        ("zh-hans", "空床", "健康档案"),
    ):
        client.cookies["django_language"] = language
        assert board_word in client.get("/health/stations/onsong/quarantine/").content.decode()
        assert record_word in client.get(f"/health/people/{person.pk}/").content.decode()
        assert client.get("/health/outbreaks/").status_code == 200


def test_a_household_number_is_written_without_thousands_separators(personas) -> None:
    from people.tests.factories import HouseholdFactory

    household = HouseholdFactory(pk=12345, station=personas.onsong)
    checked_person(personas.onsong, household=household)
    page = personas.client_for("medical-onsong").get("/health/stations/onsong/quarantine/")
    text = page.content.decode()
    assert "12345" in text and "12,345" not in text


def test_the_board_counts_who_at_its_station_sleeps_without_a_bed(personas) -> None:
    """Admission gives beds while there are any; a released bed leaves its person without."""
    from supplies import beds

    sleeping_place(personas.onsong, 2)
    sleeping_place(personas.musan, 1)
    first, second = admitted(personas, days_ago=3), admitted(personas, days_ago=3)
    admitted(personas, days_ago=2)  # no bed left for the third
    admitted(personas, station=personas.musan, days_ago=2, user="medical-musan")
    admitted(personas, station=personas.musan, days_ago=2, user="medical-musan")
    beds.release(user=personas["supplies-onsong"], person=second, reason="moved")

    onsong = board(personas.onsong, services.clock.today())
    musan = board(personas.musan, services.clock.today())

    assert (onsong.in_quarantine, onsong.without_bed) == (3, 2)
    assert {row.stay.person_id: row.place for row in onsong.rows}[first.pk] == "School 2"
    assert (musan.in_quarantine, musan.without_bed) == (2, 1)
