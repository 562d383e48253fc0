"""Disease cases, the outbreak view (by disease, station, county and week) and the alert
when one disease in one county reaches the policy's threshold."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from health.cases import record_case, set_outcome
from health.models import Disease, DiseaseCase, OutbreakRule
from health.queries import alerts, outbreak
from waystation import clock


def case(personas, icd10="A03", county="Kilju County", days_ago=2, station=None, user=None):
    return record_case(
        user=personas[user or "medical-onsong"],
        disease=Disease.objects.get(icd10=icd10),
        station=station or personas.onsong,
        county=county,
        onset_date=clock.today() - dt.timedelta(days=days_ago),
        isolated=True,
    )


def test_diseases_are_seeded_with_icd10_codes(db) -> None:
    codes = dict(Disease.objects.values_list("icd10", "name_en"))
    assert codes["A00"] == "Cholera" and codes["A75.0"] == "Epidemic louse-borne typhus"
    assert codes["A03"].startswith("Shigellosis") and codes["B05"] == "Measles"


def test_a_case_in_the_future_or_without_county_is_refused(personas) -> None:
    with pytest.raises(ValidationError, match="future"):
        case(personas, days_ago=-3)
    with pytest.raises(ValidationError, match="county"):
        case(personas, county="  ")
    with pytest.raises(PermissionDenied):
        case(personas, user="registrar-onsong")
    assert not DiseaseCase.objects.exists()


def test_outbreak_counts_by_disease_station_county_and_week(personas) -> None:
    for days in (1, 2, 9):
        case(personas, days_ago=days)
    case(personas, icd10="A75.0", county="Onsong County", days_ago=1)
    case(personas, station=personas.musan, user="medical-musan", days_ago=1)
    today = clock.today()
    result = outbreak(DiseaseCase.objects.all(), today - dt.timedelta(days=20), today)
    assert result.total == 5
    shigellosis = str(Disease.objects.get(icd10="A03"))
    assert dict(result.by_disease)[shigellosis] == 4
    assert dict(result.by_county) == {"Kilju County": 4, "Onsong County": 1}
    assert dict(result.by_station) == {"Onsong": 4, "Musan": 1}
    assert sum(result.series[shigellosis]) == 4 and len(result.weeks) >= 3
    assert sum(n for _week, n in result.week_totals) == 5
    assert all(week.weekday() == 0 for week, _n in result.week_totals)


def test_an_alert_is_raised_at_the_policy_threshold(personas) -> None:
    for days in range(4):
        case(personas, days_ago=days)
    case(personas, county="Onsong County")
    case(personas, days_ago=30)  # outside the 14-day window
    assert alerts(DiseaseCase.objects.all(), clock.today()) == []
    case(personas, days_ago=5)
    (alert,) = alerts(DiseaseCase.objects.all(), clock.today())
    assert (alert.county, alert.cases, alert.threshold) == ("Kilju County", 5, 5)


def test_a_disease_specific_rule_overrides_the_default(personas) -> None:
    for _ in range(3):
        case(personas, icd10="A75.0", county="Onsong County")
    (alert,) = alerts(DiseaseCase.objects.all(), clock.today())
    assert alert.threshold == 3
    OutbreakRule.objects.filter(disease__icd10="A75.0").update(threshold=10)
    assert alerts(DiseaseCase.objects.all(), clock.today()) == []


def test_the_dashboard_shows_the_alert_to_everyone_at_the_station(personas) -> None:
    for _ in range(3):
        case(personas, icd10="A75.0", county="Onsong County")
    for name in ("registrar-onsong", "medical-onsong", "admin"):
        page = personas.client_for(name).get("/stations/onsong/").content.decode()
        assert 'data-testid="outbreak-alert"' in page and "Onsong County" in page, name
    hyesan = personas.client_for("admin").get("/stations/hyesan/").content.decode()
    assert 'data-testid="outbreak-alert"' not in hyesan


def test_the_outbreak_page_draws_a_chart_and_lists_cases(personas) -> None:
    case(personas)
    page = personas.client_for("medical-onsong").get("/health/outbreaks/").content.decode()
    assert 'data-testid="outbreak-chart"' in page and "Kilju County" in page
    admin = personas.client_for("admin").get("/health/outbreaks/").content.decode()
    assert "Kilju County" in admin and "Cases at your station" not in admin


def test_recording_a_case_through_the_form(personas) -> None:
    client = personas.client_for("medical-onsong")
    response = client.post(
        "/health/cases/new/",
        {
            "disease": Disease.objects.get(icd10="A68.0").pk,
            "onset_date": clock.today().isoformat(),
            "county": "Kilju County",
            "isolated": "on",
        },
    )
    assert response.status_code == 302
    recorded = DiseaseCase.objects.get()
    assert recorded.station == personas.onsong and recorded.week.weekday() == 0
    bad = client.post("/health/cases/new/", {"disease": "", "county": "x"})
    assert bad.status_code == 200 and DiseaseCase.objects.count() == 1


def test_the_outcome_of_a_case_is_updated_and_audited(personas) -> None:
    recorded = case(personas)
    set_outcome(user=personas["medical-onsong"], case=recorded, outcome="recovered", isolated=False)
    recorded.refresh_from_db()
    assert recorded.outcome == "recovered"
    with pytest.raises(ValidationError):
        set_outcome(
            user=personas["medical-onsong"], case=recorded, outcome="recovered", isolated=False
        )
    with pytest.raises(PermissionDenied):
        set_outcome(user=personas["medical-musan"], case=recorded, outcome="died", isolated=False)


def test_a_case_is_updated_from_the_outbreak_page_by_its_station_only(personas) -> None:
    from people.tests.personas import assert_access

    recorded = case(personas)
    data = {"case": recorded.pk, "outcome": "transferred", "isolated": "on"}
    assert_access(
        personas,
        "/health/cases/update/",
        allowed={"medical-onsong"},
        method="post",
        data=data,
        allowed_status=(302,),
    )
    recorded.refresh_from_db()
    assert recorded.outcome == "transferred"
    page = personas.client_for("medical-onsong").get("/health/outbreaks/").content.decode()
    assert 'data-testid="cases"' in page and "Transferred to hospital" in page
