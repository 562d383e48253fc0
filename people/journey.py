"""The journey state machine: the one place that says which step may follow which, and who takes it.

Every other module asks `check_transition` before moving a person. A step the rules do not
allow is refused with a message saying why and what would be allowed; an officer with the
right may still force it with a written reason, and that override is recorded as such.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.states import JourneyState as S
from stations.roles import Role


@dataclass(frozen=True)
class Step:
    source: S
    target: S
    roles: frozenset[Role]
    label: str


def _step(source: S, target: S, label: str, *roles: Role) -> Step:
    return Step(source, target, frozenset(roles), label)


_RETURNABLE = (
    S.ARRIVED,
    S.REGISTERED,
    S.IDENTITY_CHECKED,
    S.IN_QUARANTINE,
    S.MEDICALLY_CLEARED,
    S.AWAITING_PLACEMENT,
    S.PLACED,
    S.AT_WORK,
    S.LEFT_JOB,
    S.MOVED,
    S.RESIDENCY_GRANTED,
)

STEPS: tuple[Step, ...] = (
    _step(S.ARRIVED, S.REGISTERED, gettext_lazy("Register"), Role.REGISTRAR),
    _step(
        S.REGISTERED, S.IDENTITY_CHECKED, gettext_lazy("Complete the files check"), Role.REGISTRAR
    ),
    _step(
        S.IDENTITY_CHECKED,
        S.IN_QUARANTINE,
        gettext_lazy("Admit to quarantine"),
        Role.MEDICAL_OFFICER,
    ),
    _step(
        S.IN_QUARANTINE, S.MEDICALLY_CLEARED, gettext_lazy("Clear medically"), Role.MEDICAL_OFFICER
    ),
    _step(
        S.MEDICALLY_CLEARED,
        S.AWAITING_PLACEMENT,
        gettext_lazy("Hand over for placement"),
        Role.REGISTRAR,
        Role.LABOUR_OFFICER,
    ),
    _step(S.AWAITING_PLACEMENT, S.PLACED, gettext_lazy("Place in work"), Role.LABOUR_OFFICER),
    _step(S.PLACED, S.AT_WORK, gettext_lazy("Record arrival at work"), Role.LABOUR_OFFICER),
    _step(S.PLACED, S.LEFT_JOB, gettext_lazy("Record leaving the job"), Role.LABOUR_OFFICER),
    _step(S.AT_WORK, S.LEFT_JOB, gettext_lazy("Record leaving the job"), Role.LABOUR_OFFICER),
    _step(S.AT_WORK, S.MOVED, gettext_lazy("Record a move"), Role.LABOUR_OFFICER),
    _step(S.MOVED, S.AT_WORK, gettext_lazy("Record arrival at work"), Role.LABOUR_OFFICER),
    _step(S.LEFT_JOB, S.AWAITING_PLACEMENT, gettext_lazy("Place again"), Role.LABOUR_OFFICER),
    _step(S.AT_WORK, S.RESIDENCY_GRANTED, gettext_lazy("Grant residency"), Role.DOCUMENTS_OFFICER),
    _step(S.MOVED, S.RESIDENCY_GRANTED, gettext_lazy("Grant residency"), Role.DOCUMENTS_OFFICER),
    *(
        _step(
            source,
            S.RETURNED,
            gettext_lazy("Record return across the border"),
            Role.REGISTRAR,
            Role.LABOUR_OFFICER,
        )
        for source in _RETURNABLE
    ),
    _step(S.RETURNED, S.ARRIVED, gettext_lazy("Record a new arrival"), Role.REGISTRAR),
)

_STEP_BY_PAIR = {(step.source, step.target): step for step in STEPS}

# What a state needs before it, in words, for refusals of a skipped step.
_PREREQUISITE = {
    S.IDENTITY_CHECKED: gettext_lazy("registration"),
    S.IN_QUARANTINE: gettext_lazy("the files check"),
    S.MEDICALLY_CLEARED: gettext_lazy("a quarantine stay"),
    S.AWAITING_PLACEMENT: gettext_lazy("medical clearance"),
    S.PLACED: gettext_lazy("medical clearance and a wait for placement"),
    S.AT_WORK: gettext_lazy("a placement"),
    S.LEFT_JOB: gettext_lazy("a placement"),
    S.MOVED: gettext_lazy("being at work"),
    S.RESIDENCY_GRANTED: gettext_lazy("being at work"),
    S.REGISTERED: gettext_lazy("an arrival"),
    S.ARRIVED: gettext_lazy("a return across the border"),
}


class TransitionRefused(Exception):
    """A step the rules forbid; the message is for the officer at the desk."""


@dataclass(frozen=True)
class Approval:
    source: S
    target: S
    is_override: bool


def step_between(source: str, target: str) -> Step | None:
    return _STEP_BY_PAIR.get((S(source), S(target)))


def next_steps(state: str, role: str | None = None) -> list[Step]:
    """The regular steps out of `state`, optionally only those `role` may take."""
    return [step for step in STEPS if step.source == state and (role is None or role in step.roles)]


def override_roles(target: str) -> frozenset[Role]:
    """Who may force a person into `target` against the rules: whoever normally moves people
    there, and administrators. Auditors never change anything."""
    regular = set()
    for step in STEPS:
        if step.target == target:
            regular |= step.roles
    return frozenset(regular | {Role.ADMINISTRATOR})


def _label(state: str) -> str:
    return str(S(state).label)


def check_transition(source: str, target: str, role: str, override_reason: str = "") -> Approval:
    """Approve the step or raise TransitionRefused with a message saying why and what to do."""
    source_state, target_state = S(source), S(target)
    reason = (override_reason or "").strip()
    if role == Role.AUDITOR:
        raise TransitionRefused(_("Auditors can read records but not change them."))
    if source_state == target_state:
        raise TransitionRefused(
            _("The person is already in the state “%(state)s”.") % {"state": _label(source)}
        )
    step = _STEP_BY_PAIR.get((source_state, target_state))
    if step is not None and role in step.roles:
        return Approval(source_state, target_state, is_override=False)
    if step is not None and not reason:
        raise TransitionRefused(
            _("Only %(roles)s may take the step “%(step)s”.")
            % {"roles": _role_list(step.roles), "step": step.label}
        )
    if step is None and not reason:
        raise TransitionRefused(_forbidden_message(source_state, target_state))
    if role not in override_roles(target_state):
        raise TransitionRefused(
            _("Only %(roles)s may override the rules to move a person to “%(state)s”.")
            % {"roles": _role_list(override_roles(target_state)), "state": _label(target)}
        )
    return Approval(source_state, target_state, is_override=True)


def _forbidden_message(source: S, target: S) -> str:
    allowed = ", ".join(f"“{_label(step.target)}”" for step in next_steps(source))
    return _(
        "A person cannot go from “%(source)s” to “%(target)s”: that needs %(needs)s first. "
        "From “%(source)s” the next steps are: %(allowed)s. An officer with the right may "
        "override this with a written reason."
    ) % {
        "source": _label(source),
        "target": _label(target),
        "needs": _PREREQUISITE.get(target, _("the steps before it")),
        "allowed": allowed or _("none"),
    }


def _role_list(roles: frozenset[Role]) -> str:
    return ", ".join(str(Role(role).label).lower() for role in sorted(roles))
