"""Demo logins: one user per role and station (or province), all with one known password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from stations.models import StaffProfile, Station
from stations.roles import Role

DEMO_PASSWORD = "waystation-demo"
STATION_ROLE_PREFIX = {
    Role.REGISTRAR: "registrar",
    Role.MEDICAL_OFFICER: "medical",
    Role.SUPPLIES_CLERK: "supplies",
}


def create_demo_users(stations: list[Station], province: str) -> dict[str, object]:
    """Return the users by login name. Each password is hashed with a salt of its own: one
    shared hash would tell anyone who reads the table that the accounts share a password."""
    User = get_user_model()
    users = {}

    def add(username: str, role: Role, station: Station | None = None, prov: str = "") -> None:
        is_admin = role == Role.ADMINISTRATOR
        user = User.objects.create(
            username=username,
            password=make_password(DEMO_PASSWORD),
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        StaffProfile.objects.create(user=user, role=role, station=station, province=prov)
        users[username] = user

    for station in stations:
        for role, prefix in STATION_ROLE_PREFIX.items():
            add(f"{prefix}-{station.code}", role, station=station)
    add("labour", Role.LABOUR_OFFICER, prov=province)
    add("documents", Role.DOCUMENTS_OFFICER, prov=province)
    add("admin", Role.ADMINISTRATOR)
    add("auditor", Role.AUDITOR)
    return users
