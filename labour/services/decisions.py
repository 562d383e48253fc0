"""The officer's decisions on a proposal: change one assignment by hand (eligibility and
capacity checked again, the reason audited) and approve the run (placements created, people
moved along the journey through the regular transition service and its guards)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from labour.engine.eligibility import describe_failures, eligibility_failures
from labour.engine.factors import stay_and_factors
from labour.engine.model import Site as EngineSite
from labour.models import Placement, PlacementRun, ProposedAssignment, Site, Vacancy
from labour.services.access import ACTING_ROLES
from labour.services.inputs import engine_job, instance_from_json, people_facts
from labour.services.moves import (
    current_placements,
    end_active_placement,
    end_for_moves,
    end_placement_record,
    split_moves,
    step_moved_people,
)
from labour.services.retention import predictor
from people import journey
from people.audit import AuditEntry, record_audit
from people.journey import TransitionRefused
from people.models import Person
from people.moves import take_step
from people.states import JourneyState
from stations.access import require
from waystation import clock

Status = ProposedAssignment.Status


def approval_under_way() -> ValidationError:
    return ValidationError(_("An approval of this run is already under way; wait for its outcome."))


def editable(run: PlacementRun, *, by_hand: bool = True) -> None:
    """Refuse changes to an approved or what-if run; by hand (an edit, a new approval) also
    while an approval queued for the worker may be placing people from it."""
    if run.status != PlacementRun.Status.PROPOSED:
        raise ValidationError(_("This run is already approved; start a new run instead."))
    if run.scope == PlacementRun.Scope.WHAT_IF:
        raise ValidationError(_("A what-if run is for comparison only and cannot be changed."))
    if by_hand and run.approvals.filter(status__in=["queued", "running"]).exists():
        raise approval_under_way()


def eligibility_problem(person: Person, vacancy: Vacancy) -> str | None:
    """Why the person may not take the vacancy now (verified credentials, medical fitness,
    age, language from the database as they are now), or None."""
    facts = people_facts([person])[0]
    job = engine_job(vacancy, vacancy.slots)
    failures = eligibility_failures(facts, job)
    return describe_failures(failures, job) if failures else None


def _free_in_run(
    run: PlacementRun, assignment: ProposedAssignment, vacancy: Vacancy | None, site: Site
) -> None:
    inputs = instance_from_json(run.inputs)
    others = run.assignments.exclude(pk=assignment.pk)
    if vacancy is not None:
        slots = next((j.slots for j in inputs.jobs if j.job_id == str(vacancy.pk)), 0)
        if others.filter(vacancy=vacancy).count() >= slots:
            raise ValidationError(
                _("No free position left: %(vacancy)s has %(n)d in this run, all taken.")
                % {"vacancy": vacancy, "n": slots}
            )
    housing = next((s.housing_places for s in inputs.sites if s.site_id == str(site.pk)), 0)
    if site.pk != assignment.site_id and others.filter(site=site).count() >= housing:
        raise ValidationError(
            _("No free housing left at %(site)s in this run.") % {"site": site.name}
        )


def _stay_in(
    run: PlacementRun, person_id: int, vacancy: Vacancy | None
) -> tuple[float | None, tuple[tuple[str, float], ...]]:
    """The chance that the person stays in the vacancy (None without one), with what raises
    and lowers it, on the run's saved inputs."""
    if vacancy is None:
        return None, ()
    instance = instance_from_json(run.inputs)
    job_id = str(vacancy.pk)
    if all(job.job_id != job_id for job in instance.jobs):
        instance = replace(instance, jobs=(*instance.jobs, engine_job(vacancy, vacancy.slots)))
    if all(site.site_id != str(vacancy.site_id) for site in instance.sites):
        extra = EngineSite(
            site_id=str(vacancy.site_id),
            name=vacancy.site.name,
            sector=vacancy.site.kind,
            housing_places=vacancy.site.housing_places,
            location_km=(vacancy.site.x_km, vacancy.site.y_km),
            housing_type=vacancy.site.housing_type,
            province=vacancy.site.province,
            county=vacancy.site.county,
        )
        instance = replace(instance, sites=(*instance.sites, extra))
    found = stay_and_factors(instance, {str(person_id): job_id}, predictor())
    if str(person_id) not in found:
        return None, ()
    return found[str(person_id)]


def _household_together(assignment: ProposedAssignment, site: Site | None) -> None:
    person = assignment.person
    if not person.household_id or site is None:
        return
    elsewhere = (
        assignment.run.assignments.filter(person__household_id=person.household_id)
        .exclude(pk=assignment.pk)
        .exclude(site__isnull=True)
        .exclude(site=site)
        .select_related("person", "site")
    )
    if elsewhere:
        names = ", ".join(f"{a.person.display_name} ({a.site.name})" for a in elsewhere)
        raise ValidationError(
            _("A household stays together: %(names)s would be at another site. Move them first.")
            % {"names": names}
        )


