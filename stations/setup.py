"""Setting a province up without a shell: provinces, stations (with their
sleeping places), issuing offices with their keys, and staff accounts with a role and a scope.

Only administrators do this (a superuser without a profile counts as one). Every function is
idempotent where that is natural (saving what is already there changes nothing and writes no
audit entry), so the pages and `manage.py setup_province FILE.json` share them.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from documents.models import IssuingOffice
from documents.offices import set_up_province_offices
from people.audit import AuditEntry, record_audit
from stations.access import require
from stations.models import Province, StaffProfile, Station
from stations.roles import GLOBAL_ROLES, PROVINCE_ROLES, STATION_ROLES, Role
from waystation import clock

ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})


def _text(value: Any, limit: int, field: str, errors: dict[str, list[str]], required: bool) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    if len(text) > limit:
        errors.setdefault(field, []).append(_("At most %(limit)d characters.") % {"limit": limit})
    return text


def _apply(user: Any, obj: Any, values: dict[str, Any], reason: str, **where: Any) -> bool:
    """Set `values` on `obj` (new when it has no id yet), save and audit what changed; False
    when nothing did."""
    created = obj.pk is None
    changed = {key: value for key, value in values.items() if getattr(obj, key) != value}
    if not created and not changed:
        return False
    for key, value in values.items():
        setattr(obj, key, value)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    record_audit(
        user=user,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=obj,
        reason=reason,
        detail={key: str(value) for key, value in (values if created else changed).items()},
        **where,
    )
    return True


@transaction.atomic
def save_province(
    *,
    user: Any,
    name: str,
    name_ko: str = "",
    name_zh: str = "",
    office_prefix: str = "",
    province: Province | None = None,
) -> tuple[Province, bool]:
    """Create a province, or change the one given; (province, changed). Renaming a province
    renames it on its stations and its province-wide staff too."""
    require(user, ADMINISTRATORS)
    errors: dict[str, list[str]] = {}
    values = {
        "name": _text(name, 120, "name", errors, required=True),
        "name_ko": _text(name_ko, 120, "name_ko", errors, required=False),
        "name_zh": _text(name_zh, 120, "name_zh", errors, required=False),
        "office_prefix": _text(office_prefix, 8, "office_prefix", errors, required=False).upper(),
    }
    prefix = values["office_prefix"]
    if prefix and not prefix.replace("-", "").isalnum():
        errors.setdefault("office_prefix", []).append(_("Letters and digits only, e.g. NH."))
    others = Province.objects.all()
    if province is not None:
        others = others.exclude(pk=province.pk)
    if others.filter(name=values["name"]).exists():
        errors.setdefault("name", []).append(_("There is already a province of that name."))
    if prefix and others.filter(office_prefix=prefix).exists():
        errors.setdefault("office_prefix", []).append(
            _("Another province's offices already use this prefix.")
        )
    offices_made = (
        province is not None and IssuingOffice.objects.filter(province=province.name).exists()
    )
    if offices_made and province is not None and prefix != province.office_prefix:
        errors.setdefault("office_prefix", []).append(
            _("The province's offices are set up under this prefix; it can no longer change.")
        )
    if errors:
        raise ValidationError(errors)
    province = province or Province()
    old_name = province.name
    changed = _apply(user, province, values, _("Set up a province"))
    if old_name and old_name != province.name:
        Station.objects.filter(province=old_name).update(province=province.name)
        StaffProfile.objects.filter(province=old_name).update(province=province.name)
        IssuingOffice.objects.filter(province=old_name).update(province=province.name)
    return province, changed


@transaction.atomic
def save_station(
    *,
    user: Any,
    province: Province,
    code: str,
    name_en: str,
    name_ko: str = "",
    name_zh: str = "",
    county: str = "",
    is_active: bool = True,
    station: Station | None = None,
) -> tuple[Station, bool]:
    """Create a reception station in a province, or change the one given; (station, changed).
    A station's code is its address in the pages and cannot change once it is set."""
    require(user, ADMINISTRATORS)
    errors: dict[str, list[str]] = {}
    code = slugify(str(code or "").strip())
    if station is not None and code != station.code:
        errors.setdefault("code", []).append(_("A station's code cannot change."))
    if not code or len(code) > 32:
        errors.setdefault("code", []).append(
            _("A short code of letters, digits and dashes, e.g. onsong.")
        )
    elif station is None and Station.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("There is already a station with this code."))
    values = {
        "code": code,
        "name_en": _text(name_en, 120, "name_en", errors, required=True),
        "name_ko": _text(name_ko, 120, "name_ko", errors, required=False),
        "name_zh": _text(name_zh, 120, "name_zh", errors, required=False),
        "county": _text(county, 120, "county", errors, required=True),
        "province": province.name,
        "is_active": bool(is_active),
    }
    if errors:
        raise ValidationError(errors)
    # a name not yet translated reads in English until it is
    values["name_ko"] = values["name_ko"] or values["name_en"]
    values["name_zh"] = values["name_zh"] or values["name_en"]
    station = station or Station()
    changed = _apply(user, station, values, _("Set up a station"))
    return station, changed


