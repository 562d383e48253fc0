"""Quarantine pages for medical officers: the station board, a person's health record with
the checklist actions, and the vaccination exports. Thin: the rules are in services.py."""

import datetime as dt
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from health import exports, forms, services
from health.models import QuarantineStay
from health.queries import board
from people.audit import AuditEntry, record_audit
from people.journey import TransitionRefused
from people.models import Person
from people.queries import scoped_person
from people.states import JourneyState
from stations.access import role_required, visible_stations
from stations.roles import Role
from supplies import beds
from waystation import clock


def error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return (
            [m for messages_ in error.message_dict.values() for m in messages_]
            if hasattr(error, "error_dict")
            else list(error.messages)
        )
    return [str(error) or _("Your role may not do this.")]


def reference_date(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return clock.today()


@role_required(Role.MEDICAL_OFFICER)
def quarantine_home(request: HttpRequest) -> HttpResponse:
    return redirect("health-board", code=request.staff.station.code)


@role_required(Role.MEDICAL_OFFICER)
def board_view(request: HttpRequest, code: str) -> HttpResponse:
    station = visible_stations(request.staff).filter(code=code).first()
    if station is None:
        raise Http404
    today = reference_date(request)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    due_only = request.GET.get("due") == "1"
    waiting = Person.objects.filter(station=station, state=JourneyState.IDENTITY_CHECKED)
    result = board(station, today, page, due_only)
    # One entry per page read: it shows what is missing for each person listed.
    record_audit(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        station=station,
        reason=_("Quarantine board"),
        detail={"page": result.page, "stays": [row.stay.pk for row in result.rows]},
    )
    context = {
        "board": result,
        "due_only": due_only,
        "waiting": list(waiting.order_by("household_id", "id")[:50]),
        "waiting_count": waiting.count(),
    }
    return render(request, "health/board.html", context)


@role_required(Role.MEDICAL_OFFICER)
def health_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    stays = list(
        QuarantineStay.objects.filter(person=person)
        .select_related("station")
        .prefetch_related("vaccinations__vaccine", "examinations__disease", "adjustments")
        .order_by("-started_on", "-id")
    )
    record_audit(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        obj=person,
        person=person,
        reason=_("Health record"),
    )
    current = next((s for s in stays if s.status == QuarantineStay.Status.OPEN), None)
    today = clock.today()
    context = {
        "person": person,
        "stays": stays,
        "current": current,
        "bed": beds.current_bed(person),  # the supplies app's, the only beds there are
        "checklist": services.checklist_of(current) if current else None,
        "day": (today - current.started_on).days + 1 if current else None,
        "today": today,
        "can_admit": person.state == JourneyState.IDENTITY_CHECKED,
        "admit_form": forms.AdmitForm(),
        "hygiene_form": forms.HygieneForm(),
        "vaccination_form": forms.VaccinationForm(initial={"given_on": today}),
        "examination_form": forms.ExaminationForm(),
        "adjust_form": forms.AdjustForm(),
        "clear_form": forms.ClearForm(),
    }
    return render(request, "health/record.html", context)


ACTIONS = {
    "admit": forms.AdmitForm,
    "wash": forms.HygieneForm,
    "disinfect": forms.HygieneForm,
    "vaccinate": forms.VaccinationForm,
    "examine": forms.ExaminationForm,
    "adjust": forms.AdjustForm,
    "clear": forms.ClearForm,
}
DONE = {
    "admit": gettext_lazy("Admitted to quarantine."),
    "wash": gettext_lazy("Washing recorded."),
    "disinfect": gettext_lazy("Disinfection recorded."),
    "vaccinate": gettext_lazy("Vaccination recorded."),
    "examine": gettext_lazy("Examination recorded."),
    "adjust": gettext_lazy("Planned end changed."),
    "clear": gettext_lazy("Medical clearance recorded."),
}


def _run(action: str, request: HttpRequest, person: Person, data: dict) -> None:
    user = request.user
    if action == "admit":
        services.admit(user=user, person=person, **data)
    elif action in ("wash", "disinfect"):
        services.record_hygiene(user=user, person=person, step=action, on=data["on"])
    elif action == "vaccinate":
        services.record_vaccination(user=user, person=person, **data)
    elif action == "examine":
        services.record_examination(user=user, person=person, **data)
    elif action == "adjust":
        services.adjust_stay(user=user, person=person, **data)
    else:
        services.clear(user=user, person=person, notes=data["notes"])


@require_POST
@role_required(Role.MEDICAL_OFFICER)
def health_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    person = scoped_person(request.staff, pk)
    form = ACTIONS[action](request.POST)
    if not form.is_valid():
        for name, problems in form.errors.items():
            for problem in problems:
                messages.error(
                    request,
                    f"{form.fields[name].label}: {problem}" if name in form.fields else problem,
                )
        return redirect("health-record", pk=person.pk)
    try:
        _run(action, request, person, form.cleaned_data)
    except (ValidationError, PermissionDenied, TransitionRefused) as error:
        for problem in error_messages(error):
            messages.error(request, problem)
    else:
        messages.success(request, str(DONE[action]))
    return redirect("health-record", pk=person.pk)


@role_required(Role.MEDICAL_OFFICER)
def immunizations_json(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    record_audit(
        user=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=person,
        person=person,
        detail={"format": "fhir-r4"},
    )
    body = json.dumps(exports.fhir_bundle(person), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="immunizations-{person.pk}.json"'
    return response


@role_required(Role.MEDICAL_OFFICER)
def vaccination_card(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    record_audit(
        user=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=person,
        person=person,
        detail={"format": "pdf-card"},
    )
    response = HttpResponse(exports.vaccination_card_pdf(person), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vaccination-card-{person.pk}.pdf"'
    return response