def edit_assignment(
    *,
    user: Any,
    assignment: ProposedAssignment,
    reason: str,
    vacancy: Vacancy | None = None,
    housing_site: Site | None = None,
) -> ProposedAssignment:
    """Put a person in another vacancy, in housing only (at `housing_site`), or leave them
    unplaced (neither given). Ineligible choices are refused with the failed requirement."""
    run = assignment.run
    require(user, ACTING_ROLES, province=run.province)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Write why you change this assignment.")]})
    editable(run)
    person = assignment.person
    if vacancy is not None:
        if vacancy.site.province not in [run.province, *run.other_provinces]:
            raise ValidationError({"vacancy": [_("The vacancy is in another province.")]})
        problem = eligibility_problem(person, vacancy)
        if problem:
            raise ValidationError(
                {
                    "vacancy": [
                        _("%(person)s cannot take %(vacancy)s: %(problem)s.")
                        % {"person": person.display_name, "vacancy": vacancy, "problem": problem}
                    ]
                }
            )
        site = vacancy.site
    else:
        site = housing_site
    with transaction.atomic():
        locked = ProposedAssignment.objects.select_for_update().get(pk=assignment.pk)
        if site is not None:
            _free_in_run(run, locked, vacancy, site)
        _household_together(locked, site)
        before = {"status": locked.status, "vacancy": locked.vacancy_id, "site": locked.site_id}
        old_stay = locked.predicted_stay if locked.vacancy_id else None
        locked.vacancy, locked.site = vacancy, site
        if vacancy is not None:
            locked.status = Status.PLACED
        elif site is not None:
            locked.status = Status.HOUSED
        else:
            locked.status = Status.UNPLACED
        new_stay, factors = _stay_in(run, locked.person_id, vacancy)
        cost = (old_stay or 0.0) - (new_stay or 0.0)
        locked.predicted_stay = new_stay
        locked.explanation = {
            **locked.explanation,
            "factors": [[code, effect] for code, effect in factors],
            "change_cost": round(cost, 4),
        }
        locked.reason = _("Changed by hand: %(reason)s") % {"reason": reason}
        locked.edited, locked.edit_reason = True, reason
        locked.edited_by, locked.edited_at = user, clock.now()
        locked.save()
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            person=person,
            reason=reason,
            detail={
                "run": run.pk,
                "before": before,
                "after": {
                    "status": locked.status,
                    "vacancy": vacancy and vacancy.pk,
                    "site": site and site.pk,
                },
                "cost_in_expected_stayers": round(cost, 4),
            },
        )
    return locked


def _check_capacity(chosen: list[ProposedAssignment]) -> None:
    """Positions and housing may have been taken by another run approved since."""
    wanted_jobs: dict[int, int] = {}
    wanted_sites: dict[int, int] = {}
    for a in chosen:
        if a.vacancy_id:
            wanted_jobs[a.vacancy_id] = wanted_jobs.get(a.vacancy_id, 0) + 1
        wanted_sites[a.site_id] = wanted_sites.get(a.site_id, 0) + 1
    active = Q(placements__status=Placement.Status.ACTIVE)
    for vacancy in Vacancy.objects.filter(pk__in=wanted_jobs).annotate(
        filled=Count("placements", filter=active)
    ):
        if vacancy.filled + wanted_jobs[vacancy.pk] > vacancy.slots:
            raise ValidationError(
                _("%(vacancy)s has only %(n)d free positions now; run the placement again.")
                % {"vacancy": vacancy, "n": max(0, vacancy.slots - vacancy.filled)}
            )
    for site in Site.objects.filter(pk__in=wanted_sites).annotate(
        housed=Count("placements", filter=active)
    ):
        if site.housed + wanted_sites[site.pk] > site.housing_places:
            raise ValidationError(
                _("%(site)s has only %(n)d free housing places now; run the placement again.")
                % {"site": site.name, "n": max(0, site.housing_places - site.housed)}
            )


