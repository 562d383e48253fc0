"""Run the engine on people awaiting placement, save the run and its explained proposals,
and re-run what-ifs on the saved inputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from labour.engine import (
    GroupSelector,
    MinimumShare,
    PlacementInstance,
    PlacementPolicy,
    PlacementResult,
    Priority,
    plan_placement,
)
from labour.engine.factors import stay_and_factors
from labour.models import PlacementRun, ProposedAssignment, Site, Vacancy
from labour.services.access import ACTING_ROLES
from labour.services.inputs import (
    awaiting_people,
    build_instance,
    instance_from_json,
    instance_to_json,
    movable_placements,
    open_vacancies,
)
from labour.services.retention import predictor
from people.audit import AuditEntry, record_audit
from stations.access import require
from stations.models import Station
from waystation import clock

DEFAULT_PARAMETERS: dict[str, float] = {
    "retention_weight": 1.0,
    "preference_weight": 0.0,
    "housing_value": 0.05,
    "children_priority": 0.0,
    "large_household_share": 0.0,
    "working_age_min": 16,
    "working_age_max": 59,
}
AGE_PARAMETERS = ("working_age_min", "working_age_max")
LARGE_HOUSEHOLDS = GroupSelector(name="households of 5+", min_household_size=5)
WITH_CHILDREN = GroupSelector(name="households with children", household_with_children=True)


def clean_parameters(raw: dict[str, Any] | None) -> dict[str, float]:
    parameters = dict(DEFAULT_PARAMETERS)
    for key, value in (raw or {}).items():
        if key not in DEFAULT_PARAMETERS:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError) as error:
            raise ValidationError({key: [_("Enter a number.")]}) from error
        if key in AGE_PARAMETERS:
            if not 14 <= number <= 80:
                raise ValidationError({key: [_("Enter an age between 14 and 80.")]})
            number = float(int(number))
        elif not 0.0 <= number <= 10.0:
            raise ValidationError({key: [_("Enter a number between 0 and 10.")]})
        parameters[key] = number
    if parameters["working_age_min"] > parameters["working_age_max"]:
        raise ValidationError({"working_age_max": [_("The working age ends after it begins.")]})
    if parameters["large_household_share"] > 1.0:
        raise ValidationError({"large_household_share": [_("A share is at most 1.")]})
    return parameters


def policy_for(
    parameters: dict[str, float], instance: PlacementInstance | None = None
) -> PlacementPolicy:
    """The engine policy. Households of the instance that already live at a site are there
    only because the officer allowed moves, so they are the movable ones."""
    priorities = ()
    if parameters["children_priority"] > 0:
        priorities = (Priority(WITH_CHILDREN, parameters["children_priority"]),)
    shares = ()
    if parameters["large_household_share"] > 0:
        shares = (MinimumShare(LARGE_HOUSEHOLDS, parameters["large_household_share"]),)
    return PlacementPolicy(
        retention_weight=parameters["retention_weight"],
        preference_weight=parameters["preference_weight"],
        housing_value=parameters["housing_value"],
        priorities=priorities,
        minimum_shares=shares,
        working_age_min=int(parameters.get("working_age_min", 16)),
        working_age_max=int(parameters.get("working_age_max", 59)),
        movable_household_ids=frozenset(
            h.household_id for h in (instance.households if instance else ()) if h.current_site_id
        ),
    )


def run_placement(
    *,
    user: Any,
    province: str,
    station: Station | None = None,
    batch_from: dt.date | None = None,
    batch_to: dt.date | None = None,
    parameters: dict[str, Any] | None = None,
    allow_moves: bool = False,
    other_provinces: list[str] | None = None,
) -> PlacementRun:
    """Propose placements for the people awaiting placement at a station, or for a batch
    (everyone in the province who began waiting within the dates). With `allow_moves`, people
    of the station (or province) who are placed or at work may be moved to a better place;
    staying is scored with a bonus, so a move must be worth it. `other_provinces` opens the
    sites of other provinces of the labour plan; people sent there need a travel permit."""
    others = check_run_scope(
        user=user,
        province=province,
        station=station,
        batch_from=batch_from,
        batch_to=batch_to,
        other_provinces=other_provinces,
    )
    cleaned = clean_parameters(parameters)
    station_id = station.pk if station else None
    rows = list(awaiting_people(province, station_id, batch_from, batch_to))
    settled = movable_placements(province, station_id) if allow_moves else []
    if not rows and not settled:
        raise nobody_to_place()
    sites, jobs = open_vacancies([province, *others], settled)
    instance = build_instance(rows, sites, jobs, settled)
    policy = policy_for(cleaned, instance)
    result = plan_placement(instance, predictor(), policy)
    run = PlacementRun(
        metrics={"preference_cost": preference_cost(instance, policy, result)},
        scope=PlacementRun.Scope.STATION if station else PlacementRun.Scope.BATCH,
        province=province,
        station=station,
        batch_from=None if station else batch_from,
        batch_to=None if station else batch_to,
        parameters=cleaned,
        allow_moves=allow_moves,
        other_provinces=others,
        inputs=instance_to_json(instance),
    )
    return save_run(run, result, user, instance)


def check_run_scope(
    *,
    user: Any,
    province: str,
    station: Station | None,
    batch_from: dt.date | None,
    batch_to: dt.date | None,
    other_provinces: list[str] | None,
) -> list[str]:
    """What a run needs before the engine starts: the officer's scope over every province it
    opens, and a station of the province or the dates of a batch. Checked when the run is
    asked for (so the page refuses at once) and again when it is worked out. Returns the
    other provinces opened."""
    require(user, ACTING_ROLES, province=province)
    others = sorted({p for p in other_provinces or [] if p and p != province})
    for other in others:
        require(user, ACTING_ROLES, province=other)
    if station is not None and station.province != province:
        raise ValidationError({"station": [_("The station is in another province.")]})
    if station is None and (batch_from is None or batch_to is None or batch_from > batch_to):
        raise ValidationError({"batch_from": [_("Choose a station or the dates of a batch.")]})
    return others


def nobody_to_place() -> ValidationError:
    return ValidationError(_("Nobody is awaiting placement in this scope."))


def what_if(
    *,
    user: Any,
    base: PlacementRun,
    parameters: dict[str, Any] | None = None,
    slot_overrides: dict[str, int] | None = None,
) -> PlacementRun:
    """Re-run the base run's saved inputs with other weights or vacancy positions."""
    require(user, ACTING_ROLES, province=base.province)
    cleaned = clean_parameters(parameters)
    instance = instance_from_json(base.inputs)
    overrides = {}
    known = {job.job_id for job in instance.jobs}
    for job_id, slots in (slot_overrides or {}).items():
        if str(job_id) not in known:
            raise ValidationError({"slots": [_("Unknown vacancy %(id)s.") % {"id": job_id}]})
        if int(slots) < 0:
            raise ValidationError({"slots": [_("Positions cannot be negative.")]})
        overrides[str(job_id)] = int(slots)
    instance = replace(
        instance,
        jobs=tuple(
            replace(job, slots=overrides.get(job.job_id, job.slots)) for job in instance.jobs
        ),
    )
    policy = policy_for(cleaned, instance)
    result = plan_placement(instance, predictor(), policy)
    run = PlacementRun(
        metrics={"preference_cost": preference_cost(instance, policy, result)},
        scope=PlacementRun.Scope.WHAT_IF,
        allow_moves=base.allow_moves,
        province=base.province,
        station=base.station,
        base_run=base,
        parameters=cleaned,
        vacancy_overrides=overrides,
        inputs=instance_to_json(instance),
    )
    return save_run(run, result, user, instance)


