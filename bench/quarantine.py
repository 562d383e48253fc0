"""Benchmark: the quarantine board and the outbreak view with 20,000 people in quarantine and
200,000 past stays (issue 4: p95 under 200 ms each).

Builds its own SQLite database in a temporary directory (migrate, then bulk inserts), then
times the pages through Django's test client as a logged-in medical officer, one request at a
time. Prints progress to stderr and one JSON object as the last line of stdout.

    .venv/bin/python bench/quarantine.py [--open 20000] [--past 200000] [--repeats 200]
"""

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIONS = (("onsong", 0.30), ("hoeryong", 0.20), ("namyang", 0.09), ("kyongsong", 0.18))
STATIONS += (("musan", 0.14), ("kyongwon", 0.09))
COUNTIES = ("Onsong County", "Kilju County", "Hoeryong City", "Kyongsong County", "Musan County")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(samples: list[tuple[float, float]]) -> dict:
    wall = [w for w, _cpu in samples]
    cpu = [c for _w, c in samples]
    return {
        "n": len(wall),
        "median_ms": round(statistics.median(wall), 1),
        "p95_ms": round(percentile(wall, 0.95), 1),
        # The server's own CPU time per request: what the page costs when the shared
        # cores are busy with other work (wall-clock time then includes waiting for a core).
        "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
    }


def build(open_stays: int, past_stays: int, cases: int, rng: random.Random) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from health.cases import week_of
    from health.models import (
        Disease,
        DiseaseCase,
        Examination,
        QuarantineStay,
        Vaccination,
        Vaccine,
    )
    from people.models import Person
    from stations.models import StaffProfile, Station
    from supplies.models import SleepingPlace

    now = timezone.now()
    today = timezone.localdate()
    User = get_user_model()
    stations, officers = [], {}
    for code, _share in STATIONS:
        station = Station.objects.create(
            code=code,
            name_en=code.title(),
            name_ko=code,
            name_zh=code,
            county=f"{code.title()} County",
            province="North Hamgyong",
        )
        SleepingPlace.objects.create(station=station, name="Beds", kind="building", capacity=8000)
        user = User.objects.create(username=f"medical-{code}")
        StaffProfile.objects.create(user=user, role="medical_officer", station=station)
        stations.append(station)
        officers[code] = user
    weights = [share for _code, share in STATIONS]
    vaccines = list(Vaccine.objects.filter(doses_required__gt=0))
    diseases = list(Disease.objects.all())
    batch = 10_000
    total = open_stays + past_stays
    with transaction.atomic():
        for start in range(0, total, batch):
            size = min(batch, total - start)
            people, stays = [], []
            for i in range(start, start + size):
                station = rng.choices(stations, weights)[0]
                is_open = i < open_stays
                people.append(
                    Person(
                        family_name_hangul="김",
                        given_name_hangul=f"철수{i}",
                        family_name_latin="Kim",
                        given_name_latin=f"Chol-su {i}",
                        sex="M" if i % 2 else "F",
                        birth_date=dt.date(1930, 1, 1) + dt.timedelta(days=i % 9000),
                        station=station,
                        state="in_quarantine" if is_open else "at_work",
                        state_changed_at=now,
                        created_at=now,
                    )
                )
            people = Person.objects.bulk_create(people)
            for i, person in zip(range(start, start + size), people, strict=True):
                is_open = i < open_stays
                begun = today - dt.timedelta(
                    days=rng.randint(0, 14) if is_open else rng.randint(20, 730)
                )
                stays.append(
                    QuarantineStay(
                        person=person,
                        station_id=person.station_id,
                        status="open" if is_open else "cleared",
                        started_on=begun,
                        planned_days=15,
                        planned_end=begun + dt.timedelta(days=15),
                        washed_on=begun if rng.random() < 0.9 else None,
                        disinfected_on=begun if rng.random() < 0.85 else None,
                        closed_on=None if is_open else begun + dt.timedelta(days=15),
                    )
                )
            stays = QuarantineStay.objects.bulk_create(stays)
            shots, exams = [], []
            for stay in stays:
                days_in = (today - stay.started_on).days if stay.status == "open" else 15
                for offset, vaccine in enumerate(vaccines, start=1):
                    if offset <= days_in:
                        shots.append(
                            Vaccination(
                                stay=stay,
                                person_id=stay.person_id,
                                vaccine=vaccine,
                                dose=1,
                                lot_number="B-1",
                                given_on=stay.started_on + dt.timedelta(days=offset),
                                recorded_at=now,
                            )
                        )
                if days_in >= 10:
                    exams.append(
                        Examination(
                            stay=stay,
                            examined_on=stay.started_on + dt.timedelta(days=10),
                            fitness="heavy",
                            contagious=False,
                            recorded_at=now,
                        )
                    )
            Vaccination.objects.bulk_create(shots, batch_size=batch)
            Examination.objects.bulk_create(exams, batch_size=batch)
            log(f"  {start + size:,} of {total:,} stays")
        rows = []
        for _ in range(cases):
            onset = today - dt.timedelta(days=int(rng.triangular(0, 730, 0)))
            rows.append(
                DiseaseCase(
                    disease=rng.choice(diseases),
                    station=rng.choices(stations, weights)[0],
                    county=rng.choice(COUNTIES),
                    onset_date=onset,
                    week=week_of(onset),
                    isolated=True,
                    recorded_at=now,
                )
            )
        DiseaseCase.objects.bulk_create(rows, batch_size=batch)
    return officers


