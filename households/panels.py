"""The household card on the person page: the members with their relationship to the head,
and the household-wide actions the viewer's role may take."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from documents import services as documents
from documents.forms import RequestForm
from documents.rules import RULES, requestable_types
from health.rules import MEDICAL_ROLES
from households.services import members_of
from people.models import Person
from stations.models import StaffProfile
from stations.roles import Role
from supplies.services import WRITE_ROLES as SUPPLIES_ROLES


def person_panel(request: HttpRequest, person: Person) -> SafeString | str:
    profile: StaffProfile | None = getattr(request, "staff", None)
    household = person.household
    if profile is None or household is None:
        return ""
    members = members_of(household)
    if len(members) < 2:
        return ""
    role = profile.role
    may_request = bool(requestable_types(role)) and role != Role.AUDITOR
    offices = [o for rule in RULES.values() for o in documents.eligible_offices(rule, person)]
    context = {
        "person": person,
        "household": household,
        "members": members,
        "can_admit": role in MEDICAL_ROLES,
        "can_issue": role in SUPPLIES_ROLES,
        "request_form": RequestForm(role=role, offices=offices, prefix="household")
        if may_request and offices
        else None,
    }
    return mark_safe(render_to_string("households/_person_panel.html", context, request=request))  # noqa: S308
