"""Pages for complaints and appeals: the list (overdue first), filing, and the case page where
the responsible officer is named, the answer recorded and the case closed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from people.queries import visible_persons
from reports import grievances as service
from reports.models import Grievance
from stations.access import role_required
from stations.roles import Role
from waystation import clock

READING_ROLES = (*service.FILING_ROLES, Role.AUDITOR)


class GrievanceForm(forms.Form):
    filing = forms.ChoiceField(label=gettext_lazy("Filed as"), choices=Grievance.Filing.choices)
    kind = forms.ChoiceField(label=gettext_lazy("About"), choices=Grievance.Kind.choices)
    subject = forms.CharField(
        label=gettext_lazy("What the person says"), widget=forms.Textarea, max_length=2000
    )


def _grievance(request: HttpRequest, pk: int) -> Grievance:
    grievance = (
        service.visible_grievances(request.staff)
        .select_related("person__station", "responsible")
        .filter(pk=pk)
        .first()
    )
    if grievance is None:
        raise Http404
    return grievance


@role_required(*READING_ROLES)
def grievance_list(request: HttpRequest) -> HttpResponse:
    # the holders of the page's cases only, by id, once the page is cut
    cases = (
        service.visible_grievances(request.staff)
        .select_related("responsible")
        .prefetch_related("person")
    )
    only_overdue = request.GET.get("overdue") == "1"
    if only_overdue:
        cases = service.overdue(cases)
    context = {
        "cases": cases[:200],
        "only_overdue": only_overdue,
        "overdue_count": service.overdue(service.visible_grievances(request.staff)).count(),
        "today": clock.today(),
    }
    return render(request, "reports/grievance_list.html", context)


@role_required(*service.FILING_ROLES)
def grievance_new(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = visible_persons(request.staff).select_related("station").filter(pk=person_pk).first()
    if person is None:
        raise Http404
    form = GrievanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grievance, _created = service.file_grievance(
                user=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    form.add_error(None, problem)
        else:
            messages.success(request, _("Filed as case %(number)s.") % {"number": grievance})
            return redirect("reports:grievance", pk=grievance.pk)
    return render(request, "reports/grievance_form.html", {"form": form, "person": person})


@role_required(*READING_ROLES)
def grievance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grievance = _grievance(request, pk)
    can_act = request.staff.role in service.OFFICER_ROLES
    context = {
        "case": grievance,
        "can_act": can_act,
        "officers": service.officers_for(grievance) if can_act else [],
        "overdue": grievance.state in service.OPEN_STATES and grievance.due_on < clock.today(),
    }
    return render(request, "reports/grievance_detail.html", context)


@require_POST
@role_required(*service.OFFICER_ROLES)
def grievance_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    grievance = _grievance(request, pk)
    try:
        if action == "assign":
            officer = next(
                (
                    u
                    for u in service.officers_for(grievance)
                    if str(u.pk) == request.POST.get("officer")
                ),
                None,
            )
            if officer is None:
                raise ValidationError({"officer": [_("Choose an officer who works in this area.")]})
            try:
                due_on = dt.date.fromisoformat(request.POST.get("due_on", ""))
            except ValueError as error:
                raise ValidationError({"due_on": [_("Give the date as YYYY-MM-DD.")]}) from error
            service.assign(user=request.user, grievance=grievance, officer=officer, due_on=due_on)
        elif action == "answer":
            service.answer(
                user=request.user, grievance=grievance, text=request.POST.get("answer", "")
            )
        elif action == "close":
            service.close(user=request.user, grievance=grievance)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Your role may not do this."))
    else:
        messages.success(request, _("Saved."))
    return redirect("reports:grievance", pk=grievance.pk)
