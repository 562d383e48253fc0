"""Setting a province up without a shell: the services the /setup/ pages and
`manage.py setup_province` share, the pages themselves, and the command."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.testing import give_device, pass_second_factor
from documents.models import IssuingOffice, KeyRecord
from people.audit import AuditEntry
from people.tests.factories import StationFactory, UserFactory
from stations import setup
from stations.access import require, staff_profile_of
from stations.models import Province, StaffProfile, Station
from stations.roles import Role
from stations.setup_file import EXAMPLE, apply_setup
from supplies.models import SleepingPlace

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():  # noqa: ANN201
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_a_superuser_without_a_profile_acts_as_an_administrator(superuser) -> None:
    profile = staff_profile_of(superuser)
    assert profile is not None and profile.role == Role.ADMINISTRATOR
    assert require(superuser, {Role.ADMINISTRATOR}) is profile
    assert not StaffProfile.objects.exists()  # nothing is written for them
    with pytest.raises(PermissionDenied):
        require(UserFactory(), {Role.ADMINISTRATOR})


def test_only_an_administrator_sets_up(personas) -> None:
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        setup.save_province(user=personas["registrar-onsong"], name="Ryanggang")
    assert not Province.objects.filter(name="Ryanggang").exists()


def test_a_station_with_sleeping_places_and_offices(superuser) -> None:
    province, _ = setup.save_province(user=superuser, name="Chagang", office_prefix="cg")
    assert province.office_prefix == "CG"
    station, changed = setup.save_station(
        user=superuser,
        province=province,
        code="Manpo",
        name_en="Manpo",
        county="Manpo",
    )
    assert changed and station.code == "manpo"
    assert station.province == "Chagang"
    # saving the same again changes nothing and writes no audit entry
    entries = AuditEntry.objects.count()
    _, changed = setup.save_station(
        user=superuser,
        province=province,
        code="manpo",
        name_en="Manpo",
        county="Manpo",
        station=station,
    )
    assert not changed and AuditEntry.objects.count() == entries
    offices = setup.set_up_offices(user=superuser, province=province)
    assert set(offices) == {"CG-LAB", "CG-CIV", "CG-MANPO"}
    assert KeyRecord.objects.filter(office__province="Chagang").count() == 3
    again = setup.set_up_offices(user=superuser, province=province)  # keys are kept
    assert set(again) == set(offices) and KeyRecord.objects.count() == 3
    with pytest.raises(ValidationError, match="can no longer change"):
        setup.save_province(user=superuser, name="Chagang", office_prefix="XX", province=province)


def test_staff_roles_need_their_scope_and_are_audited(superuser) -> None:
    province, _ = setup.save_province(user=superuser, name="Chagang")
    station, _ = setup.save_station(
        user=superuser, province=province, code="manpo", name_en="M", county="M"
    )
    with pytest.raises(ValidationError) as refused:
        setup.save_staff(
            user=superuser, username="kim", role=Role.REGISTRAR, password="long-pass-4821"
        )
    assert "This role works at one station: choose it." in refused.value.message_dict["station"]
    with pytest.raises(ValidationError) as refused:
        setup.save_staff(user=superuser, username="kim", role=Role.REGISTRAR, station=station)
    assert "A new account needs a password." in refused.value.message_dict["password"]
    user, _ = setup.save_staff(
        user=superuser,
        username="kim",
        role=Role.REGISTRAR,
        station=station,
        province=province,  # ignored: a registrar's scope is the station
        password="long-pass-4821",
        full_name="Kim Yong-su",
    )
    profile = StaffProfile.objects.get(user=user)
    assert (profile.role, profile.station, profile.province) == (Role.REGISTRAR, station, "")
    assert user.check_password("long-pass-4821") and user.get_full_name() == "Kim Yong-su"
    # moved to a province role: the station is dropped, the province kept
    setup.save_staff(
        user=superuser,
        username="kim",
        role=Role.LABOUR_OFFICER,
        station=station,
        province=province,
        account=user,
    )
    profile.refresh_from_db()
    assert (profile.role, profile.station, profile.province) == (
        Role.LABOUR_OFFICER,
        None,
        "Chagang",
    )
    reasons = set(AuditEntry.objects.filter(user=superuser).values_list("reason", flat=True))
    assert {"Set up a staff account", "Gave a role and a scope"} <= reasons


def test_a_file_is_applied_idempotently(superuser) -> None:
    first = apply_setup(superuser, EXAMPLE)
    assert "province North Hamgyong: created" in first
    assert "office NH-ONSONG: created with a key" in first
    station = Station.objects.get(code="onsong")
    assert SleepingPlace.objects.filter(station=station).count() == 2
    assert StaffProfile.objects.get(user__username="labour-nh").province == "North Hamgyong"
    entries = AuditEntry.objects.count()
    assert apply_setup(superuser, EXAMPLE) == []
    assert AuditEntry.objects.count() == entries
    assert IssuingOffice.objects.count() == 3


def test_a_file_with_a_mistake_changes_nothing_and_says_where(superuser) -> None:
    broken = json.loads(json.dumps(EXAMPLE))
    broken["staff"][0]["station"] = "nowhere"
    with pytest.raises(ValidationError) as refused:
        apply_setup(superuser, broken)
    assert "staff[0].station" in refused.value.message_dict
    assert not Province.objects.exists() and not Station.objects.exists()


def test_the_command_prints_an_example_and_applies_it_twice(superuser, tmp_path) -> None:
    out = io.StringIO()
    call_command("setup_province", "--example", stdout=out)
    path = tmp_path / "province.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    out = io.StringIO()
    call_command("setup_province", str(path), stdout=out)
    assert "station onsong: created" in out.getvalue()
    out = io.StringIO()
    call_command("setup_province", str(path), stdout=out)
    assert out.getvalue().strip() == "Already set up: no changes."
    with pytest.raises(CommandError, match="Only an administrator"):
        call_command("setup_province", str(path), "--as", UserFactory().username)


def _admin_client(user) -> Client:  # noqa: ANN001
    give_device(user)
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    return client


def test_the_pages_set_up_a_station_and_a_registrar(superuser) -> None:
    client = _admin_client(superuser)
    assert "Nothing is set up yet" in client.get("/setup/").content.decode()
    response = client.post("/setup/provinces/new/", {"name": "Chagang", "office_prefix": "CG"})
    province = Province.objects.get(name="Chagang")
    assert response["Location"] == f"/setup/provinces/{province.pk}/"
    response = client.post(
        "/setup/stations/new/",
        {
            "province": province.pk,
            "code": "manpo",
            "name_en": "Manpo",
            "county": "Manpo",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    client.post(
        "/setup/stations/manpo/places/",
        {"place-name": "School", "place-kind": "school", "place-capacity": 150},
    )
    assert SleepingPlace.objects.get(station__code="manpo").capacity == 150
    client.post(f"/setup/provinces/{province.pk}/offices/", {"activated_on": ""})
    assert IssuingOffice.objects.filter(code="CG-MANPO").exists()
    station = Station.objects.get(code="manpo")
    refused = client.post(
        "/setup/staff/new/", {"username": "kim", "role": "registrar", "password": "x"}
    )
    assert refused.status_code == 422
    assert "This role works at one station: choose it." in refused.content.decode()
    client.post(
        "/setup/staff/new/",
        {
            "username": "kim",
            "role": "registrar",
            "station": station.pk,
            "password": "long-pass-4821",
            "is_active": "on",
        },
    )
    assert StaffProfile.objects.get(user__username="kim").station == station
    listing = client.get("/setup/").content.decode()
    assert "Manpo" in listing and "kim" in listing and "/setup/tokens/" in listing


def test_auditors_read_the_set_up_but_change_nothing(personas) -> None:
    client = personas.client_for("auditor")
    assert client.get("/setup/").status_code == 200
    assert client.post("/setup/provinces/new/", {"name": "Ryanggang"}).status_code == 403
    assert not Province.objects.filter(name="Ryanggang").exists()


def test_the_migration_made_provinces_for_existing_stations(django_db_setup) -> None:
    StationFactory(province="Ryanggang")
    # the data migration ran on an empty database here; what it does is get_or_create per
    # named province, shown by running its function again
    from importlib import import_module

    from django.apps import apps

    migration = import_module("stations.migrations.0002_province")
    migration.provinces_of_existing_stations(apps, None)
    assert Province.objects.filter(name="Ryanggang").exists()
