"""In Chromium: the content security policy blocks nothing the pages need, and an
administrator's first sign-in goes through setting up the second factor."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_work_under_the_policy_and_an_administrator_sets_up_a_code(live_server, page) -> None:
    from people.tests.personas import build_personas

    build_personas()
    TOTPDevice.objects.all().delete()  # this administrator has never set one up
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "registrar-onsong")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/stations/onsong/")
    page.click("text=Register a household")
    # the form's script is deferred: it runs before the load event, and a click before it
    # adds no member
    page.wait_for_url("**/people/register/")
    page.click("#add-member")  # register.js, a static script, still runs
    assert page.locator("#id_members-1-given_name_hangul").count() == 1
    page.select_option("select[name=language]", "ko")  # the menu submits itself (site.js)
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement.lang === 'ko'")
    page.select_option("select[name=language]", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.click("button:has-text('Log out')")

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/setup/**")
    assert page.locator("[data-testid=otp-qr] svg").count() == 1
    device = TOTPDevice.objects.get(user__username="admin")
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.fill("#id_code", f"{code:06d}")
    page.click("button:has-text('Confirm')")
    page.wait_for_url("**/accounts/second-factor/recovery-codes/**")
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    assert "Your second factor is set up." in page.content()
    page.click("text=I have written them down")
    page.wait_for_url(f"{live_server.url}/")
    assert not refused, refused
