"""In Chromium: a registrar uploads a register, checks the guessed columns, runs a dry run
(the page shows its progress and then every refusal), then imports it."""

import pytest

from people.models import Person

pytestmark = pytest.mark.browser

CSV = (
    "번호,세대,관계,성,이름,성별,생년월일\n"
    "R-1,H1,세대주,안,재수,남,1931-05-04\n"
    "R-2,H1,처,김,영희,F,1934-02\n"
    "R-3,,,박,철,?,1931-13-40\n"
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_registrar_imports_a_register_through_the_pages(live_server, page, tmp_path) -> None:
    from people.tests.personas import build_personas
    from waystation.testing import run_queued_tasks

    build_personas()
    register = tmp_path / "onsong.csv"
    register.write_text(CSV, encoding="utf-8")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")

    page.click("nav >> text=Imports")
    page.select_option("#id_kind", "register")
    page.select_option("#id_station", label="Onsong")
    page.fill("#id_source", "Onsong county register 1961")
    page.set_input_files("#id_file", str(register))
    page.click("[data-testid=upload-form] button")
    page.wait_for_url("**/imports/*/")
    assert page.input_value("#map-birth_date") == "6"  # guessed from 생년월일
    page.click("button[name=dry_run]")
    page.wait_for_selector("[data-testid=import-progress][data-status=queued]")
    assert page.locator("[role=progressbar]").count() == 1
    run_queued_tasks()
    # the bar polls every two seconds and disappears when the run is done
    page.wait_for_selector("[data-testid=import-progress][data-status=done]", timeout=10_000)
    page.reload()
    refusals = page.inner_text("[data-testid=refusals]")
    assert "“?” is not a sex this import knows" in refusals and "생년월일" in refusals
    assert "2 persons would be imported." in page.inner_text("[data-testid=import-counts]")
    assert not Person.objects.exists()

    page.click("button[name=import]")
    run_queued_tasks()
    page.reload()
    assert "2 persons imported." in page.inner_text("[data-testid=import-counts]")
    assert Person.objects.count() == 2
    # the file's values are gone from the import; its report stays, without them
    assert "were erased on" in page.inner_text("[data-testid=rows-erased]")
    assert "“…” is not a sex this import knows" in page.inner_text("[data-testid=refusals]")
    assert page.locator("[data-testid=mapping-form]").count() == 0