def expected_stayers(result: PlacementResult) -> float:
    return float(sum(p.predicted_stay or 0.0 for p in result.placements if p.job_id))


def preference_cost(
    instance: PlacementInstance, policy: PlacementPolicy, result: PlacementResult
) -> dict[str, float] | None:
    """With the preference bonus on: expected stayers with and without it (the run again
    with the bonus off) and the difference, its cost. None when the bonus is off."""
    if policy.preference_weight <= 0:
        return None
    without = plan_placement(instance, predictor(), replace(policy, preference_weight=0.0))
    with_bonus, without_bonus = expected_stayers(result), expected_stayers(without)
    return {
        "with_bonus": round(with_bonus, 2),
        "without_bonus": round(without_bonus, 2),
        "cost": round(without_bonus - with_bonus, 2),
    }


def _names(result: PlacementResult) -> tuple[dict[int, str], dict[int, str]]:
    vacancy_ids = {int(p.job_id) for p in result.placements if p.job_id}
    vacancy_ids |= {int(a.job_id) for p in result.placements for a in p.alternatives}
    vacancy_ids |= {int(job) for p in result.placements for job in p.would_open}
    vacancies = {
        v.pk: f"{v.occupation} · {v.site.name}"
        for v in Vacancy.objects.filter(pk__in=vacancy_ids).select_related("site")
    }
    sites = {s.pk: s.name for s in Site.objects.all()}
    return vacancies, sites


