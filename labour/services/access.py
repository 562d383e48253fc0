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


def in_province(profile: StaffProfile | None, province: str) -> bool:
    if profile is None:
        return False
    return profile.role in (Role.ADMINISTRATOR, Role.AUDITOR) or profile.province == province


def default_province(profile: StaffProfile) -> str:
    if profile.province:
        return profile.province
    from labour.models import Site

    return Site.objects.values_list("province", flat=True).order_by("province").first() or ""
