"""Errors that help: a refusal names who may, a missing page says so, and a failure says what
to do, each with a way back, in the reader's language; and the site has an icon."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, phrase",
    [
        ("en", "Only a medical officer may open this page."),
        ("ko", "의무관만 이 페이지를 열 수 있습니다."),
        ("zh-hans", "只有医务官可以打开此页面。"),
    ],
)
def test_a_refusal_says_who_may_and_offers_a_way_back(personas, language, phrase) -> None:
    client = personas.client_for("registrar-onsong")
    client.cookies["django_language"] = language
    response = client.get("/health/quarantine/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-403"' in page and phrase in page
    assert 'href="/"' in page


def test_a_record_out_of_scope_is_a_styled_not_found(personas) -> None:
    person = PersonFactory(station=personas.musan)
    response = personas.client_for("registrar-onsong").get(f"/people/{person.pk}/")
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_a_failure_is_explained_without_developer_text(language) -> None:
    with translation.override(language):
        response = server_error(RequestFactory().get("/people/"))
    page = response.content.decode()
    assert response.status_code == 500 and 'data-testid="error-500"' in page
    assert "Traceback" not in page and 'href="/"' in page


def test_the_site_has_an_icon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")


@pytest.mark.parametrize("language", ["en", "ko", "zh-hans"])
def test_prefilled_dates_are_ones_the_browser_date_picker_accepts(personas, language) -> None:
    """A Chinese page wrote 1961/11/08 into <input type=date>, which browsers discard, so the
    vaccination form could not be sent."""
    import datetime as dt

    from health.forms import VaccinationForm

    with translation.override(language):
        html = str(VaccinationForm(initial={"given_on": dt.date(1961, 11, 8)})["given_on"])
    assert 'type="date"' in html and 'value="1961-11-08"' in html