def approve_run(
    *, user: Any, run: PlacementRun, request_travel_passes: bool = False
) -> dict[str, int]:
    """Create the placements of a proposal and move each person to “placed”. All or nothing:
    one refusal (an eligibility lost since, a guard) rolls the whole approval back. With
    `request_travel_passes`, a travel pass to the site is then requested for each worker."""
    require(user, ACTING_ROLES, province=run.province)
    editable(run, by_hand=False)
    today = clock.today()
    with transaction.atomic():
        run = PlacementRun.objects.select_for_update().get(pk=run.pk)
        editable(run, by_hand=False)
        everyone = list(run.assignments.select_related("person", "vacancy__site"))
        current = current_placements(run, everyone)
        moves = split_moves(everyone, current)
        proposals = [a for a in everyone if a.status != Status.UNPLACED]
        chosen = [a for a in proposals if a.person.state == JourneyState.AWAITING_PLACEMENT]
        for assignment in chosen + moves:
            if assignment.vacancy is not None:
                problem = eligibility_problem(assignment.person, assignment.vacancy)
                if problem:
                    raise ValidationError(
                        _("%(person)s cannot take %(vacancy)s any more: %(problem)s.")
                        % {
                            "person": assignment.person.display_name,
                            "vacancy": assignment.vacancy,
                            "problem": problem,
                        }
                    )
        # Old places are given up first: a move may go into a place another mover leaves.
        end_for_moves(user, run, moves, current)
        _check_capacity(chosen + moves)
        now = clock.now()
        Placement.objects.bulk_create(
            Placement(
                person=a.person,
                vacancy=a.vacancy,
                site_id=a.site_id,
                run=run,
                start_date=today,
                created_by=user,
                created_at=now,
            )
            for a in chosen + moves
        )
        step_moved_people(user, run, moves)
        label = _("Placement run #%(run)d approved") % {"run": run.pk}
        for assignment in chosen:
            try:
                take_step(
                    user=user,
                    person=assignment.person,
                    target=JourneyState.PLACED,
                    owner=journey.APPROVAL,
                    reason=label,
                )
            except TransitionRefused as refusal:
                raise ValidationError(f"{assignment.person.display_name}: {refusal}") from refusal
        run.status, run.approved_by, run.approved_at = PlacementRun.Status.APPROVED, user, now
        run.save(update_fields=["status", "approved_by", "approved_at"])
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=run,
            station=run.station,
            reason=label,
            detail={
                "placements": len(chosen),
                "moved": len(moves),
                "kept": len(current) - len(moves),
                "skipped": len(proposals) - len(chosen) - len(current),
            },
        )
    outcome = {
        "placed": len(chosen),
        "moved": len(moves),
        "kept": len(current) - len(moves),
        "skipped": len(proposals) - len(chosen) - len(current),
    }
    if request_travel_passes:
        # Movers need a pass to their new site as much as newcomers do.
        workers = [a.person for a in chosen + moves if a.vacancy_id]
        outcome.update(request_passes(user, workers))
    return outcome


def request_passes(user: Any, persons: list[Person]) -> dict[str, int]:
    """Ask the documents office for a travel pass to each person's placement (the cable's
    travel documents from the labour bureau). A refusal (no office here, a pass already
    held) is counted, not raised: the placements stand and the pass can be asked for later."""
    from django.core.exceptions import PermissionDenied

    from documents.models import DocumentType
    from documents.rules import rule_for
    from documents.services import eligible_offices, request_document

    rule = rule_for(DocumentType.TRAVEL_PASS)
    requested = refused = 0
    for person in persons:
        offices = eligible_offices(rule, person)
        try:
            if not offices:
                raise ValidationError(_("No office issues travel passes here."))
            request_document(
                user=user,
                person=person,
                document_type=DocumentType.TRAVEL_PASS,
                office=offices[0],
                destination="",
            )
        except (ValidationError, PermissionDenied):
            refused += 1
        else:
            requested += 1
    return {"passes_requested": requested, "passes_refused": refused}


def end_placement(*, user: Any, person: Person, reason: str) -> Placement:
    """Record that a person left their job: the placement ends (kept, with the reason, as the
    outcome the retention model learns from) and the person moves to “left job”."""
    require(user, ACTING_ROLES, province=person.station.province)
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise ValidationError({"reason": [_("Write why the person left the job.")]})
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update()
            .filter(person=person, status=Placement.Status.ACTIVE)
            .first()
        )
        if placement is None:
            raise ValidationError(_("This person has no active placement."))
        end_placement_record(user, placement, person, reason)
        try:
            take_step(
                user=user,
                person=person,
                target=JourneyState.LEFT_JOB,
                owner=journey.END_PLACEMENT,
                reason=reason,
            )
        except TransitionRefused as refusal:
            raise ValidationError(str(refusal)) from refusal
    return placement


def end_placement_on_departure(user: Any, person: Person, target: str) -> None:
    """A journey effect: a worker who went back across the border, registered again at a
    reception station or whose record closed as a second record of one person no longer
    holds the job; the placement ends with the step, kept as history."""
    end_active_placement(user, person, str(JourneyState(target).label))


def _has_active_placement(person: Person) -> bool:
    return Placement.objects.filter(person=person, status=Placement.Status.ACTIVE).exists()


def placement_guard(person: Person, target: str, profile: Any) -> str | None:
    """Leaving a job goes through the labour panel, so the placement ends with it."""
    if _has_active_placement(person):
        return _("End the labour placement first (labour panel: record leaving the job).")
    return None


def placed_guard(person: Person, target: str, profile: Any) -> str | None:
    """A person is placed by approving a placement run, which records where they work; a bare
    state change would leave no site for the travel pass, the entitlements or the reports."""
    if _has_active_placement(person):
        return None
    return _("Place people through a labour placement run; no placement is recorded for them.")
