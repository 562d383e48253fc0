"""Who may see and do what, and where: the one module every view, endpoint and service asks.

- `require(user, roles, station=..., province=...)` is the one check before a change: the
  user's role is one of `roles` and the station or province is in the user's scope, or
  PermissionDenied with a sentence naming who may.
- `scoped_or_404(queryset, profile, pk)` is the one way to fetch a record by id for a page:
  out of scope looks the same as absent, so nobody learns what other stations hold.
- `role_required(...)` guards a view and gives it a typed `request.staff`.

Scope: station roles work at their station, province roles in their province, administrators
and auditors everywhere; auditors never change anything.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.models import StaffProfile, Station
from stations.roles import GLOBAL_ROLES, PROVINCE_ROLES, Role

ALL_ROLES = tuple(Role)
WRITING_ROLES = tuple(role for role in Role if role != Role.AUDITOR)

# How a role is named inside a sentence ("Only a medical officer or an administrator may ...").
_ROLE_IN_SENTENCE = {
    Role.REGISTRAR: gettext_lazy("a registrar"),
    Role.MEDICAL_OFFICER: gettext_lazy("a medical officer"),
    Role.SUPPLIES_CLERK: gettext_lazy("a supplies clerk"),
    Role.LABOUR_OFFICER: gettext_lazy("a labour officer"),
    Role.DOCUMENTS_OFFICER: gettext_lazy("a documents officer"),
    Role.ADMINISTRATOR: gettext_lazy("an administrator"),
    Role.AUDITOR: gettext_lazy("an auditor"),
}
# The order roles are named in: the one doing the work first, the administrator last.
_ROLE_ORDER = list(Role)

User = AbstractBaseUser | AnonymousUser


class StaffRequest(HttpRequest):
    """A request that passed `role_required`: the signed-in user's staff profile is at hand."""

    staff: StaffProfile


M = TypeVar("M", bound=Model)


def staff_profile_of(user: Any) -> StaffProfile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not hasattr(user, "_cached_staff_profile"):
        profile = StaffProfile.objects.select_related("station").filter(user=user).first()
        if profile is None and user.is_superuser:
            # A superuser set up with createsuperuser on an empty database has no profile: they
            # act as an administrator (never saved), so they can set the province up.
            profile = StaffProfile(user=user, role=Role.ADMINISTRATOR)
        user._cached_staff_profile = profile
    return user._cached_staff_profile


def roles_in_words(roles: Iterable[str]) -> str:
    """ "a registrar or an administrator", in the reader's language."""
    ordered = sorted({Role(role) for role in roles}, key=_ROLE_ORDER.index)
    named = [str(_ROLE_IN_SENTENCE[role]) for role in ordered]
    if len(named) <= 1:
        return "".join(named)
    return _("%(first)s or %(last)s") % {"first": _(", ").join(named[:-1]), "last": named[-1]}


def require(
    user: Any,
    roles: Iterable[str],
    *,
    station: Station | None = None,
    province: str | None = None,
) -> StaffProfile:
    """The user's staff profile, when their role is one of `roles` and `station` (or
    `province`) is in their scope; otherwise PermissionDenied saying who may."""
    allowed = frozenset(roles)
    profile = staff_profile_of(user)
    if profile is None or profile.role not in allowed:
        raise PermissionDenied(
            _("Only %(roles)s may do this.") % {"roles": roles_in_words(allowed)}
        )
    if station is not None and not can_see_station(profile, station):
        raise PermissionDenied(
            _("%(station)s is outside your scope: you work at %(scope)s.")
            % {"station": station, "scope": scope_in_words(profile)}
        )
    if province is not None and not can_see_province(profile, province):
        raise PermissionDenied(
            _("%(province)s is outside your scope: you work at %(scope)s.")
            % {"province": province, "scope": scope_in_words(profile)}
        )
    return profile


def scope_in_words(profile: StaffProfile) -> str:
    if profile.role in GLOBAL_ROLES:
        return _("every station")
    if profile.role in PROVINCE_ROLES:
        return _("the stations of %(province)s") % {"province": profile.province}
    return str(profile.station)


