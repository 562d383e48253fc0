from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from intake.models import EditConflict
from people.models import Person
from stations.access import staff_profile_of
from stations.roles import Role


def person_panel(request: HttpRequest, person: Person) -> SafeString | str:
    """A link to edit the person, and any edit conflicts waiting for a registrar."""
    profile = getattr(request, "staff", None) or staff_profile_of(request.user)
    if profile is None or profile.role not in (Role.REGISTRAR, Role.ADMINISTRATOR):
        return ""
    conflicts = EditConflict.objects.filter(person=person, status=EditConflict.Status.OPEN)
    return mark_safe(  # noqa: S308 - a rendered template, escaped by Django
        render_to_string(
            "intake/_person_panel.html",
            {"person": person, "conflicts": list(conflicts)},
            request=request,
        )
    )
