"""Who may see and do what, and where. Every view and endpoint asks this module."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from stations.models import StaffProfile, Station
from stations.roles import GLOBAL_ROLES, PROVINCE_ROLES, Role

ALL_ROLES = tuple(Role)


def staff_profile_of(user: Any) -> StaffProfile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not hasattr(user, "_cached_staff_profile"):
        user._cached_staff_profile = (
            StaffProfile.objects.select_related("station").filter(user=user).first()
        )
    return user._cached_staff_profile


def visible_stations(profile: StaffProfile | None) -> QuerySet[Station]:
    stations = Station.objects.all()
    if profile is None:
        return stations.none()
    if profile.role in GLOBAL_ROLES:
        return stations
    if profile.role in PROVINCE_ROLES:
        return stations.filter(province=profile.province)
    return stations.filter(pk=profile.station_id)


def can_see_station(profile: StaffProfile | None, station: Station) -> bool:
    if profile is None:
        return False
    if profile.role in GLOBAL_ROLES:
        return True
    if profile.role in PROVINCE_ROLES:
        return station.province == profile.province
    return station.pk == profile.station_id


def scope_to_stations(
    profile: StaffProfile | None, queryset: QuerySet, field: str = "station"
) -> QuerySet:
    """Restrict any queryset with a station foreign key to what the profile may see."""
    if profile is None:
        return queryset.none()
    if profile.role in GLOBAL_ROLES:
        return queryset
    if profile.role in PROVINCE_ROLES:
        # Ids rather than a join: counts and pages then run on the station index alone.
        station_ids = list(visible_stations(profile).values_list("pk", flat=True))
        return queryset.filter(**{f"{field}_id__in": station_ids})
    return queryset.filter(**{f"{field}_id": profile.station_id})


def sees_health_details(profile: StaffProfile | None) -> bool:
    return profile is not None and profile.role == Role.MEDICAL_OFFICER


def is_read_only(profile: StaffProfile | None) -> bool:
    return profile is None or profile.role == Role.AUDITOR


def role_required(*roles: Iterable[Role] | Role) -> Callable:
    """Let a view through only for logged-in staff holding one of the roles (403 otherwise)."""
    allowed = frozenset(roles) if roles else frozenset(ALL_ROLES)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            profile = staff_profile_of(request.user)
            if profile is None or profile.role not in allowed:
                raise PermissionDenied
            request.staff = profile
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        return wrapped

    return decorator
