"""Personas: one user per role and station, and one helper that asserts who may open a URL.

Every permission test goes through `assert_access`, so the rule for a page is written once as
the set of personas allowed, and every other persona is checked to be refused.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from accounts.testing import give_device, pass_second_factor
from people.tests.factories import StaffProfileFactory, StationFactory, UserFactory
from stations.models import Station
from stations.roles import Role

PROVINCE = "North Hamgyong"
STATION_PERSONAS = {
    Role.REGISTRAR: "registrar",
    Role.MEDICAL_OFFICER: "medical",
    Role.SUPPLIES_CLERK: "supplies",
}


@dataclass
class Personas:
    users: dict[str, AbstractBaseUser]
    onsong: Station
    musan: Station
    hyesan: Station

    def __getitem__(self, name: str) -> AbstractBaseUser:
        return self.users[name]

    @property
    def names(self) -> list[str]:
        return sorted(self.users)

    def client_for(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        pass_second_factor(client, self.users[name])
        return client


def build_personas() -> Personas:
    onsong = StationFactory(
        code="onsong", name_en="Onsong", name_ko="온성", name_zh="稳城", province=PROVINCE
    )
    musan = StationFactory(
        code="musan",
        name_en="Musan",
        name_ko="무산",
        name_zh="茂山",
        county="Musan County",
        province=PROVINCE,
    )
    hyesan = StationFactory(
        code="hyesan",
        name_en="Hyesan",
        name_ko="혜산",
        name_zh="惠山",
        county="Hyesan City",
        province="Ryanggang",
    )
    users = {}
    for station in (onsong, musan):
        for role, prefix in STATION_PERSONAS.items():
            name = f"{prefix}-{station.code}"
            users[name] = StaffProfileFactory(
                user=UserFactory(username=name), role=role, station=station
            ).user
    for role, name, province in (
        (Role.LABOUR_OFFICER, "labour", PROVINCE),
        (Role.DOCUMENTS_OFFICER, "documents", PROVINCE),
        (Role.LABOUR_OFFICER, "labour-ryanggang", "Ryanggang"),
        (Role.ADMINISTRATOR, "admin", ""),
        (Role.AUDITOR, "auditor", ""),
    ):
        users[name] = StaffProfileFactory(
            user=UserFactory(username=name), role=role, station=None, province=province
        ).user
    give_device(users["admin"])  # administrators cannot work without a second factor
    users["no-role"] = UserFactory(username="no-role")
    return Personas(users=users, onsong=onsong, musan=musan, hyesan=hyesan)


def assert_access(
    personas: Personas,
    url: str,
    allowed: Iterable[str],
    method: str = "get",
    data: dict | None = None,
    allowed_status: Iterable[int] = (200,),
) -> None:
    """Every persona in `allowed` gets an allowed status; every other is refused (403/404)
    and an anonymous visitor is sent to the login page."""
    allowed = set(allowed)
    unknown = allowed - set(personas.names)
    assert not unknown, f"unknown personas {unknown}"
    failures = []
    for name in personas.names:
        response = getattr(personas.client_for(name), method)(url, data or {})
        if name in allowed and response.status_code not in set(allowed_status):
            failures.append(f"{name} should be allowed, got {response.status_code}")
        if name not in allowed and response.status_code not in (403, 404):
            failures.append(f"{name} should be refused, got {response.status_code}")
    anonymous = getattr(Client(), method)(url, data or {})
    if anonymous.status_code != 302 or "/login/" not in anonymous["Location"]:
        failures.append(f"anonymous should be sent to log in, got {anonymous.status_code}")
    assert not failures, f"{method.upper()} {url}:\n" + "\n".join(failures)
