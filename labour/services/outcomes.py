"""Recorded outcomes for the retention model: each worker's latest placement whose 180 days
are over (or that ended sooner), with the same pair features the engine scores with."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models import Max, Min, Q

from labour.engine.arrays import build_candidate_pairs, index_instance
from labour.engine.model import Household, PlacementInstance, PlacementPolicy, Site
from labour.models import OutcomeImport, OutcomeRecord, Placement, Vacancy
from labour.models import Site as SiteRow
from labour.services.inputs import engine_job, people_facts
from people.models import Person
from waystation import clock

STAY_DAYS = 180
MAX_RECORDS = 20_000  # keeps every IN list within SQLite's limit on bound variables


class _Capture:
    """Stands in for the model to receive the feature matrix the engine builds."""

    features: np.ndarray | None = None

    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        self.features = features
        return np.zeros(len(features))


def recorded_outcomes(
    today: dt.date | None = None, limit: int = MAX_RECORDS
) -> tuple[np.ndarray, np.ndarray]:
    """Features and 'stayed 180 days' for recorded placements with a known outcome."""
    today = today or clock.today()
    cutoff = today - dt.timedelta(days=STAY_DAYS)
    known = (
        Placement.objects.filter(vacancy__isnull=False)
        .filter(Q(status=Placement.Status.ENDED) | Q(start_date__lte=cutoff))
        .order_by("-start_date", "-id")
        .values_list("person_id", "vacancy_id", "status", "start_date", "end_date")
    )
    latest: dict[int, tuple[int, bool]] = {}
    for person_id, vacancy_id, status, start, end in known.iterator(chunk_size=5_000):
        if person_id in latest:
            continue
        stayed = status == Placement.Status.ACTIVE or (end - start).days >= STAY_DAYS
        latest[person_id] = (vacancy_id, stayed)
        if len(latest) >= limit:
            break
    if not latest:
        return np.zeros((0, 0)), np.zeros(0, dtype=bool)
    persons = people_facts(list(Person.objects.filter(pk__in=list(latest)).order_by("pk")))
    vacancies = Vacancy.objects.filter(pk__in={v for v, _s in latest.values()})
    jobs = [engine_job(v, 1) for v in vacancies.select_related("site")]
    site_ids = {job.site_id for job in jobs}
    sites = [
        Site(
            site_id=str(s.pk),
            name=s.name,
            sector=s.kind,
            housing_places=1,
            location_km=(s.x_km, s.y_km),
        )
        for s in SiteRow.objects.filter(pk__in=[int(i) for i in site_ids])
    ]
    members: dict[str, list[str]] = {}
    for person in persons:
        members.setdefault(person.household_id, []).append(person.person_id)
    instance = PlacementInstance(
        persons=tuple(persons),
        households=tuple(Household(key, tuple(ids)) for key, ids in members.items()),
        sites=tuple(sites),
        jobs=tuple(jobs),
        candidate_job_ids={p.person_id: (str(latest[int(p.person_id)][0]),) for p in persons},
    )
    capture = _Capture()
    pairs = build_candidate_pairs(index_instance(instance), PlacementPolicy(), capture)
    person_ids = [int(instance.persons[i].person_id) for i in pairs.person.tolist()]
    stayed = np.array([latest[pid][1] for pid in person_ids], dtype=bool)
    return capture.features, stayed


def _known_placements(today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """When the outcomes of recorded placements became known: the day an ended placement
    ended, or the 180th day of one still going."""
    cutoff = today - dt.timedelta(days=STAY_DAYS)
    with_job = Placement.objects.filter(vacancy__isnull=False)
    ended = with_job.filter(status=Placement.Status.ENDED).aggregate(
        first=Min("end_date"), last=Max("end_date")
    )
    going = with_job.exclude(status=Placement.Status.ENDED).filter(start_date__lte=cutoff)
    started = going.aggregate(first=Min("start_date"), last=Max("start_date"))
    stay = dt.timedelta(days=STAY_DAYS)
    firsts = [ended["first"], started["first"] and started["first"] + stay]
    lasts = [ended["last"], started["last"] and started["last"] + stay]
    return min((d for d in firsts if d), default=None), max((d for d in lasts if d), default=None)


def training_facts(recorded: int, imported: int, today: dt.date | None = None) -> dict:
    """What a model trained on recorded and imported outcomes learnt from, as facts the
    model card puts into words in the reader's language: how many of each, the imported
    files, and the dates the outcomes became known."""
    today = today or clock.today()
    first, last = _known_placements(today) if recorded else (None, None)
    files: list[dict] = []
    if imported:
        done = OutcomeImport.objects.filter(status=OutcomeImport.Status.DONE, imported__gt=0)
        files = [
            {"name": name, "source": source, "rows": rows}
            for name, source, rows in done.order_by("created_at", "id").values_list(
                "file_name", "source", "imported"
            )
        ]
        dates = OutcomeRecord.objects.filter(outcome_import__status=OutcomeImport.Status.DONE)
        span = dates.aggregate(first=Min("outcome_date"), last=Max("outcome_date"))
        first = min((d for d in (first, span["first"]) if d), default=None)
        last = max((d for d in (last, span["last"]) if d), default=None)
    return {
        "kind": "recorded",
        "rows": recorded + imported,
        "recorded_here": recorded,
        "imported": imported,
        "files": files,
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
    }
