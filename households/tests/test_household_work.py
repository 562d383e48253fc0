"""A household at household speed: the relationship of each member (form, API, person page)
and one action for the whole household that goes through each member's own rules, all or
nothing."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from documents.models import DocumentRequest
from documents.offices import set_up_province_offices
from documents.tests.placing import placed_person
from health.models import QuarantineStay
from health.tests.helpers import household_of
from households import services
from people.models import Household, Person, Relationship
from people.states import JourneyState as S
from people.tests.factories import PersonFactory, registration_form
from people.tests.personas import PROVINCE
from supplies import services as supplies
from supplies.models import EntitlementIssue, Item
from supplies.policy import ensure_policy

pytestmark = pytest.mark.django_db


def test_the_registration_form_records_each_members_relationship(personas) -> None:
    client = personas.client_for("registrar-onsong")
    unknown = {"birth_date_precision": "unknown"}
    form = registration_form(
        [
            {"given_name_hangul": "재수", "family_name_hangul": "안", "sex": "M", **unknown},
            {"given_name_hangul": "영희", "sex": "F", "relationship": "spouse", **unknown},
            {"given_name_hangul": "철수", "sex": "M", "relationship": "child", **unknown},
        ],
        personas.onsong.pk,
    )
    assert client.post("/people/register/", form).status_code == 302
    household = Household.objects.get()
    by_name = {p.given_name_hangul: p.relationship for p in household.members.all()}
    # the head chosen on the form is the head, without saying it twice
    assert by_name == {"재수": "head", "영희": "spouse", "철수": "child"}
    spouse = household.members.get(given_name_hangul="영희")
    page = client.get(f"/people/{spouse.pk}/").content.decode()
    assert 'data-testid="relationship">Spouse<' in page
    assert 'data-testid="household-panel"' in page and "Child" in page


def test_the_api_takes_and_gives_the_relationship(personas) -> None:
    from api.tests.test_api import api_client

    client = api_client(personas["registrar-onsong"])
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "members": [
            {"given_name_hangul": "재수", "sex": "M", "birth_date_precision": "unknown"},
            {
                "given_name_hangul": "순이",
                "sex": "F",
                "birth_date_precision": "unknown",
                "relationship": "parent",
            },
        ],
    }
    answer = client.post("/api/households", payload, content_type="application/json").json()
    assert [m["relationship"] for m in answer["members"]] == ["head", "parent"]
    wrong = {**payload, "client_uuid": str(uuid.uuid4())}
    wrong["members"] = [{**payload["members"][0], "relationship": "cousin"}]
    assert client.post("/api/households", wrong, content_type="application/json").status_code == 422


def test_a_whole_household_is_admitted_in_one_action(personas) -> None:
    members = household_of(personas.onsong, 3)
    household = members[0].household
    client = personas.client_for("medical-onsong")
    response = client.post(f"/households/{household.pk}/admit/", {"back": members[1].pk})
    assert response["Location"] == f"/people/{members[1].pk}/"
    assert QuarantineStay.objects.filter(person__household=household).count() == 3
    assert set(Person.objects.filter(household=household).values_list("state", flat=True)) == {
        S.IN_QUARANTINE
    }


def test_issuing_to_the_household_is_all_or_nothing(personas) -> None:
    ensure_policy()
    household = Household.objects.create(station=personas.onsong, created_at=timezone.now())
    members = [
        PersonFactory(station=personas.onsong, household=household, state=S.REGISTERED)
        for _ in range(3)
    ]
    clerk = personas["supplies-onsong"]
    with pytest.raises(services.HouseholdRefused, match="Nothing was done for the household"):
        services.issue_what_is_due(user=clerk, household=household)  # no stock at all
    assert not EntitlementIssue.objects.exists()
    for item in Item.objects.filter(is_active=True):
        supplies.receive(user=clerk, station=personas.onsong, item=item, quantity=1000)
    issued = services.issue_what_is_due(user=clerk, household=household)
    assert {issue.person_id for issue in issued} == {m.pk for m in members}
    with pytest.raises(services.HouseholdRefused, match="Nothing is due"):
        services.issue_what_is_due(user=clerk, household=household)


def test_documents_for_the_household_name_the_member_refused(personas) -> None:
    set_up_province_offices(
        province=PROVINCE,
        prefix="NH",
        stations=[personas.onsong],
        activated_on=dt.date(2020, 1, 1),
    )
    from documents.models import IssuingOffice

    office = IssuingOffice.objects.get(code="NH-ONSONG")
    household = Household.objects.create(station=personas.onsong, created_at=timezone.now())
    placed = [placed_person(personas.onsong, household=household) for _ in range(2)]
    child = PersonFactory(
        station=personas.onsong, household=household, state=S.REGISTERED, given_name_hangul="철수"
    )
    registrar = personas["registrar-onsong"]
    common = {"document_type": "TP", "office": office, "destination": "청진 제철소"}
    with pytest.raises(services.HouseholdRefused, match=f"^{child.display_name}: "):
        services.request_documents(
            user=registrar, household=household, persons=[*placed, child], **common
        )
    assert not DocumentRequest.objects.exists()
    made = services.request_documents(user=registrar, household=household, persons=placed, **common)
    assert {r.person_id for r in made} == {p.pk for p in placed}


def test_staff_of_another_station_cannot_act_on_the_household(personas) -> None:
    members = household_of(personas.onsong, 2)
    client = personas.client_for("medical-musan")
    assert client.post(f"/households/{members[0].household_id}/admit/").status_code == 404
    assert not QuarantineStay.objects.exists()


def test_relationship_values_are_the_five_named() -> None:
    assert Relationship.values == ["head", "spouse", "child", "parent", "other"]
