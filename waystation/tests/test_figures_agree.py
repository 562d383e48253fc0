"""Every figure that two pages show agrees (issue 16, item 7). On the demo data set, as on
8 November 1961, the pages a station's staff and the province's administrators open are
rendered, and each figure that appears on more than one of them is read from each and
compared: beds, people present and in quarantine, requests waiting, repeat crossers,
retention and travel passes a day."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.testing import give_device, pass_second_factor
from waystation import clock
from waystation.testing import run_queued_tasks

DAY = "1961-11-08"
PROVINCE = "province:North Hamgyong"
pytestmark = pytest.mark.usefixtures("cable_data")


@pytest.fixture(autouse=True)
def on_the_cable_day(settings) -> None:  # noqa: ANN001
    settings.WAYSTATION_TODAY = DAY


def client_for(name: str) -> Client:
    user = get_user_model().objects.get(username=name)
    if not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        give_device(user)  # administrators sign in with a second factor
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    return client


def page(name: str, url: str) -> str:
    response = client_for(name).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def number(text: str) -> int:
    return int(text.replace(",", ""))


def one(pattern: str, html: str) -> tuple[int, ...]:
    found = re.findall(pattern, html)
    assert len(found) == 1, (pattern, found)
    values = found[0] if isinstance(found[0], tuple) else (found[0],)
    return tuple(number(v) for v in values)


def test_the_demo_day_is_the_cable_day(db) -> None:  # noqa: ANN001
    assert clock.today().isoformat() == DAY


def test_onsong_beds_are_one_figure_on_every_page(db) -> None:  # noqa: ANN001
    dashboard = page("medical-onsong", "/stations/onsong/")
    board = page("medical-onsong", "/health/stations/onsong/quarantine/")
    overview = page("admin", "/")
    supplies = page("supplies-onsong", "/supplies/stations/onsong/")
    taken, capacity, free = one(r"([\d,]+) of ([\d,]+) beds taken, ([\d,]+) free", dashboard)
    assert capacity > 0 and taken + free == capacity or free == 0
    assert one(r"([\d,]+) beds free", dashboard) == (free,)  # the quarantine card
    assert one(r'data-testid="beds-free">([\d,]+)<', board) == (free,)
    assert one(r"of ([\d,]+) beds", board) == (capacity,)
    onsong_row = overview[overview.index("/stations/onsong/") :]
    assert re.search(r"([\d,]+) of ([\d,]+) beds used, ([\d,]+) free", onsong_row).groups() == (
        f"{taken:,}",
        f"{capacity:,}",
        f"{free:,}",
    )
    places = re.findall(
        r"<tr><td>[^<]+</td><td>[^<]+</td><td>(\d+)</td><td>(\d+)</td></tr>", supplies
    )
    assert places and sum(int(c) for c, _o in places) == capacity
    assert sum(int(o) for _c, o in places) == taken


def test_people_present_and_in_quarantine_agree_with_the_situation_report(db) -> None:  # noqa: ANN001
    dashboard = page("medical-onsong", "/stations/onsong/")
    board = page("medical-onsong", "/health/stations/onsong/quarantine/")
    report = page("admin", f"/reports/?scope=station:onsong&date={DAY}")
    (present,) = one(r'data-testid="present-count">([\d,]+)<', dashboard)
    row = re.search(r'<tr data-station="onsong">(.*?)</tr>', report, re.S).group(1)
    cells = [number(c) for c in re.findall(r"<td>([\d,]+)</td>", row)]
    arrivals, present_in_report = cells[0], cells[1]
    assert present_in_report == present and arrivals >= present
    (in_quarantine,) = one(r'data-testid="in-quarantine">([\d,]+)<', board)
    assert one(r'data-state="in_quarantine">([\d,]+)<', dashboard) == (in_quarantine,)
    assert one(r"([\d,]+) in quarantine, ", dashboard) == (in_quarantine,)


def test_requests_waiting_under_a_filter_and_on_the_office_page(db) -> None:  # noqa: ANN001
    home = page("documents", "/documents/")
    (waiting,) = one(r'<a href="/documents/queue/">([\d,]+)</a>', home)
    for query in ("", "?type=RD", "?type=TP"):
        queue = page("documents", f"/documents/queue/{query}")
        assert one(r'data-testid="waiting">([\d,]+)<', queue) == (waiting,), query


def test_repeat_crossers_are_one_definition(db) -> None:  # noqa: ANN001
    report = page("admin", f"/reports/?scope={PROVINCE}&date={DAY}")
    repeat = page("admin", "/identity/repeat-crossers/")
    # the list shows a page at a time under its total
    (listed,) = one(r'data-testid="repeat-total">([\d,]+) people', repeat)
    body = repeat[repeat.index('data-testid="repeat-crossers"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    assert body.count("<tr>") == min(listed, 50)
    (counted,) = one(r'data-testid="repeat-crossers">([\d,]+)<', report)
    assert counted == listed > 0


def test_retention_is_one_definition_on_the_dashboard(db) -> None:  # noqa: ANN001
    client = client_for("admin")
    client.get(f"/reports/dashboard/?scope={PROVINCE}&date={DAY}")
    run_queued_tasks()  # the retention figures, counted by the worker
    response = client.get(f"/reports/dashboard/?scope={PROVINCE}&date={DAY}")
    context = response.context
    last = context["retention_days"]
    groups = context["retention_groups"]
    for name, cohort, kept, share in context["retention"]:
        rows = [row for row in groups if row.station == name]
        assert cohort == sum(row.cohorts[last] for row in rows)
        assert kept == sum(row.kept[last] for row in rows)
        assert share == (round(100 * kept / cohort, 1) if cohort else None)
    cohort, kept, share = context["retention_total"]
    assert cohort == sum(row.cohorts[last] for row in groups) > 0
    assert f'data-testid="retention-total">{share}<' in response.content.decode()


def test_travel_passes_a_day_on_the_report_and_the_daily_page(db) -> None:  # noqa: ANN001
    report = page("admin", f"/reports/?scope={PROVINCE}&date={DAY}")
    daily = client_for("admin").get(f"/documents/daily/?type=TP&days=30&until={DAY}")
    (average,) = re.findall(r"([\d.]+) a day on average over the last 30 days", report)
    assert float(average) == daily.context["average"]
    (on_day,) = one(r'data-testid="travel-documents-on-day">([\d,]+) on the day itself', report)
    assert on_day == daily.context["counts"][-1].count
    assert "11,000 handed out" in report
