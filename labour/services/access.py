"""Who may do labour work: labour officers in their province, administrators everywhere;
auditors read."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from stations.access import staff_profile_of
from stations.models import StaffProfile
from stations.roles import Role

ACTING_ROLES = frozenset({Role.LABOUR_OFFICER, Role.ADMINISTRATOR})
READING_ROLES = ACTING_ROLES | {Role.AUDITOR}


def require_officer(user: Any, province: str | None = None) -> StaffProfile:
    profile = staff_profile_of(user)
    if profile is None or profile.role not in ACTING_ROLES:
        raise PermissionDenied(_("Only labour officers may do this."))
    if province is not None and not in_province(profile, province):
        raise PermissionDenied(_("This is outside your province."))
    return profile


def require_claim_recorder(user: Any, person: Any) -> StaffProfile:
    """Claims are recorded by labour officers of the person's province, administrators, and
    the registrars of the person's station (who hear the claim at registration)."""
    profile = staff_profile_of(user)
    if profile is not None and profile.role == Role.REGISTRAR:
        if profile.station_id != person.station_id:
            raise PermissionDenied(_("This person is registered at another station."))
        return profile
    return require_officer(user, person.station.province)


def in_province(profile: StaffProfile | None, province: str) -> bool:
    if profile is None:
        return False
    return profile.role in (Role.ADMINISTRATOR, Role.AUDITOR) or profile.province == province


def run_provinces() -> list[str]:
    """Provinces a batch run can be for: those with labour sites or reception stations."""
    from labour.models import Site
    from stations.models import Station

    names = set(Site.objects.filter(is_active=True).values_list("province", flat=True))
    names |= set(Station.objects.values_list("province", flat=True))
    return sorted(name for name in names if name)
