"""Health demo data: quarantine stays for everyone the demo sent through quarantine (open
stays, with a checklist as far as their day, for those in quarantine on 8 November 1961;
cleared stays with vaccinations, an examination and the clearance for the others), and the
outbreaks the cable reports in Kilju and Onsong counties in October and November 1961.

Registered as a demo loader (people.extensions.register_demo_loader), so people's load_demo
runs it after the persons are written; `load_health_demo(seed)` also runs on its own. Past stays get their details for at
most MAX_PAST_PERSONS people, so a million-person demo still loads in reasonable time.
"""

import datetime as dt
import random
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from health.cases import week_of
from health.models import (
    Clearance,
    Disease,
    DiseaseCase,
    Examination,
    QuarantineStay,
    StayAdjustment,
    Vaccination,
    Vaccine,
)
from people.audit import AuditEntry
from people.models import JourneyTransition, Person
from people.states import JourneyState as S
from stations.models import Station

CABLE_DATE = dt.date(1961, 11, 8)
MAX_PAST_PERSONS = 200_000
BATCH = 5_000
DAYS = 15
FITNESS = (("heavy", 0.68), ("light", 0.27), ("not_fit", 0.05))
# disease, county, station, cases, first onset, peak onset: the cable's "outbreaks of
# contagious diseases" in Kilju County and Onsong County, autumn 1961.
OUTBREAKS = (
    ("A75.0", "Kilju County", "kyongsong", 46, dt.date(1961, 10, 2), dt.date(1961, 10, 30)),
    ("A68.0", "Kilju County", "kyongsong", 14, dt.date(1961, 10, 12), dt.date(1961, 11, 3)),
    ("A03", "Onsong County", "onsong", 38, dt.date(1961, 10, 9), dt.date(1961, 11, 1)),
    ("A75.0", "Onsong County", "onsong", 9, dt.date(1961, 10, 20), dt.date(1961, 11, 5)),
)
BACKGROUND = ("B05", "A15", "B86", "B85", "A09", "A38", "J11", "A37")
COUNTIES = ("Onsong County", "Hoeryong City", "Kyongsong County", "Musan County", "Kyongwon County")


