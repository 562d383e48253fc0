"""The journey: which step may follow which, who takes it, and which domain action owns it.

`STEPS` is the whole table, and the only place where the rules of the journey meet: each row
names the step's source and target, the roles that may take it, the domain action that owns it
(the only code that may take it: admission creates the stay, clearance needs the checklist,
placement needs an approved placement), the guards that must hold, and the effects that run
in the step's transaction. Guards and effects live in the apps that know them and are named
here by dotted path, so this table can be read, printed (`manage.py journey`) and tested
without the apps registering anything at start-up.

A step the rules refuse raises TransitionRefused with a message for the officer at the desk.
An officer with the right may force a state with a written reason (`people.moves.override`),
audited, except into states that stand for a record only their owner creates (a quarantine
stay, a placement, a merge).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.states import PRESENT_AT_STATION
from people.states import JourneyState as S
from stations.roles import Role

if TYPE_CHECKING:
    from people.models import Person
    from stations.models import StaffProfile

Guard = Callable[["Person", str, "StaffProfile"], "str | None"]
Effect = Callable[[Any, "Person", str], None]

REGISTRATION = "people.services.register_household"
ARRIVAL = "people.services.register_arrival"
FILES_CHECK = "identity.services.complete_files_check"
ADMISSION = "health.services.admit"
CLEARANCE = "health.services.clear"
HAND_OVER = "labour.services.handover.hand_over"
APPROVAL = "labour.services.decisions.approve_run"
OUTCOME = "reports.outcomes.record_outcome"
END_PLACEMENT = "labour.services.decisions.end_placement"
MOVE = "labour.services.moves.step_moved_people"
RESIDENCY = "documents.residency.take_granted_step"
CROSSING = "people.moves.record_crossing"
MERGE = "identity.services.merge_records"
UNMERGE = "identity.services.unmerge_records"
OVERRIDE = "people.moves.override"

# What leaving a place ends: the human is no longer in quarantine, in a bed or in a job there.
CLOSE_STAY = "health.services.close_open_stay"
FREE_BED = "supplies.beds.release_on_departure"
END_JOB = "labour.services.decisions.end_placement_on_departure"
LEAVING_EFFECTS = (CLOSE_STAY, FREE_BED, END_JOB)

# A guard that stands for a record: not even an override passes it.
NEEDS_STAY = "health.services.stay_guard"
NEEDS_CLEARANCE = "health.services.clearance_guard"
NEEDS_PLACEMENT = "labour.services.decisions.placed_guard"
RECORD_GUARDS = frozenset({NEEDS_STAY, NEEDS_CLEARANCE, NEEDS_PLACEMENT})


@dataclass(frozen=True)
class Step:
    source: S
    target: S
    roles: frozenset[Role]
    label: str | Promise
    owners: tuple[str, ...]
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()


def _rows(
    sources: tuple[S, ...],
    target: S,
    label: str | Promise,
    roles: tuple[Role, ...],
    owners: tuple[str, ...],
    guards: tuple[str, ...] = (),
    effects: tuple[str, ...] = (),
) -> tuple[Step, ...]:
    return tuple(
        Step(source, target, frozenset(roles), label, owners, guards, effects)
        for source in sources
        if source != target
    )


LIVE = tuple(state for state in S if state != S.MERGED)
AWAY_FROM_STATION = tuple(state for state in LIVE if state not in PRESENT_AT_STATION)
REGISTRAR, MEDICAL, LABOUR = Role.REGISTRAR, Role.MEDICAL_OFFICER, Role.LABOUR_OFFICER

STEPS: tuple[Step, ...] = (
    *_rows(
        (S.ARRIVED,),
        S.REGISTERED,
        gettext_lazy("Register"),
        (REGISTRAR,),
        (ARRIVAL, REGISTRATION, MERGE),
    ),
    # A person recognised at registration as someone on file: the new crossing and whatever
    # the form added go to the earlier record, which starts the journey again from here.
    *_rows(
        tuple(s for s in LIVE if s not in (S.ARRIVED, S.REGISTERED)),
        S.REGISTERED,
        gettext_lazy("Register again on a new arrival"),
        (REGISTRAR,),
        (REGISTRATION, MERGE),
        effects=LEAVING_EFFECTS,
    ),
    *_rows(
        (S.REGISTERED,),
        S.IDENTITY_CHECKED,
        gettext_lazy("Complete the files check"),
        (REGISTRAR,),
        (FILES_CHECK,),
        guards=("identity.services.files_check_guard",),
    ),
    *_rows(
        (S.IDENTITY_CHECKED,),
        S.IN_QUARANTINE,
        gettext_lazy("Admit to quarantine"),
        (MEDICAL,),
        (ADMISSION,),
        guards=(NEEDS_STAY,),
    ),
    *_rows(
        (S.IN_QUARANTINE,),
        S.MEDICALLY_CLEARED,
        gettext_lazy("Clear medically"),
        (MEDICAL,),
        (CLEARANCE,),
        guards=(NEEDS_CLEARANCE,),
    ),
    *_rows(
        (S.MEDICALLY_CLEARED,),
        S.AWAITING_PLACEMENT,
        gettext_lazy("Hand over for placement"),
        (REGISTRAR, LABOUR),
        (HAND_OVER,),
    ),
    *_rows(
        (S.AWAITING_PLACEMENT,),
        S.PLACED,
        gettext_lazy("Place in work"),
        (LABOUR,),
        (APPROVAL,),
        guards=(NEEDS_PLACEMENT,),
    ),
    *_rows(
        (S.PLACED, S.MOVED),
        S.AT_WORK,
        gettext_lazy("Record arrival at work"),
        (LABOUR,),
        (OUTCOME,),
        guards=(NEEDS_PLACEMENT,),
    ),
    *_rows(
        (S.PLACED, S.AT_WORK, S.MOVED),
        S.LEFT_JOB,
        gettext_lazy("Record leaving the job"),
        (LABOUR,),
        (END_PLACEMENT, OUTCOME),
        guards=("labour.services.decisions.placement_guard",),
    ),
    *_rows(
        (S.AT_WORK,),
        S.MOVED,
        gettext_lazy("Record a move"),
        (LABOUR,),
        (MOVE, OUTCOME),
        guards=(NEEDS_PLACEMENT,),
    ),
    *_rows(
        (S.LEFT_JOB,), S.AWAITING_PLACEMENT, gettext_lazy("Place again"), (LABOUR,), (HAND_OVER,)
    ),
    *_rows(
        (S.AT_WORK, S.MOVED),
        S.RESIDENCY_GRANTED,
        gettext_lazy("Grant residency"),
        (Role.DOCUMENTS_OFFICER,),
        (RESIDENCY,),
        guards=("documents.residency.residency_guard",),
    ),
    *_rows(
        tuple(s for s in LIVE if s != S.RETURNED),
        S.RETURNED,
        gettext_lazy("Record return across the border"),
        (REGISTRAR, LABOUR),
        (CROSSING, OUTCOME),
        effects=LEAVING_EFFECTS,
    ),
    *_rows(
        (S.RETURNED,), S.ARRIVED, gettext_lazy("Record a new arrival"), (REGISTRAR,), (CROSSING,)
    ),
    *_rows(
        LIVE,
        S.MERGED,
        gettext_lazy("Close as a second record of one person"),
        (REGISTRAR,),
        (MERGE,),
        effects=LEAVING_EFFECTS,
    ),
)

# Undoing a merge gives the closed record back the state it had (identity.services), or the
# nearest one the merge left true: its open stay and its job ended with the merge.
RESTORED_AS = {
    S.IN_QUARANTINE: S.IDENTITY_CHECKED,
    S.PLACED: S.AWAITING_PLACEMENT,
    S.AT_WORK: S.AWAITING_PLACEMENT,
    S.MOVED: S.AWAITING_PLACEMENT,
}
STEPS += tuple(
    Step(
        S.MERGED,
        state,
        frozenset({Role.ADMINISTRATOR}),
        gettext_lazy("Restore after undoing a merge"),
        (UNMERGE,),
        guards=(NEEDS_CLEARANCE,) if state == S.MEDICALLY_CLEARED else (),
    )
    for state in LIVE
    if state not in RESTORED_AS
)

_STEP_BY_PAIR = {(step.source, step.target): step for step in STEPS}

# States only their owner's record makes true (and undoing a merge restores a record's own
# state): no override reaches them.
NOT_FORCIBLE = frozenset(
    {S.IN_QUARANTINE, S.MEDICALLY_CLEARED, S.PLACED, S.AT_WORK, S.MOVED, S.MERGED}
)

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
    S.MERGED: gettext_lazy("the files check finding an earlier record"),
}

# Effects of a forced state: an override that takes a person out of quarantine or away from
# the station ends what the regular step would have ended; one that sends a placed person back
# to the station (to wait for placement again) ends the job they no longer hold.
_OVERRIDE_EFFECTS = {
    target: (CLOSE_STAY, END_JOB) if target in PRESENT_AT_STATION else LEAVING_EFFECTS
    for target in S
    if target not in (S.IN_QUARANTINE, S.MEDICALLY_CLEARED, S.MERGED)
}


class TransitionRefused(Exception):
    """A step the rules forbid; the message is for the officer at the desk."""


class NotTheOwner(Exception):
    """A programming error: code other than the step's owner tried to take it."""


