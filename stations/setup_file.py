"""A province's set-up written down as JSON and applied idempotently (`manage.py setup_province
FILE.json`): applying the same file twice changes nothing the second time.

Provinces are found by name, stations by code, sleeping places by station and name, staff by
user name. A password in the file is used only when the account is created (applying the file
again does not reset it); a new account without one gets a generated password, reported once.
"""

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from stations import setup
from stations.models import Province, StaffProfile, Station
from supplies.places import set_up_sleeping_place

EXAMPLE: dict[str, Any] = {
    "province": {
        "name": "North Hamgyong",
        "name_ko": "함경북도",
        "name_zh": "咸镜北道",
        "office_prefix": "NH",
    },
    "stations": [
        {
            "code": "onsong",
            "name_en": "Onsong",
            "name_ko": "온성",
            "name_zh": "稳城",
            "county": "Onsong County",
            "is_active": True,
            "sleeping_places": [
                {"name": "Onsong Middle School", "kind": "school", "capacity": 300},
                {"name": "Hall 2", "kind": "building", "capacity": 80},
            ],
        }
    ],
    "offices": {"activated_on": "1961-11-01"},
    "staff": [
        {
            "username": "registrar-onsong",
            "full_name": "Kim Yong-su",
            "role": "registrar",
            "station": "onsong",
            "password": "change-me-at-first-sign-in",
        },
        {"username": "labour-nh", "role": "labour_officer", "province": "North Hamgyong"},
    ],
}


def _where(error: ValidationError, where: str) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(
            {f"{where}.{field}": messages for field, messages in error.message_dict.items()}
        )
    return ValidationError({where: error.messages})


def _stations(user: Any, province: Province, specs: list[dict], report: list[str]) -> None:
    for index, spec in enumerate(specs):
        where = f"stations[{index}]"
        existing = Station.objects.filter(code=spec.get("code", "")).first()
        try:
            station, changed = setup.save_station(
                user=user,
                province=province,
                code=spec.get("code", ""),
                name_en=spec.get("name_en", ""),
                name_ko=spec.get("name_ko", ""),
                name_zh=spec.get("name_zh", ""),
                county=spec.get("county", ""),
                is_active=spec.get("is_active", True),
                station=existing,
            )
            if changed:
                report.append(f"station {station.code}: {'changed' if existing else 'created'}")
            for place_index, place in enumerate(spec.get("sleeping_places", [])):
                where = f"stations[{index}].sleeping_places[{place_index}]"
                made, changed = set_up_sleeping_place(
                    user=user,
                    station=station,
                    name=place.get("name", ""),
                    kind=place.get("kind", ""),
                    capacity=place.get("capacity", 0),
                    is_active=place.get("in_use", True),
                )
                if changed:
                    report.append(f"sleeping place {station.code}/{made.name}: set up")
        except ValidationError as error:
            raise _where(error, where) from error


def _staff(user: Any, province: Province, specs: list[dict], report: list[str]) -> None:
    accounts = get_user_model().objects
    for index, spec in enumerate(specs):
        username = str(spec.get("username", ""))
        account = accounts.filter(username=username).first()
        station = Station.objects.filter(code=spec.get("station", "")).first()
        named = spec.get("province")
        scope = Province.objects.filter(name=named).first() if named else province
        password = ""
        if account is None:
            password = spec.get("password") or secrets.token_urlsafe(12)
        profile = StaffProfile.objects.filter(user=account).first() if account else None
        try:
            _account, changed = setup.save_staff(
                user=user,
                username=username,
                role=spec.get("role", ""),
                station=station,
                province=scope,
                password=password,
                full_name=spec.get("full_name", account.get_full_name() if account else ""),
                is_active=spec.get("is_active", True),
                account=account,
            )
        except ValidationError as error:
            raise _where(error, f"staff[{index}]") from error
        if account is None and not spec.get("password"):
            report.append(f"staff {username}: created with password {password}")
        elif changed:
            was = f" (was {profile.role})" if profile and profile.role != spec.get("role") else ""
            report.append(f"staff {username}: {'changed' if account else 'created'}{was}")


@transaction.atomic
def apply_setup(user: Any, data: dict[str, Any]) -> list[str]:
    """Bring the database to what the file says; returns what changed, one line each (none
    when the file was already applied). Refuses the whole file, changing nothing, on the first
    error, naming where in the file it is."""
    if not isinstance(data, dict) or not isinstance(data.get("province"), dict):
        raise ValidationError({"province": ["The file needs a province."]})
    report: list[str] = []
    spec = data["province"]
    existing = Province.objects.filter(name=spec.get("name", "")).first()
    try:
        province, changed = setup.save_province(
            user=user,
            name=spec.get("name", ""),
            name_ko=spec.get("name_ko", ""),
            name_zh=spec.get("name_zh", ""),
            office_prefix=spec.get("office_prefix", ""),
            province=existing,
        )
    except ValidationError as error:
        raise _where(error, "province") from error
    if changed:
        report.append(f"province {province.name}: {'changed' if existing else 'created'}")
    _stations(user, province, list(data.get("stations", [])), report)
    offices = data.get("offices")
    if offices:
        on = offices.get("activated_on") if isinstance(offices, dict) else None
        try:
            before = {o.code for o in setup.IssuingOffice.objects.filter(province=province.name)}
            made = setup.set_up_offices(
                user=user,
                province=province,
                activated_on=dt.date.fromisoformat(on) if on else None,
            )
        except (ValidationError, ValueError) as error:
            raise ValidationError({"offices": [str(error)]}) from error
        report.extend(f"office {code}: created with a key" for code in sorted(set(made) - before))
    _staff(user, province, list(data.get("staff", [])), report)
    return report