def visible_stations(profile: StaffProfile | None) -> QuerySet[Station]:
    stations = Station.objects.all()
    if profile is None:
        return stations.none()
    if profile.role in GLOBAL_ROLES:
        return stations
    if profile.role in PROVINCE_ROLES:
        return stations.filter(province=profile.province)
    return stations.filter(pk=profile.station_id) if profile.station_id else stations.none()


def can_see_station(profile: StaffProfile | None, station: Station) -> bool:
    if profile is None:
        return False
    if profile.role in GLOBAL_ROLES:
        return True
    if profile.role in PROVINCE_ROLES:
        return station.province == profile.province
    return station.pk == profile.station_id


def can_see_province(profile: StaffProfile | None, province: str) -> bool:
    """Province roles see their province, global roles every one; a station's staff see the
    province of their station."""
    if profile is None:
        return False
    if profile.role in GLOBAL_ROLES:
        return True
    if profile.role in PROVINCE_ROLES:
        return profile.province == province
    return profile.station is not None and profile.station.province == province


def scope_to_stations(
    profile: StaffProfile | None, queryset: QuerySet[M], field: str = "station"
) -> QuerySet[M]:
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


def scope_to_holders(
    profile: StaffProfile | None, queryset: QuerySet[M], person_field: str = "person"
) -> QuerySet[M]:
    """Restrict records held by a person (documents, applications) to the people whose
    station the profile may see: the same records as scope_to_stations(profile, queryset,
    f"{person_field}__station"), asked as "there is such a holder" instead of a join.

    Over the join SQLite (holding statistics for the person table but not yet for a newer
    table) builds a filter over every person in scope before reading the first record:
    ~0.4 s at a million persons for a page of twenty. The correlated EXISTS looks up each
    record's holder by primary key; PostgreSQL plans it as the same semi-join."""
    if profile is None:
        return queryset.none()
    if profile.role in GLOBAL_ROLES:
        return queryset
    from people.models import Person  # it imports this module (people.submissions)

    holders = Person.objects.filter(pk=OuterRef(f"{person_field}_id"))
    if profile.role in PROVINCE_ROLES:
        station_ids = list(visible_stations(profile).values_list("pk", flat=True))
        if not Station.objects.exclude(pk__in=station_ids).exists():
            # Every station is in this province and every person has a station: the scope
            # is everyone, and looking up each record's holder (a random read of the
            # person table per record) would change nothing.
            return queryset
        holders = holders.filter(station_id__in=station_ids)
    elif profile.station_id is None:
        return queryset.none()  # a station role without a station sees no one
    else:
        holders = holders.filter(station_id=profile.station_id)
    return queryset.filter(Exists(holders))


def scoped_or_404(
    queryset: QuerySet[M], profile: StaffProfile | None, pk: object, field: str = "station"
) -> M:
    """The record with this id among those the profile may see, or 404: out of scope looks
    the same as absent, so a registrar learns nothing about other stations."""
    if not str(pk).isdigit():
        raise Http404
    found = scope_to_stations(profile, queryset, field).filter(pk=int(str(pk))).first()
    if found is None:
        raise Http404
    return found


def sees_health_details(profile: StaffProfile | None) -> bool:
    return profile is not None and profile.role == Role.MEDICAL_OFFICER


def is_read_only(profile: StaffProfile | None) -> bool:
    return profile is None or profile.role == Role.AUDITOR


def role_required(
    *roles: Role,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let a view through only for logged-in staff holding one of the roles (403 otherwise),
    with their profile as `request.staff`."""
    allowed = frozenset(roles) if roles else frozenset(ALL_ROLES)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            profile = staff_profile_of(request.user)
            if profile is None or profile.role not in allowed:
                raise PermissionDenied(
                    _("Only %(roles)s may open this page.") % {"roles": roles_in_words(allowed)}
                )
            request.staff = profile  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator
