"""Credential and preference actions from the person page's labour panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from labour.forms import ClaimForm, PreferenceForm, VerifyForm
from labour.models import Credential
from labour.services.access import ACTING_ROLES
from labour.services.credentials import record_claim, reject, set_preferences, verify
from labour.services.decisions import end_placement
from labour.services.handover import HAND_OVER_ROLES, hand_over
from labour.views import error_messages
from people.queries import scoped_person
from stations.access import role_required
from stations.roles import Role


def _report(request: HttpRequest, action, success: str) -> None:
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, success)


@require_POST
@role_required(*ACTING_ROLES)
def credential_claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_claim(request, pk)


@require_POST
@role_required(Role.REGISTRAR)
def credential_claim_at_station(request: HttpRequest, pk: int) -> HttpResponse:
    """Registrars record a claim heard at registration; verifying it stays with labour."""
    return _record_claim(request, pk)


def _record_claim(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the diploma, certificate or skill."))
        return redirect("person-detail", pk=person.pk)
    data = form.cleaned_data
    _report(
        request,
        lambda: record_claim(
            user=request.user,
            person=person,
            kind=data["kind"],
            name=data["name"],
            years=data["years"],
            institution=data["institution"],
        ),
        _("Claim recorded."),
    )
    return redirect("person-detail", pk=person.pk)


@require_POST
@role_required(*ACTING_ROLES)
def credential_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    credential = get_object_or_404(Credential.objects.select_related("person__station"), pk=pk)
    person = scoped_person(request.staff, credential.person_id)
    if decision == "verify":
        form = VerifyForm(request.POST)
        data = form.cleaned_data if form.is_valid() else {"evidence": ""}
        _report(
            request,
            lambda: verify(user=request.user, credential=credential, **data),
            _("Credential verified."),
        )
    elif decision == "reject":
        _report(
            request,
            lambda: reject(
                user=request.user, credential=credential, reason=request.POST.get("reason", "")
            ),
            _("Claim rejected; it stays on record."),
        )
    else:
        raise Http404
    return redirect("person-detail", pk=person.pk)


@require_POST
@role_required(*ACTING_ROLES)
def preferences(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    form = PreferenceForm(request.POST)
    if form.is_valid():
        _report(
            request,
            lambda: set_preferences(user=request.user, person=person, wishes=form.wishes()),
            _("Preferences saved."),
        )
    return redirect("person-detail", pk=person.pk)


@require_POST
@role_required(*ACTING_ROLES)
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    _report(
        request,
        lambda: end_placement(
            user=request.user, person=person, reason=request.POST.get("reason", "")
        ),
        _("The placement has ended; the person left the job."),
    )
    return redirect("person-detail", pk=person.pk)


@require_POST
@role_required(*HAND_OVER_ROLES)
def hand_over_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand the person (and their household, ready with them) over for placement."""
    person = scoped_person(request.staff, pk)
    _report(
        request,
        lambda: hand_over(user=request.user, person=person),
        _("Handed over for placement, with the household members ready with them."),
    )
    return redirect("person-detail", pk=person.pk)
