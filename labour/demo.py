"""Labour demo data: the province's employers and sites as the cable describes them (mines
short about 4,000 workers, farming communes 7,000, factories, institutes and the Heavy
Industry Commission), the placements behind everyone the demo already placed, credentials for
those with three or more years of higher education (some only claimed, some verified, some
rejected as the cable's liars were), and ranked preferences for a share of households.

Registered as a demo loader; rows go in through the people demo's bulk writer (COPY on
PostgreSQL), so a million-person demo adds its placements in seconds, not minutes. Dates of
historical placements come from the person's state date: the demo keeps no labour history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from labour.models import Credential, Employer, Placement, Preference, Site, SiteKind, Vacancy
from people.demo import figures as F
from people.demo.generate import scaled
from people.models import Household, Person
from people.states import JourneyState as S
from waystation import clock
from waystation.rows import adapt_rows, insert_model_rows, insert_rows

BATCH = 20_000
PLACED_STATES = (S.PLACED, S.AT_WORK, S.MOVED, S.RESIDENCY_GRANTED)
# kind, employer, county, (x, y) km, [(occupation, share of the kind's shortage, heavy,
# difficulty, credential, min age)]
MINE_JOBS = [
    ("miner", 0.55, True, 0.85, "", 18),
    ("mine labourer", 0.40, True, 0.7, "", 17),
    ("mining engineer", 0.05, False, 0.35, "mining engineering diploma", 21),
]
FARM_JOBS = [
    ("farmhand", 0.85, False, 0.6, "", 16),
    ("tractor driver", 0.15, False, 0.45, "tractor driver certificate", 18),
]
FACTORY_JOBS = [
    ("machine operator", 0.7, False, 0.45, "", 16),
    ("welder", 0.3, True, 0.55, "welding certificate", 18),
]
INSTITUTE_JOBS = [
    ("researcher", 0.5, False, 0.3, "university diploma", 21),
    ("teacher", 0.5, False, 0.25, "teacher's diploma", 21),
]
CENTRAL_JOBS = [("engineer", 1.0, False, 0.3, "engineering diploma", 21)]
SITES = (
    ("mine", "Musan Mining Complex", "Musan County", (10, 80), 4, MINE_JOBS),
    ("mine", "Aoji Coal Mine", "Kyongwon County", (60, 120), 2, MINE_JOBS),
    ("mine", "Komdok Mine", "Kilju County", (-20, -60), 1, MINE_JOBS),
    ("farm", "Onsong Cooperative Farms", "Onsong County", (50, 130), 5, FARM_JOBS),
    ("farm", "Kyongsong Cooperative Farms", "Kyongsong County", (20, 10), 6, FARM_JOBS),
    ("farm", "Kilju Cooperative Farms", "Kilju County", (-20, -50), 5, FARM_JOBS),
    ("farm", "Hoeryong Cooperative Farms", "Hoeryong City", (40, 100), 4, FARM_JOBS),
    ("factory", "Chongjin Steel Works", "Chongjin City", (30, 20), 2, FACTORY_JOBS),
    ("factory", "Kimchaek Iron Works", "Kimchaek City", (-40, -90), 1, FACTORY_JOBS),
    ("factory", "Hoeryong Textile Mill", "Hoeryong City", (40, 102), 1, FACTORY_JOBS),
    ("institute", "Chongjin Mining Institute", "Chongjin City", (30, 22), 1, INSTITUTE_JOBS),
    (
        "institute",
        "Kyongsong Agricultural Institute",
        "Kyongsong County",
        (20, 12),
        1,
        INSTITUTE_JOBS,
    ),
    ("central_department", "Heavy Industry Commission", "Chongjin City", (31, 21), 1, CENTRAL_JOBS),
)
SHORTAGE = {
    "mine": 4_000,
    "farm": 7_000,
    "factory": 1_500,
    "institute": 60,
    "central_department": 40,
}
CREDENTIAL_OF = {
    "engineer": "engineering diploma",
    "teacher": "teacher's diploma",
    "technician": "technical school certificate",
    "doctor": "medical diploma",
    "agronomist": "university diploma",
}
PLACEMENT_COLUMNS = (
    "person_id",
    "vacancy_id",
    "site_id",
    "run_id",
    "start_date",
    "end_date",
    "status",
    "end_reason",
    "created_by_id",
    "created_at",
)


def _sites(rng: random.Random, factor: float) -> dict[str, list[tuple[Site, list[Vacancy]]]]:
    by_kind: dict[str, list[tuple[Site, list[Vacancy]]]] = defaultdict(list)
    units = defaultdict(int)
    for kind, _name, _county, _xy, count, _jobs in SITES:
        units[kind] += count
    for kind, name, county, (x, y), count, jobs in SITES:
        employer, _ = Employer.objects.get_or_create(
            name=name, defaults={"kind": kind, "province": F.PROVINCE}
        )
        for number in range(1, count + 1):
            site, _ = Site.objects.get_or_create(
                employer=employer,
                name=name if count == 1 else f"{name} No. {number}",
                defaults={
                    "kind": kind,
                    "province": F.PROVINCE,
                    "county": county,
                    "housing_places": 0,
                    "x_km": x + rng.uniform(-5, 5),
                    "y_km": y + rng.uniform(-5, 5),
                },
            )
            vacancies = []
            for occupation, share, heavy, difficulty, credential, min_age in jobs:
                open_slots = scaled(round(SHORTAGE[kind] * share / units[kind]), factor)
                vacancy, _ = Vacancy.objects.get_or_create(
                    site=site,
                    occupation=occupation,
                    defaults={
                        "slots": open_slots,
                        "heavy_work": heavy,
                        "difficulty": difficulty,
                        "required_credential": credential,
                        "skilled": bool(credential),
                        "min_age": min_age,
                    },
                )
                vacancies.append(vacancy)
            by_kind[kind].append((site, vacancies))
    return by_kind


def _placements(rng: random.Random, by_kind: dict, labour_user: Any) -> int:
    """Everyone the demo placed gets a placement (workers a job, dependants housing) at one
    site per household; those who left a job get an ended one. Positions and housing grow by
    what is taken, so the cable's shortage stays open."""
    weights = {
        "mine": 0.35,
        "farm": 0.45,
        "factory": 0.17,
        "institute": 0.02,
        "central_department": 0.01,
    }
    kinds, shares = list(weights), list(weights.values())
    household_site: dict[int, tuple[Site, list[Vacancy]]] = {}
    filled: dict[int, int] = defaultdict(int)
    housed: dict[int, int] = defaultdict(int)
    rows: list[tuple] = []
    now = clock.now()
    people = Person.objects.filter(state__in=[*PLACED_STATES, S.LEFT_JOB]).values_list(
        "id", "household_id", "birth_date", "state", "state_changed_at"
    )
    written = 0
    for person_id, household_id, birth, state, changed_at in people.iterator(chunk_size=BATCH):
        key = household_id or -person_id
        if key not in household_site:
            kind = rng.choices(kinds, shares)[0]
            household_site[key] = rng.choice(by_kind[kind])
        site, vacancies = household_site[key]
        age = (changed_at.date() - birth).days // 365 if birth else 30
        unskilled = [v for v in vacancies if not v.required_credential and age >= v.min_age]
        vacancy = rng.choice(unskilled) if 16 <= age < 60 and unskilled else None
        day = changed_at.date()
        if state == S.LEFT_JOB:
            if vacancy is None:
                continue
            row = (
                person_id,
                vacancy.pk,
                site.pk,
                None,
                day - dt.timedelta(days=rng.randint(20, 150)),
                day,
                "ended",
                "left the job",
                labour_user.pk if labour_user else None,
                now,
            )
        else:
            row = (
                person_id,
                vacancy.pk if vacancy else None,
                site.pk,
                None,
                day,
                None,
                "active",
                "",
                labour_user.pk if labour_user else None,
                now,
            )
            housed[site.pk] += 1
            if vacancy is not None:
                filled[vacancy.pk] += 1
        rows.append(row)
        if len(rows) >= BATCH:
            written += insert_rows(
                Placement._meta.db_table, PLACEMENT_COLUMNS, adapt_rows(rows, _vendor())
            )
            rows = []
    written += insert_rows(Placement._meta.db_table, PLACEMENT_COLUMNS, adapt_rows(rows, _vendor()))
    for sites in by_kind.values():
        for site, vacancies in sites:
            for vacancy in vacancies:
                vacancy.slots += filled[vacancy.pk]
            Vacancy.objects.bulk_update(vacancies, ["slots"])
            open_slots = sum(v.slots for v in vacancies) - sum(filled[v.pk] for v in vacancies)
            # Room for the workers still wanted and their families (about 1.6 persons each).
            site.housing_places = housed[site.pk] + int(open_slots * 1.6) + 20
    Site.objects.bulk_update(
        [s for sites in by_kind.values() for s, _v in sites], ["housing_places"]
    )
    return written


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _credentials(rng: random.Random, labour_user: Any) -> int:
    educated = Person.objects.filter(
        education_years__gte=3, education_level__in=["university", "technical"]
    ).values_list("id", "occupation", "education_years", "created_at")
    decided_on = F.CABLE_DATE - dt.timedelta(days=30)
    made = []
    for person_id, occupation, years, created_at in educated.iterator(chunk_size=BATCH):
        name = CREDENTIAL_OF.get(occupation, "university diploma")
        roll = rng.random()
        fields: dict[str, Any] = {"status": "claimed"}
        if roll < 0.40:
            fields = {
                "status": "verified",
                "evidence": "document",
                "document_seen": f"Diploma no. {rng.randint(1000, 99999)}",
                "issuing_institution": rng.choice(
                    (
                        "Kim Il Sung University",
                        "Kim Chaek University of Technology",
                        "Chongjin Mining College",
                        "Hamhung Medical College",
                    )
                ),
            }
        elif roll < 0.50:
            fields = {
                "status": "verified",
                "evidence": "practical_test",
                "test_result": "passed the practical test at the labour bureau",
            }
        elif roll < 0.65:
            fields = {
                "status": "rejected",
                "decision_note": rng.choice(
                    (
                        "the diploma shown was forged",
                        "failed the practical test",
                        "the institution has no record of the person",
                    )
                ),
            }
        if fields["status"] != "claimed":
            fields.update(decided_by=labour_user, decided_on=decided_on)
        made.append(
            Credential(
                person_id=person_id,
                kind="education",
                name=name,
                years=years,
                claimed_at=created_at,
                **fields,
            )
        )
    Credential.objects.bulk_create(made, batch_size=5_000)
    return len(made)


