"""A medical officer walks a person from admission to clearance in a real browser."""

import datetime as dt

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_medical_officer_takes_a_person_from_admission_to_clearance(live_server, page) -> None:
    from health.models import Clearance
    from health.tests.helpers import checked_person
    from people.models import Person
    from people.tests.personas import build_personas
    from waystation import clock

    personas = build_personas()
    person = checked_person(personas.onsong, days_ago=20, given_name_latin="Chol-su")
    started = (clock.today() - dt.timedelta(days=15)).isoformat()

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "medical-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.click("header nav >> text=Quarantine")
    page.wait_for_url(f"{live_server.url}/health/stations/onsong/quarantine/")
    assert page.inner_text("[data-testid=in-quarantine]") == "0"
    page.click("text=안재수")

    page.fill("#id_started_on", started)
    page.click("[data-testid=admit]")
    assert "Admitted to quarantine." in page.content()
    assert "Day 16 of 15" in page.inner_text("[data-testid=current-stay]")
    page.click("[data-testid=wash]")
    page.click("[data-testid=disinfect]")
    for label in ("Smallpox (vaccinia)", "Typhoid", "Cholera"):
        form = page.locator("[data-testid=vaccinate-form]")
        form.locator("select[name=vaccine]").select_option(label=label)
        form.locator("input[name=lot_number]").fill(f"NH-61-{label[:3].upper()}")
        form.locator("input[name=given_on]").fill(started)
        form.locator("button[type=submit]").click()
        assert "Vaccination recorded." in page.content()
    form = page.locator("[data-testid=examine-form]")
    form.locator("select[name=fitness]").select_option("heavy")
    form.locator("textarea[name=findings]").fill("Chest clear, no lice")
    form.locator("button[type=submit]").click()
    assert "checklist complete" in page.inner_text("[data-testid=missing]")

    page.click("[data-testid=clear]")
    assert "Medical clearance recorded." in page.content()
    assert page.inner_text("[data-testid=state]") == "Medically cleared"
    person = Person.objects.get(pk=person.pk)
    assert person.state == "medically_cleared" and Clearance.objects.filter(person=person).exists()
