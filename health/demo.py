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
from waystation import clock
from waystation.rows import insert_model_rows, next_id, reset_sequences

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
    stays: list[tuple] = []
    stay_id = next_id(QuarantineStay._meta.db_table)
    for person_id in sorted(cycles, reverse=True):  # the latest arrivals first
        station_id, household_id, state = people[person_id]
        in_quarantine = state == S.IN_QUARANTINE
        if not in_quarantine:
            if past_budget <= 0:
                continue
            past_budget -= 1
        officer = medical[station_id].pk if medical[station_id] else None
        for index, (start, cleared) in enumerate(cycles[person_id]):
            current = in_quarantine and index == len(cycles[person_id]) - 1
            status = "open" if current else ("cleared" if cleared else "ended")
            closed_on = None if current else (cleared or start + dt.timedelta(days=3))
            stays.append((
                stay_id, person_id, station_id, household_id, status, start, DAYS,
                start + dt.timedelta(days=DAYS), start, officer, start, officer, officer,
                closed_on,
            ))  # fmt: skip
            stay_id += 1
    counts = defaultdict(int)
    with transaction.atomic():
        for start_index in range(0, len(stays), BATCH):
            batch = stays[start_index : start_index + BATCH]
            details = _details(batch, vaccines, medical, rng, counts, typhus)
            # The stays first (with any extended ends): their details point at them.
            insert_model_rows(QuarantineStay, STAY_COLUMNS, batch)
            for model, columns, rows in details:
                insert_model_rows(model, columns, rows)
        reset_sequences([QuarantineStay])
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


STAY_COLUMNS = (
    "id", "person_id", "station_id", "household_id", "status", "started_on", "planned_days",
    "planned_end", "washed_on", "washed_by_id", "disinfected_on", "disinfected_by_id",
    "admitted_by_id", "closed_on",
)  # fmt: skip
VACCINATION_COLUMNS = (
    "stay_id", "person_id", "vaccine_id", "dose", "lot_number", "given_on", "given_by_id",
    "recorded_at",
)  # fmt: skip
EXAMINATION_COLUMNS = (
    "stay_id", "examined_on", "examined_by_id", "findings", "fitness", "contagious",
    "disease_id", "recorded_at",
)  # fmt: skip
CLEARANCE_COLUMNS = (
    "stay_id", "person_id", "fitness", "notes", "decided_by_id", "decided_on", "decided_at",
)  # fmt: skip
ADJUSTMENT_COLUMNS = ("stay_id", "kind", "previous_end", "new_end", "reason", "by_id", "at")


def _details(
    batch: list[tuple],
    vaccines: list[Vaccine],
    medical: dict,
    rng: random.Random,
    counts: dict[str, int],
    typhus: Disease,
) -> list[tuple[type, tuple[str, ...], list[tuple]]]:
    """Vaccinations, examinations, clearances and extensions of a batch of stay rows (in
    STAY_COLUMNS order), as plain rows: a million-person demo has millions of them. A stay
    extended for a contagious member gets its new planned end in the batch itself."""
    now = clock.now()
    vaccinations, exams, clearances, adjustments = [], [], [], []
    for position, stay in enumerate(batch):
        stay_id, person_id, station_id, _household, status, started_on = stay[:6]
        planned_end, closed_on = stay[7], stay[13]
        if status == "ended":
            continue
        officer = medical[station_id].pk if medical[station_id] else None
        days_in = (CABLE_DATE - started_on).days if status == "open" else DAYS
        for offset, vaccine in enumerate(vaccines, start=1):
            if offset <= days_in:
                vaccinations.append((
                    stay_id, person_id, vaccine.pk, 1,
                    f"NH-61-{vaccine.code[:2].upper()}{rng.randint(100, 999)}",
                    started_on + dt.timedelta(days=offset), officer, now,
                ))  # fmt: skip
        if days_in < 10:
            continue
        fitness = rng.choices([f for f, _ in FITNESS], [w for _, w in FITNESS])[0]
        contagious = status == "open" and rng.random() < 0.02
        examined_on = started_on + dt.timedelta(days=10)
        exams.append((
            stay_id, examined_on, officer,
            "Fever, rash on trunk; lice found" if contagious else "",
            "not_fit" if contagious else fitness, contagious,
            typhus.pk if contagious else None, now,
        ))  # fmt: skip
        if contagious:
            new_end = examined_on + dt.timedelta(days=14)
            adjustments.append((
                stay_id, "household", planned_end, new_end,
                "Found contagious at the examination (typhus suspected).", officer, now,
            ))  # fmt: skip
            batch[position] = (*stay[:7], new_end, *stay[8:])
        if status == "cleared" and officer is not None:
            clearances.append((stay_id, person_id, fitness, "", officer, closed_on, now))
    counts["vaccinations"] += len(vaccinations)
    counts["examinations"] += len(exams)
    counts["clearances"] += len(clearances)
    counts["stay adjustments"] += len(adjustments)
    return [
        (Vaccination, VACCINATION_COLUMNS, vaccinations),
        (Examination, EXAMINATION_COLUMNS, exams),
        (Clearance, CLEARANCE_COLUMNS, clearances),
        (StayAdjustment, ADJUSTMENT_COLUMNS, adjustments),
    ]


def _extend_households() -> int:
    """The household rule: everyone in quarantine with a contagious member stays as long."""
    adjustments = []
    now = clock.now()
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
    now = clock.now()
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
