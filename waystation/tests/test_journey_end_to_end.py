"""The whole journey on the demo's day, as the staff take it, without anyone typing a date:
registration on the form, admission, the checklist, clearance, hand-over, a placement run and
a travel pass. Every record is stamped with the one clock's day."""

import datetime as dt

import pytest

from documents import services as documents
from documents.offices import set_up_province_offices
from health.models import Vaccine
from labour.services.decisions import approve_run
from labour.services.runs import run_placement
from labour.tests.factories import SiteFactory, VacancyFactory
from people.models import Crossing, Person
from people.states import JourneyState as S
from people.tests.factories import registration_form
from people.tests.personas import PROVINCE
from waystation import clock

pytestmark = pytest.mark.django_db
DEMO_DAY = dt.date(1961, 11, 8)


def post_ok(client, url: str, data: dict | None = None) -> None:
    response = client.post(url, data or {}, follow=True)
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert not errors, (url, errors)


def test_a_household_goes_from_the_form_to_a_travel_pass_on_the_demo_clock(
    personas, settings
) -> None:
    settings.WAYSTATION_TODAY = DEMO_DAY.isoformat()
    site = SiteFactory(name="Musan Mining Complex", county="Musan County", housing_places=10)
    VacancyFactory(site=site, occupation="miner", slots=4)
    offices = set_up_province_offices(
        province=PROVINCE,
        prefix="NH",
        stations=[personas.onsong, personas.musan],
        activated_on=dt.date(1960, 1, 1),
        province_names=("함경북도", "咸镜北道"),
    )

    registrar = personas.client_for("registrar-onsong")
    form = registration_form(
        [
            {
                "family_name_hangul": "박",
                "given_name_hangul": "순철",
                "sex": "M",
                "birth_date": "1930-03-02",
            }
        ],
        personas.onsong.pk,
    )
    assert registrar.post("/people/register/", form).status_code == 302
    person = Person.objects.get(given_name_hangul="순철")
    assert person.state == S.IDENTITY_CHECKED  # nobody on file resembles him
    assert clock.local_date(person.created_at) == DEMO_DAY

    medical = personas.client_for("medical-onsong")
    post_ok(medical, f"/health/people/{person.pk}/admit/")
    person.refresh_from_db()
    assert person.state == S.IN_QUARANTINE
    stay = person.quarantine_stays.get()
    assert stay.started_on == DEMO_DAY
    post_ok(medical, f"/health/people/{person.pk}/wash/")
    post_ok(medical, f"/health/people/{person.pk}/disinfect/")
    for vaccine in Vaccine.objects.filter(doses_required__gt=0):
        for dose in range(1, vaccine.doses_required + 1):
            post_ok(
                medical,
                f"/health/people/{person.pk}/vaccinate/",
                {"vaccine": vaccine.pk, "dose": dose, "lot_number": "L-61"},
            )
    post_ok(medical, f"/health/people/{person.pk}/examine/", {"fitness": "heavy"})

    # fifteen days later, on the same clock
    settings.WAYSTATION_TODAY = (stay.planned_end).isoformat()
    post_ok(medical, f"/health/people/{person.pk}/clear/")
    person.refresh_from_db()
    assert person.state == S.MEDICALLY_CLEARED

    post_ok(personas.client_for("labour"), f"/labour/people/{person.pk}/hand-over/")
    person.refresh_from_db()
    assert person.state == S.AWAITING_PLACEMENT
    run = run_placement(user=personas["labour"], province=PROVINCE, station=personas.onsong)
    approve_run(user=personas["labour"], run=run)
    person.refresh_from_db()
    assert person.state == S.PLACED

    request = documents.request_document(
        user=personas["labour"],
        person=person,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="",
    )
    document = documents.issue_request(user=personas["documents"], request=request)
    assert document.issued_on == stay.planned_end and document.valid_from == stay.planned_end
    assert document.valid_until.year == 1961
    assert {clock.local_date(c.crossed_at) for c in Crossing.objects.filter(person=person)} == {
        DEMO_DAY
    }