@transaction.atomic
def set_up_offices(
    *, user: Any, province: Province, activated_on: dt.date | None = None
) -> dict[str, IssuingOffice]:
    """The province's labour and civil affairs bureaus and an office for each of its stations,
    each with a signing key from `activated_on` (today by default); offices already there are
    kept as they are, with their keys."""
    require(user, ADMINISTRATORS, province=province.name)
    if not province.office_prefix:
        raise ValidationError(
            {"office_prefix": [_("Give the province an office code prefix first.")]}
        )
    before = set(IssuingOffice.objects.filter(province=province.name).values_list("pk", flat=True))
    offices = set_up_province_offices(
        province=province.name,
        prefix=province.office_prefix,
        stations=Station.objects.filter(province=province.name, is_active=True).order_by("code"),
        activated_on=activated_on or clock.today(),
        province_names=(province.name_ko or province.name, province.name_zh or province.name),
    )
    for office in offices.values():
        if office.pk not in before:
            record_audit(
                user=user,
                action=AuditEntry.Action.CREATE,
                obj=office,
                station=office.station,
                reason=_("Set up an issuing office and its signing key"),
                detail={"code": office.code},
            )
    return offices


def _scope_errors(role: str, station: Station | None, province: Province | None) -> dict:
    if role not in Role.values:
        return {"role": [_("Choose a role.")]}
    if role in STATION_ROLES and station is None:
        return {"station": [_("This role works at one station: choose it.")]}
    if role in PROVINCE_ROLES and province is None:
        return {"province": [_("This role works in one province: choose it.")]}
    return {}


@transaction.atomic
def save_staff(
    *,
    user: Any,
    username: str,
    role: str,
    station: Station | None = None,
    province: Province | None = None,
    password: str = "",
    full_name: str = "",
    is_active: bool = True,
    account: Any = None,
) -> tuple[Any, bool]:
    """Create a staff account with a role and a scope (a station for station roles, a province
    for province roles, none for administrators and auditors), or change the one given: role,
    scope, name, whether it may sign in, and the password when one is typed. (user, changed)."""
    require(user, ADMINISTRATORS)
    errors: dict[str, list[str]] = {}
    User = get_user_model()
    username = _text(username, 150, "username", errors, required=True)
    full_name = _text(full_name, 150, "full_name", errors, required=False)
    if account is None and User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("This user name is taken."))
    if account is not None and username != account.username:
        errors.setdefault("username", []).append(_("A user name cannot change."))
    if account is None and not password:
        errors.setdefault("password", []).append(_("A new account needs a password."))
    errors.update(_scope_errors(role, station, province))
    oneself = account is not None and account.pk == getattr(user, "pk", None)
    if oneself and (not is_active or role != Role.ADMINISTRATOR):
        errors.setdefault("role", []).append(
            _("You cannot take away your own administrator's role or sign-in.")
        )
    candidate = account or User(username=username)
    if password:
        try:
            validate_password(password, candidate)
        except ValidationError as error:
            errors.setdefault("password", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    role_scope = {
        "role": role,
        "station": station if role in STATION_ROLES else None,
        "province": province.name if province is not None and role in PROVINCE_ROLES else "",
    }
    if role in GLOBAL_ROLES:
        role_scope.update(station=None, province="")
    changed = new = account is None
    if account is None:
        account = User.objects.create_user(username=username, password=password)
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=account,
            reason=_("Set up a staff account"),
            detail={"username": username},
        )
    elif password:
        account.set_password(password)
        account.save(update_fields=["password"])
        changed = True
    first, _space, last = full_name.partition(" ")
    changed |= _apply(
        user,
        account,
        {"first_name": first, "last_name": last, "is_active": bool(is_active)},
        _("Set up a staff account"),
    )
    profile = StaffProfile.objects.filter(user=account).first() or StaffProfile(user=account)
    changed |= _apply(
        user, profile, role_scope, _("Gave a role and a scope"), station=role_scope["station"]
    )
    account.__dict__.pop("_cached_staff_profile", None)
    if password and not new:
        record_audit(
            user=user, action=AuditEntry.Action.UPDATE, obj=account, reason=_("Set a password")
        )
    return account, changed


def staff_accounts() -> Any:
    """Every account with a role, for the set-up list."""
    return (
        StaffProfile.objects.select_related("user", "station")
        .order_by("role", "user__username")
        .all()
    )
