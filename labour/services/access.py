"""Who does labour work (the checks themselves are stations.access.require): labour officers
in their province, administrators everywhere; auditors read."""

from stations.roles import Role

ACTING_ROLES = frozenset({Role.LABOUR_OFFICER, Role.ADMINISTRATOR})
READING_ROLES = ACTING_ROLES | {Role.AUDITOR}
# Claims of credentials are also heard by the registrars of the person's station, at
# registration.
CLAIM_RECORDING_ROLES = ACTING_ROLES | {Role.REGISTRAR}


def run_provinces() -> list[str]:
    """Provinces a batch run can be for: those with labour sites or reception stations."""
    from labour.models import Site
    from stations.models import Station

    names = set(Site.objects.filter(is_active=True).values_list("province", flat=True))
    names |= set(Station.objects.values_list("province", flat=True))
    return sorted(name for name in names if name)
