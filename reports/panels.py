"""What the reports app adds to the person page: the outcomes card, with a form for labour
officers to record what became of a placement."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from people.journey import step_between
from people.models import Person
from reports.forms import OutcomeForm
from reports.grievances import FILING_ROLES
from reports.models import OUTCOME_STATES, Grievance, Outcome
from reports.outcomes import RECORDING_ROLES
from stations.roles import Role

VIEWING_ROLES = RECORDING_ROLES | {Role.ADMINISTRATOR, Role.AUDITOR}


def possible_outcomes(person: Person) -> list[tuple[str, str]]:
    """The outcomes whose journey step the person's state allows."""
    return [
        (kind.value, str(kind.label))
        for kind, state in OUTCOME_STATES.items()
        if person.state != state and step_between(person.state, state) is not None
    ]


def person_panel(request: HttpRequest, person: Person) -> SafeString | str:
    profile = getattr(request, "staff", None)
    if profile is None or profile.role not in VIEWING_ROLES:
        return ""
    outcomes = list(Outcome.objects.filter(person=person).select_related("reason", "recorded_by"))
    choices = possible_outcomes(person) if profile.role in RECORDING_ROLES else []
    form = None
    if choices:
        form = OutcomeForm(initial={"client_uuid": uuid.uuid4()})
        form.fields["kind"].choices = choices
    if not outcomes and form is None:
        return ""
    html = render_to_string(
        "reports/_outcome_panel.html",
        {"person": person, "outcomes": outcomes, "form": form},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, autoescaped)


def grievance_panel(request: HttpRequest, person: Person) -> SafeString | str:
    profile = getattr(request, "staff", None)
    if profile is None or profile.role not in (*FILING_ROLES, Role.AUDITOR):
        return ""
    cases = list(Grievance.objects.filter(person=person).order_by("-filed_at"))
    if not cases and profile.role not in FILING_ROLES:
        return ""
    html = render_to_string(
        "reports/_grievance_panel.html",
        {"person": person, "cases": cases, "can_file": profile.role in FILING_ROLES},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, autoescaped)