def timed(client, path: str) -> tuple[float, float]:
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - cpu_started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--past", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument(
        "--workdir",
        help="keep the database here and reuse it on the next run (default: a new temp dir)",
    )
    args = parser.parse_args()
    rng = random.Random(4)
    workdir = args.workdir or tempfile.mkdtemp(prefix="waystation-quarantine-")
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret"),
            "AUDIT_CHAIN_KEY": os.environ.get("AUDIT_CHAIN_KEY", "bench-only-audit-chain-key"),
            "HEALTH_NOTES_KEY": "Y2pZ2Zk1m0Qx7tq9cX3gO7Vn8fJ0x0m2c9JmQ1r3s0E=",
            "ALLOWED_HOSTS": "testserver,localhost",
            "DJANGO_SETTINGS_MODULE": "waystation.settings",
            "DEBUG": "0",
            "HTTPS": "0",  # the in-process client speaks plain http
        }
    )
    os.environ.pop("WAYSTATION_TODAY", None)
    log(f"migrating {workdir} ...")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, check=True
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from health.models import DiseaseCase, QuarantineStay

    started = time.perf_counter()
    if args.workdir and QuarantineStay.objects.exists():
        log("reusing the data already in --workdir")
        officers = {
            code: get_user_model().objects.get(username=f"medical-{code}") for code, _ in STATIONS
        }
    else:
        log(f"building {args.open:,} open and {args.past:,} past stays ...")
        officers = build(args.open, args.past, args.cases, rng)
    build_seconds = round(time.perf_counter() - started, 1)
    clients = {}
    for code, user in officers.items():
        clients[code] = Client()
        clients[code].force_login(user)
    codes = list(officers)
    for code in codes:  # warm up every station's board once
        timed(clients[code], f"/health/stations/{code}/quarantine/")
        timed(clients[code], "/health/outbreaks/")
    board_times, outbreak_times, dashboard_times = [], [], []
    for _ in range(args.repeats):
        code = rng.choice(codes)
        query = rng.choice(["", "?due=1", f"?page={rng.randint(1, 30)}"])
        board_times.append(timed(clients[code], f"/health/stations/{code}/quarantine/{query}"))
        weeks = rng.choice([12, 26, 104])
        start = (dt.date.today() - dt.timedelta(weeks=weeks)).isoformat()
        outbreak_times.append(timed(clients[code], f"/health/outbreaks/?start={start}"))
        dashboard_times.append(timed(clients[code], f"/stations/{code}/"))
    result = {
        "benchmark": "quarantine",
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
        "open_stays": QuarantineStay.objects.filter(status="open").count(),
        "past_stays": QuarantineStay.objects.exclude(status="open").count(),
        "disease_cases": DiseaseCase.objects.count(),
        "build_seconds": build_seconds,
        "board": summary(board_times),
        "outbreak": summary(outbreak_times),
        "station_dashboard": summary(dashboard_times),
        "target_p95_ms": 200,
    }
    result["pass"] = all(result[k]["p95_ms"] < 200 for k in ("board", "outbreak"))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
