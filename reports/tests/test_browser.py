"""An administrator opens the situation report in a real browser and downloads the XLSX."""

import io
from pathlib import Path

import openpyxl
import pytest

from accounts.testing import current_code
from people.states import JourneyState as S
from reports.tests.history import local, person_with_history

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_administrator_reads_the_situation_report_and_downloads_the_xlsx(
    live_server, page
) -> None:
    from people.tests.personas import build_personas

    personas = build_personas()
    for day in ("1961-10-01", "1961-10-02"):
        person_with_history(personas.onsong, [(S.ARRIVED, local(day), "")])
    person_with_history(personas.musan, [(S.ARRIVED, local("1961-11-20"), "")])

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/**")  # administrators type a TOTP code
    page.fill("#id_code", current_code(personas["admin"]))
    page.click("button:has-text('Continue')")
    page.wait_for_load_state()
    page.click("nav >> text=Reports")
    page.fill("#r-date", "1961-11-08")
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_selector("[data-testid=narrative]")
    assert page.inner_text("[data-testid=arrivals]") == "2"
    assert "2 people had crossed into" in page.inner_text("[data-testid=narrative]")

    with page.expect_download() as info:
        page.click("[data-testid=downloads] >> [data-format=xlsx]")
    download = info.value
    assert download.suggested_filename == "situation-North-Hamgyong-1961-11-08.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = list(workbook.active.values)
    assert rows[0][5] == "Arrivals to date"
    assert [row[5] for row in rows[1:]] == [0, 2, 2]