PREFERENCE_COLUMNS = ("household_id", "person_id", "rank", "kind", "sector", "county")
PREFERENCE_COLUMNS += ("stated_at", "superseded_at", "recorded_by_id")


def _preferences(rng: random.Random, share: float = 0.4) -> int:
    counties = sorted({county for _k, _n, county, _xy, _c, _j in SITES})
    kinds = list(SiteKind.values)
    stated = clock.now()
    rows: list[tuple] = []
    written = 0
    for household_id in Household.objects.values_list("id", flat=True).iterator(chunk_size=BATCH):
        if rng.random() >= share:
            continue
        first, second = rng.sample(kinds[:3], 2)
        rows.append((household_id, None, 1, "sector", first, "", stated, None, None))
        if rng.random() < 0.5:
            second_wish = ("near_relatives", "", rng.choice(counties))
        else:
            second_wish = ("sector", second, "")
        rows.append((household_id, None, 2, *second_wish, stated, None, None))
        if len(rows) >= BATCH:
            written += insert_model_rows(Preference, PREFERENCE_COLUMNS, rows)
            rows = []
    return written + insert_model_rows(Preference, PREFERENCE_COLUMNS, rows)


def load(seed: int, factor: float) -> dict:
    rng = random.Random(seed + 60)
    labour_user = get_user_model().objects.filter(username="labour").first()
    with transaction.atomic():
        by_kind = _sites(rng, factor)
        placements = _placements(rng, by_kind, labour_user)
        credentials = _credentials(rng, labour_user)
        preferences = _preferences(rng)
    return {
        "labour sites": sum(len(v) for v in by_kind.values()),
        "labour placements": placements,
        "credentials": credentials,
        "preferences": preferences,
    }
