"""The household-wide actions (POST only, back to the person page they were taken from).
The rules and the checks of each member are in households/services.py and the apps it calls."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from documents import services as documents
from documents.forms import RequestForm
from documents.rules import RULES
from health.rules import MEDICAL_ROLES
from households import services
from people.models import Household, Person
from stations.access import StaffRequest, role_required, scoped_or_404
from supplies.services import WRITE_ROLES as SUPPLIES_ROLES

REQUESTING_ROLES = frozenset(role for rule in RULES.values() for role in rule.requested_by)


def _back(request: StaffRequest, household: Household) -> HttpResponse:
    back = request.POST.get("back", "")
    members = Person.objects.filter(household=household)
    member = members.filter(pk=int(back)).first() if back.isdigit() else None
    # a household registered without a head still has members to come back to
    landing = member.pk if member else household.head_id or members.order_by("pk")[0].pk
    return redirect("person-detail", pk=landing)


@require_POST
@role_required(*MEDICAL_ROLES)
def admit(request: StaffRequest, pk: int) -> HttpResponse:
    household = scoped_or_404(Household.objects.all(), request.staff, pk)
    try:
        stays = services.admit(user=request.user, household=household)
    except services.HouseholdRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            ngettext(
                "Admitted %(n)d member to quarantine.",
                "Admitted %(n)d members to quarantine.",
                len(stays),
            )
            % {"n": len(stays)},
        )
    return _back(request, household)


@require_POST
@role_required(*SUPPLIES_ROLES)
def issue(request: StaffRequest, pk: int) -> HttpResponse:
    household = scoped_or_404(Household.objects.all(), request.staff, pk)
    try:
        issued = services.issue_what_is_due(user=request.user, household=household)
    except services.HouseholdRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            ngettext(
                "Issued %(n)d entitlement to the household.",
                "Issued %(n)d entitlements to the household.",
                len(issued),
            )
            % {"n": len(issued)},
        )
    return _back(request, household)


@require_POST
@role_required(*REQUESTING_ROLES)
def request_documents(request: StaffRequest, pk: int) -> HttpResponse:
    household = scoped_or_404(Household.objects.all(), request.staff, pk)
    members = services.members_of(household)
    offices = [
        o
        for rule in RULES.values()
        for o in (documents.eligible_offices(rule, members[0]) if members else [])
    ]
    form = RequestForm(request.POST, role=request.staff.role, offices=offices, prefix="household")
    chosen = {int(p) for p in request.POST.getlist("persons") if p.isdigit()}
    persons = [m for m in members if m.pk in chosen]
    if not form.is_valid() or not persons:
        messages.error(request, _("Choose the members and the document, and fill in the form."))
        return _back(request, household)
    data = {k: v for k, v in form.cleaned_data.items() if k != "client_uuid"}
    try:
        made = services.request_documents(
            user=request.user, household=household, persons=persons, **data
        )
    except services.HouseholdRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            ngettext(
                "Sent %(n)d request to the documents office.",
                "Sent %(n)d requests to the documents office.",
                len(made),
            )
            % {"n": len(made)},
        )
    return _back(request, household)
