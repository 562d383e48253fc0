"""From an empty database and a superuser to a registered household, through the pages only:
the superuser sets up a second factor (typing the manual key into an authenticator, here
pyotp), a province, a station with beds and a registrar; the registrar signs in and registers
a household."""

import pyotp
import pytest

from people.models import Household, Person
from stations.models import StaffProfile, Station

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_superuser_sets_up_a_station_whose_registrar_registers_a_household(
    live_server, page
) -> None:
    from django.contrib.auth import get_user_model

    assert not Station.objects.exists() and not Person.objects.exists()
    get_user_model().objects.create_superuser("root", "", "root-pass-4821")
    url = live_server.url

    page.goto(f"{url}/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "root-pass-4821")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/setup/**")
    page.click("text=Cannot scan? Type this key instead")
    manual_key = page.inner_text("[data-testid=otp-secret]")
    assert all(len(group) == 4 for group in manual_key.split()[:-1])
    page.fill("#id_code", pyotp.TOTP(manual_key.replace(" ", "")).now())
    page.click("button:has-text('Confirm')")
    page.wait_for_url("**/accounts/second-factor/recovery-codes/**")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    page.click("text=I have written them down")
    page.wait_for_url(f"{url}/")

    page.click("nav >> text=Set-up")
    page.wait_for_url(f"{url}/setup/")
    assert page.locator("a[href='/setup/tokens/']").count() >= 1
    page.click("text=Set up the first province")
    page.fill("#id_name", "Chagang")
    page.fill("#id_office_prefix", "CG")
    page.click("[data-testid=province-form] button")
    page.click("text=Add a station to this province")
    page.fill("#id_code", "manpo")
    page.fill("#id_name_en", "Manpo")
    page.fill("#id_name_ko", "만포")
    page.fill("#id_county", "Manpo")
    page.click("[data-testid=station-form] button")
    page.wait_for_url(f"{url}/setup/stations/manpo/")
    page.fill("#id_place-name", "Manpo School")
    page.select_option("#id_place-kind", "school")
    page.fill("#id_place-capacity", "120")
    page.click("[data-testid=place-form] button")
    assert "Manpo School has 120 beds." in page.content()

    page.click("text=New staff account")
    page.fill("#id_username", "kim")
    page.fill("#id_full_name", "Kim Yong-su")
    page.select_option("#id_role", "registrar")
    page.select_option("#id_station", label="Manpo")
    page.fill("#id_password", "kim-pass-4821")
    page.click("[data-testid=staff-form] button")
    page.wait_for_url(f"{url}/setup/")
    assert StaffProfile.objects.get(user__username="kim").station.code == "manpo"
    page.click("button:has-text('Log out')")

    page.goto(f"{url}/login/")
    page.fill("#id_username", "kim")
    page.fill("#id_password", "kim-pass-4821")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/stations/manpo/")
    page.click("text=Register a household")
    page.wait_for_url("**/people/register/")
    page.fill("#id_members-0-family_name_hangul", "안")
    page.fill("#id_members-0-given_name_hangul", "재수")
    page.select_option("#id_members-0-sex", "M")
    page.fill("#id_members-0-birth_date", "1931-05-04")
    page.click("#add-member")
    page.fill("#id_members-1-family_name_hangul", "김")
    page.fill("#id_members-1-given_name_hangul", "영희")
    page.select_option("#id_members-1-sex", "F")
    page.fill("#id_members-1-birth_date", "1934-02-01")
    page.click("button:has-text('Register')")
    page.wait_for_url(f"{url}/stations/manpo/")
    assert "Registered a household of 2." in page.content()
    household = Household.objects.get()
    assert household.station.code == "manpo" and household.members.count() == 2
