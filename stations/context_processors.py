from django.http import HttpRequest

from people.extensions import nav_links
from stations.access import staff_profile_of


def staff_role(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    profile = staff_profile_of(user) if user is not None else None
    return {"staff": profile, "extra_nav_links": nav_links(profile)}