def _local(moment: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.date:
    return moment.astimezone(tz).date()


def _quarantine_cycles(tz: zoneinfo.ZoneInfo) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    """Per person: (admitted on, cleared on or None) for every pass through quarantine."""
    cycles: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    steps = (
        JourneyTransition.objects.filter(to_state__in=[S.IN_QUARANTINE, S.MEDICALLY_CLEARED])
        .order_by("person_id", "at", "id")
        .values_list("person_id", "to_state", "at")
    )
    for person_id, state, at in steps.iterator(chunk_size=20_000):
        if state == S.IN_QUARANTINE:
            cycles[person_id].append((_local(at, tz), None))
        elif cycles[person_id] and cycles[person_id][-1][1] is None:
            cycles[person_id][-1] = (cycles[person_id][-1][0], _local(at, tz))
    return cycles


def load_health_demo(seed: int = 1961) -> dict:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rng = random.Random(seed + 40)
    stations = {s.pk: s for s in Station.objects.all()}
    User = get_user_model()
    medical = {
        s.pk: User.objects.filter(username=f"medical-{s.code}").first() for s in stations.values()
    }
    vaccines = list(Vaccine.objects.filter(doses_required__gt=0))
    typhus = Disease.objects.get(icd10="A75.0")
    people = {
        pk: (station_id, household_id, state)
        for pk, station_id, household_id, state in Person.objects.values_list(
            "id", "station_id", "household_id", "state"
        ).iterator(chunk_size=20_000)
    }
    cycles = _quarantine_cycles(tz)
    past_budget = MAX_PAST_PERSONS
    stays: list[QuarantineStay] = []
    beds_used: dict[int, int] = defaultdict(int)
    for person_id in sorted(cycles, reverse=True):  # the latest arrivals first
        station_id, household_id, state = people[person_id]
        in_quarantine = state == S.IN_QUARANTINE
        if not in_quarantine:
            if past_budget <= 0:
                continue
            past_budget -= 1
        for index, (start, cleared) in enumerate(cycles[person_id]):
            current = in_quarantine and index == len(cycles[person_id]) - 1
            bed = None
            if current and beds_used[station_id] < stations[station_id].bed_capacity:
                beds_used[station_id] += 1
                bed = beds_used[station_id]
            status = "open" if current else ("cleared" if cleared else "ended")
            stays.append(
                QuarantineStay(
                    person_id=person_id,
                    station_id=station_id,
                    household_id=household_id,
                    status=status,
                    started_on=start,
                    planned_days=DAYS,
                    planned_end=start + dt.timedelta(days=DAYS),
                    bed=bed,
                    washed_on=start,
                    washed_by=medical[station_id],
                    disinfected_on=start,
                    disinfected_by=medical[station_id],
                    admitted_by=medical[station_id],
                    closed_on=None if current else (cleared or start + dt.timedelta(days=3)),
                )
            )
    counts = defaultdict(int)
    with transaction.atomic():
        for start_index in range(0, len(stays), BATCH):
            batch = QuarantineStay.objects.bulk_create(stays[start_index : start_index + BATCH])
            _details(batch, vaccines, medical, rng, counts, typhus)
        counts["stay adjustments"] += _extend_households()
        counts["quarantine stays"] = len(stays)
        counts["disease cases"] = _outbreaks(rng, stations, medical)
        AuditEntry.objects.create(
            action=AuditEntry.Action.CREATE,
            object_type="demo",
            reason=f"Loaded the health demo data: {len(stays)} stays, seed {seed}",
            detail=dict(counts),
        )
    return dict(counts)


def load(seed: int, factor: float) -> dict:
    """The demo loader hook; the stays follow the persons already loaded, whatever the scale."""
    return load_health_demo(seed)


def _details(batch, vaccines, medical, rng, counts, typhus) -> None:
    now = timezone.now()
    vaccinations, exams, clearances, adjustments = [], [], [], []
    for stay in batch:
        if stay.status == "ended":
            continue
        officer = medical[stay.station_id]
        days_in = (CABLE_DATE - stay.started_on).days if stay.status == "open" else DAYS
        for offset, vaccine in enumerate(vaccines, start=1):
            if offset <= days_in:
                vaccinations.append(
                    Vaccination(
                        stay=stay,
                        person_id=stay.person_id,
                        vaccine=vaccine,
                        dose=1,
                        lot_number=f"NH-61-{vaccine.code[:2].upper()}{rng.randint(100, 999)}",
                        given_on=stay.started_on + dt.timedelta(days=offset),
                        given_by=officer,
                        recorded_at=now,
                    )
                )
        if days_in < 10:
            continue
        fitness = rng.choices([f for f, _ in FITNESS], [w for _, w in FITNESS])[0]
        contagious = stay.status == "open" and rng.random() < 0.02
        examined_on = stay.started_on + dt.timedelta(days=10)
        exams.append(
            Examination(
                stay=stay,
                examined_on=examined_on,
                examined_by=officer,
                findings="Fever, rash on trunk; lice found" if contagious else "",
                fitness="not_fit" if contagious else fitness,
                contagious=contagious,
                disease=typhus if contagious else None,
                recorded_at=now,
            )
        )
        if contagious:
            new_end = examined_on + dt.timedelta(days=14)
            adjustments.append(
                StayAdjustment(
                    stay=stay,
                    kind="household",
                    previous_end=stay.planned_end,
                    new_end=new_end,
                    reason="Found contagious at the examination (typhus suspected).",
                    by=officer,
                    at=now,
                )
            )
            QuarantineStay.objects.filter(pk=stay.pk).update(planned_end=new_end)
        if stay.status == "cleared" and officer is not None:
            clearances.append(
                Clearance(
                    stay=stay,
                    person_id=stay.person_id,
                    fitness=fitness,
                    decided_by=officer,
                    decided_on=stay.closed_on,
                    decided_at=now,
                )
            )
    for model, rows in (
        (Vaccination, vaccinations),
        (Examination, exams),
        (Clearance, clearances),
        (StayAdjustment, adjustments),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)
        counts[model._meta.verbose_name_plural.lower()] += len(rows)


def _extend_households() -> int:
    """The household rule: everyone in quarantine with a contagious member stays as long."""
    adjustments = []
    now = timezone.now()
    contagious = StayAdjustment.objects.filter(stay__household__isnull=False).values_list(
        "stay__household_id", "stay_id", "new_end", "by_id"
    )
    for household_id, stay_id, new_end, by_id in list(contagious):
        members = QuarantineStay.objects.filter(
            household_id=household_id, status="open", planned_end__lt=new_end
        ).exclude(pk=stay_id)
        for stay in members:
            adjustments.append(
                StayAdjustment(
                    stay=stay,
                    kind="household",
                    previous_end=stay.planned_end,
                    new_end=new_end,
                    reason="A member of the household was found contagious.",
                    by_id=by_id,
                    at=now,
                )
            )
            QuarantineStay.objects.filter(pk=stay.pk).update(planned_end=new_end)
    StayAdjustment.objects.bulk_create(adjustments)
    return len(adjustments)


def _onset(rng: random.Random, first: dt.date, peak: dt.date) -> dt.date:
    span = (min(CABLE_DATE, peak + dt.timedelta(days=10)) - first).days
    day = first + dt.timedelta(days=int(rng.triangular(0, span, (peak - first).days)))
    return min(day, CABLE_DATE)


def _outbreaks(rng: random.Random, stations: dict, medical: dict) -> int:
    by_code = {s.code: s for s in stations.values()}
    diseases = {d.icd10: d for d in Disease.objects.all()}
    now = timezone.now()
    cases = []

    def add(code: str, county: str, station: Station, onset: dt.date) -> None:
        isolated = rng.random() < 0.8
        cases.append(
            DiseaseCase(
                disease=diseases[code],
                station=station,
                county=county,
                onset_date=onset,
                week=week_of(onset),
                isolated=isolated,
                outcome=rng.choices(
                    ["ill", "recovered", "died", "transferred"], [0.45, 0.4, 0.05, 0.1]
                )[0]
                if onset < CABLE_DATE - dt.timedelta(days=10)
                else "ill",
                recorded_by=medical.get(station.pk),
                recorded_at=now,
            )
        )

    for code, county, station_code, count, first, peak in OUTBREAKS:
        station = by_code.get(station_code) or next(iter(stations.values()))
        for _ in range(count):
            add(code, county, station, _onset(rng, first, peak))
    for _ in range(120):
        station = rng.choice(list(stations.values()))
        onset = dt.date(1960, 6, 1) + dt.timedelta(
            days=rng.randint(0, (CABLE_DATE - dt.date(1960, 6, 1)).days)
        )
        add(rng.choice(BACKGROUND), rng.choice(COUNTIES), station, onset)
    DiseaseCase.objects.bulk_create(cases)
    return len(cases)