@dataclass(frozen=True)
class Approval:
    source: S
    target: S
    is_override: bool
    step: Step | None = None

    @property
    def effects(self) -> tuple[str, ...]:
        if self.step is not None and not self.is_override:
            return self.step.effects
        return _OVERRIDE_EFFECTS.get(self.target, ())


def step_between(source: str, target: str) -> Step | None:
    return _STEP_BY_PAIR.get((S(source), S(target)))


def next_steps(state: str, role: str | None = None) -> list[Step]:
    """The regular steps out of `state`, optionally only those `role` may take."""
    return [step for step in STEPS if step.source == state and (role is None or role in step.roles)]


def override_roles(target: str) -> frozenset[Role]:
    """Who may force a person into `target` against the rules: whoever normally moves people
    there, and administrators. Auditors never change anything."""
    if S(target) in NOT_FORCIBLE:
        return frozenset()
    regular: set[Role] = set()
    for step in STEPS:
        if step.target == target:
            regular |= step.roles
    return frozenset(regular | {Role.ADMINISTRATOR})


def forcible_targets(state: str, role: str) -> list[S]:
    """The states `role` may force a person in `state` into, with a written reason."""
    return [target for target in S if target != state and role in override_roles(target.value)]


def _label(state: str) -> str:
    return str(S(state).label)


