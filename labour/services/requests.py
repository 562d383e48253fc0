"""Placement runs asked for on the labour page and worked out on the task queue's worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from labour.models import PlacementRequest
from labour.services.inputs import awaiting_people, movable_placements
from labour.services.runs import check_run_scope, nobody_to_place, run_placement
from stations.models import Station
from waystation import clock


def ask_for_placement(
    *,
    user: Any,
    province: str,
    station: Station | None = None,
    batch_from: dt.date | None = None,
    batch_to: dt.date | None = None,
    parameters: dict[str, Any] | None = None,
    allow_moves: bool = False,
    other_provinces: list[str] | None = None,
) -> PlacementRequest:
    """Queue a placement run once what it needs is there (refused at once otherwise)."""
    others = check_run_scope(
        user=user,
        province=province,
        station=station,
        batch_from=batch_from,
        batch_to=batch_to,
        other_provinces=other_provinces,
    )
    station_id = station.pk if station else None
    anyone = awaiting_people(province, station_id, batch_from, batch_to).exists()
    if not anyone and not (allow_moves and movable_placements(province, station_id)):
        raise nobody_to_place()
    asked = {
        "batch_from": batch_from.isoformat() if batch_from and not station else None,
        "batch_to": batch_to.isoformat() if batch_to and not station else None,
        "parameters": parameters or {},
        "allow_moves": allow_moves,
        "other_provinces": others,
    }
    request = PlacementRequest.objects.create(
        created_by=user, created_at=clock.now(), province=province, station=station, asked=asked
    )
    from labour.tasks import work_out_placement

    transaction.on_commit(lambda: work_out_placement.enqueue(request.pk))
    return request


def work_out(request: PlacementRequest) -> PlacementRequest:
    """The worker's part: run the engine as the officer who asked, and keep the run or the
    reason it was refused (things may have changed since it was asked for)."""
    if request.status in (PlacementRequest.Status.DONE, PlacementRequest.Status.FAILED):
        return request  # a worker that restarted took it twice
    PlacementRequest.objects.filter(pk=request.pk).update(status=PlacementRequest.Status.RUNNING)
    asked = request.asked
    try:
        with transaction.atomic():
            run = run_placement(
                user=request.created_by,
                province=request.province,
                station=request.station,
                batch_from=_date(asked.get("batch_from")),
                batch_to=_date(asked.get("batch_to")),
                parameters=asked.get("parameters") or {},
                allow_moves=bool(asked.get("allow_moves")),
                other_provinces=list(asked.get("other_provinces") or []),
            )
    except (ValidationError, PermissionDenied) as refusal:
        request.status = PlacementRequest.Status.FAILED
        request.problem = " ".join(_messages(refusal))
    else:
        request.status, request.run = PlacementRequest.Status.DONE, run
    request.finished_at = clock.now()
    request.save(update_fields=["status", "problem", "run", "finished_at"])
    return request


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _messages(refusal: Exception) -> list[str]:
    if isinstance(refusal, ValidationError):
        return [str(message) for message in refusal.messages]
    return [str(refusal)]