def metrics_of(result: PlacementResult) -> dict[str, Any]:
    counts = {"placed": 0, "housed": 0, "unplaced": 0, "moved": 0}
    for placement in result.placements:
        counts[placement.status.value] += 1
        counts["moved"] += placement.moved
    stays = [p.predicted_stay for p in result.placements if p.predicted_stay is not None]
    return {
        "counts": counts,
        "expected_stayers": round(sum(stays), 1),
        "mean_stay": round(sum(stays) / len(stays), 3) if stays else None,
        "objective": result.stats.objective,
        "bound": result.stats.bound,
        "gap": result.stats.gap,
        "method": result.stats.method,
        "seconds": {k: round(v, 3) for k, v in result.stats.seconds.items()},
        "fairness": [
            {
                "dimension": rate.dimension,
                "group": rate.group,
                "persons": rate.persons,
                "work_seekers": rate.work_seekers,
                "placed_in_job": rate.placed_in_job,
                "housed": rate.housed,
                "placement_rate": round(rate.placement_rate, 3),
                "housing_rate": round(rate.housing_rate, 3),
            }
            for rate in result.fairness
        ],
        "shares": [
            {
                "group": share.group,
                "required": share.required_share,
                "achieved": round(share.achieved_share, 3),
                "honoured": share.honoured,
                "reason": share.reason,
            }
            for share in result.shares
        ],
    }


def save_run(
    run: PlacementRun,
    result: PlacementResult,
    user: Any,
    instance: PlacementInstance | None = None,
) -> PlacementRun:
    vacancy_names, site_names = _names(result)
    factors: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {}
    if instance is not None:
        placed = {p.person_id: p.job_id for p in result.placements if p.job_id}
        factors = stay_and_factors(instance, placed, predictor())
    job_prices = {p.capacity_id: p for p in result.prices if p.kind == "job_slots"}
    site_prices = {p.capacity_id: p for p in result.prices if p.kind == "housing_places"}
    with transaction.atomic():
        run.metrics = {**metrics_of(result), "preference_cost": run.metrics.get("preference_cost")}
        run.prices = [
            {
                "kind": p.kind,
                "id": int(p.capacity_id),
                "name": vacancy_names.get(int(p.capacity_id), "")
                if p.kind == "job_slots"
                else site_names.get(int(p.capacity_id), ""),
                "capacity": p.capacity,
                "used": p.used,
                "price": round(p.price, 4),
            }
            for p in result.prices
            if p.price > 1e-9 or p.used
        ]
        run.created_by, run.created_at = user, clock.now()
        run.save()
        rows = []
        for placement in result.placements:
            job_price = job_prices.get(placement.job_id or "")
            site_price = site_prices.get(placement.site_id or "")
            rows.append(
                ProposedAssignment(
                    run=run,
                    person_id=int(placement.person_id),
                    status=placement.status.value,
                    vacancy_id=int(placement.job_id) if placement.job_id else None,
                    site_id=int(placement.site_id) if placement.site_id else None,
                    score=round(placement.score, 4),
                    predicted_stay=placement.predicted_stay,
                    reason=placement.reason or "",
                    explanation={
                        "alternatives": [
                            {
                                "vacancy": int(alt.job_id),
                                "name": vacancy_names.get(int(alt.job_id), alt.job_id),
                                "site": int(alt.site_id),
                                "score": round(alt.score, 4),
                                "stay": None if alt.stay is None else round(alt.stay, 4),
                                "eligible": alt.eligible,
                                "reason": alt.reason,
                            }
                            for alt in placement.alternatives
                        ],
                        "moved": placement.moved,
                        "travel_permit": placement.needs_travel_permit,
                        "factors": [
                            [code, effect]
                            for code, effect in factors.get(placement.person_id, (0.0, ()))[1]
                        ],
                        "would_open": [
                            {"vacancy": int(job), "name": vacancy_names.get(int(job), job)}
                            for job in placement.would_open
                        ],
                        "job_price": round(job_price.price, 4) if job_price else None,
                        "housing_price": round(site_price.price, 4) if site_price else None,
                    },
                )
            )
        ProposedAssignment.objects.bulk_create(rows, batch_size=2_000)
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=run,
            station=run.station,
            detail={"scope": run.scope, "counts": run.metrics["counts"]},
        )
    return run