def check_step(source: str, target: str, role: str, owner: str) -> Approval:
    """Approve a regular step taken by `owner`, or raise TransitionRefused saying why."""
    source_state, target_state = S(source), S(target)
    if role == Role.AUDITOR:
        raise TransitionRefused(_("Auditors can read records but not change them."))
    if source_state == target_state:
        raise TransitionRefused(
            _("The person is already in the state “%(state)s”.") % {"state": _label(source)}
        )
    step = _STEP_BY_PAIR.get((source_state, target_state))
    if step is None:
        raise TransitionRefused(_forbidden_message(source_state, target_state))
    if owner not in step.owners:
        raise NotTheOwner(f"{owner} does not own the step {source} -> {target}: {step.owners}")
    if role not in step.roles and role != Role.ADMINISTRATOR:
        raise TransitionRefused(
            _("Only %(roles)s may take the step “%(step)s”.")
            % {"roles": _roles_in_words(step.roles | {Role.ADMINISTRATOR}), "step": step.label}
        )
    return Approval(source_state, target_state, is_override=False, step=step)


def check_override(source: str, target: str, role: str, reason: str) -> Approval:
    """Approve forcing a state with a written reason, or raise TransitionRefused."""
    source_state, target_state = S(source), S(target)
    if role == Role.AUDITOR:
        raise TransitionRefused(_("Auditors can read records but not change them."))
    if source_state == target_state:
        raise TransitionRefused(
            _("The person is already in the state “%(state)s”.") % {"state": _label(source)}
        )
    if source_state == S.MERGED:
        raise TransitionRefused(
            _("This record was merged into another; undo the merge on the files check instead.")
        )
    if target_state in NOT_FORCIBLE:
        raise TransitionRefused(_not_forcible_message(target_state))
    if not (reason or "").strip():
        raise TransitionRefused(_("An override needs a written reason."))
    if role not in override_roles(target_state):
        raise TransitionRefused(
            _("Only %(roles)s may override the rules to move a person to “%(state)s”.")
            % {"roles": _roles_in_words(override_roles(target_state)), "state": _label(target)}
        )
    return Approval(source_state, target_state, is_override=True, step=step_between(source, target))


def guard_problems(approval: Approval, person: Person, profile: StaffProfile) -> list[str]:
    """What the step's guards say stands in its way; an override passes every guard except
    those that stand for a record (a stay, a clearance, a placement)."""
    if approval.step is None:
        return []
    return [
        problem
        for path in approval.step.guards
        if not (approval.is_override and path not in RECORD_GUARDS)
        if (problem := resolve(path)(person, approval.target.value, profile))
    ]


def run_effects(approval: Approval, user: Any, person: Person) -> None:
    for path in approval.effects:
        resolve(path)(user, person, approval.target.value)


@cache
def resolve(path: str) -> Callable[..., Any]:
    return import_string(path)


def _not_forcible_message(target: S) -> str:
    messages = {
        S.IN_QUARANTINE: _("Admit the person on the quarantine page: admission records the stay."),
        S.MEDICALLY_CLEARED: _(
            "Clear the person on the health record: clearance needs the checklist."
        ),
        S.PLACED: _("Place people through a labour placement run: it records where they work."),
        S.AT_WORK: _("Record arrival at work on the labour panel of a placed person."),
        S.MOVED: _("Record a move on the labour panel of a placed person."),
        S.MERGED: _("Records are merged by the files check."),
    }
    return messages[target]


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


def _roles_in_words(roles: frozenset[Role]) -> str:
    from stations.access import roles_in_words

    return roles_in_words(roles)


def describe() -> str:
    """The table as text, one entry per step with all the states it starts from: for
    `manage.py journey` and for review."""
    grouped: dict[tuple, list[str]] = {}
    for step in STEPS:
        key = (step.target, str(step.label), step.roles, step.owners, step.guards, step.effects)
        grouped.setdefault(key, []).append(str(step.source))
    lines = []
    for (target, label, roles, owners, guards, effects), sources in grouped.items():
        lines.append(f"{label}: {' | '.join(sources)} -> {target}")
        lines.append(f"    roles:   {', '.join(sorted(roles))}")
        lines.append(f"    owner:   {' | '.join(owners)}")
        if guards:
            lines.append(f"    guards:  {', '.join(guards)}")
        if effects:
            lines.append(f"    effects: {', '.join(effects)}")
    return "\n".join(lines)
