"""What the person page offers as the next step: the page of the action that owns it (or a
button that calls that action), never a bare change of state. The journey table
(people/journey.py) says which action owns which step; this says where that action lives."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from people import journey
from people.models import Person
from people.states import JourneyState as S
from stations.models import StaffProfile
from stations.roles import Role


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    method: str = "get"  # "post": a button that takes the step; "get": the page that does


# Where each owning action is done, and how: (url name, method, label).
_WHERE = {
    journey.ARRIVAL: ("person-register-arrival", "post", _("Register the arrival")),
    journey.FILES_CHECK: ("identity-person-check", "get", _("Open the files check")),
    journey.ADMISSION: ("health-record", "get", _("Admit to quarantine")),
    journey.CLEARANCE: ("health-record", "get", _("Quarantine checklist and clearance")),
    journey.HAND_OVER: ("labour-hand-over", "post", _("Hand over for placement")),
    journey.APPROVAL: ("labour-home", "get", _("Placement runs")),
}


def next_actions(person: Person, profile: StaffProfile | None) -> list[Action]:
    """The actions that take this person's next regular steps, for the viewer's role."""
    if profile is None or profile.role == Role.AUDITOR:
        return []
    actions: list[Action] = []
    for step in journey.next_steps(person.state):
        if profile.role not in step.roles and profile.role != Role.ADMINISTRATOR:
            continue
        for owner in step.owners:
            where = _WHERE.get(owner)
            if where is None:
                continue
            url_name, method, label = where
            args = [] if url_name == "labour-home" else [person.pk]
            action = Action(str(label), reverse(url_name, args=args), method)
            if action not in actions:
                actions.append(action)
    return actions


# The panels further down the page take the steps not listed above (outcomes of a placement,
# crossings, documents); these states say so in words.
PANEL_HINTS = {
    S.PLACED: _("Record arrival at work or leaving the job on the labour panel below."),
    S.AT_WORK: _("Record a move, leaving the job or a return on the panels below."),
    S.MOVED: _("Record arrival at work on the labour panel below."),
    S.RETURNED: _("When the person comes back, record the crossing below."),
    S.MERGED: _(
        "This record was closed as a second record of one person; see the files check panel."
    ),
}


def who_takes_the_next_step(state: str) -> str:
    """For a role with nothing to do here: which step comes next and who takes it, so that
    nobody wonders whether the person is stuck."""
    from stations.access import roles_in_words

    order = list(S)
    forward = [
        step
        for step in journey.next_steps(state)
        if step.roles
        and step.target not in (S.RETURNED, S.MERGED)
        and order.index(step.target) > order.index(S(state))
    ]
    if not forward:
        return str(_("Your role has no regular step from this state."))
    step = forward[0]
    return str(
        _("Next: “%(step)s”, by %(roles)s.")
        % {"step": step.label, "roles": roles_in_words(step.roles)}
    )
