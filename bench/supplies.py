"""Benchmark supplies: entitlement issue throughput with 10 concurrent clients, on SQLite and
(with --database-url) PostgreSQL, and the forecast for 6 stations x 100 weeks, engine alone
and the whole planning page (issue 5 targets: >= 200 issues/s on PostgreSQL; page < 1 s).

Each database runs in a child process on a fresh database of its own (a temporary SQLite file;
on PostgreSQL the database named in the URL is dropped and re-created, so give it one of its
own, e.g. postgres://postgres@127.0.0.1:5432/waystation_bench_supplies). The clients are
processes (no shared interpreter lock), each issuing blankets through the service to its own
persons; every station's chain serialises on its lock row, as in production.

    .venv/bin/python bench/supplies.py [--database-url postgres://...] [--issues 3000]

Progress goes to stderr; the last stdout line is one JSON object with every figure.
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(ROOT))
CLIENTS = 10
STATIONS = ("onsong", "hoeryong", "namyang", "kyongsong", "musan", "kyongwon")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waystation.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("AUDIT_CHAIN_KEY", "bench-only-audit-chain-key")
    os.environ.setdefault("HTTPS", "0")  # the in-process client speaks plain http
    # The bench administrator signs in with force_login and has no authenticator app.
    os.environ.setdefault("OTP_REQUIRED_ROLES", "")
    import django

    django.setup()


def fresh_postgres(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(issues: int) -> dict:
    """Stations, an administrator as the clerk, persons, blankets in stock, crossings."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from people.models import Crossing, Person
    from stations.models import StaffProfile, Station
    from supplies import services
    from supplies.forecast import synthetic_history
    from supplies.models import Item, SleepingPlace

    call_command("migrate", verbosity=0)
    stations = [
        Station.objects.create(
            code=code,
            name_en=code.title(),
            name_ko=code,
            name_zh=code,
            county="County",
            province="North Hamgyong",
        )
        for code in STATIONS
    ]
    for station in stations:
        SleepingPlace.objects.create(station=station, name="Beds", kind="building", capacity=300)
    admin = get_user_model().objects.create_user("bench-admin", password="x")
    StaffProfile.objects.create(user=admin, role="administrator")
    now = timezone.now()
    persons = Person.objects.bulk_create(
        Person(
            family_name_hangul="김",
            given_name_hangul=f"{i}",
            sex="M",
            birth_date=dt.date(1930, 1, 1),
            station=stations[i % len(stations)],
            state="registered",
            state_changed_at=now,
            created_at=now,
        )
        for i in range(issues)
    )
    blanket = Item.objects.get(code="blanket")
    for station in stations:
        services.receive(user=admin, station=station, item=blanket, quantity=issues)
    # Crossings: 6 stations x 100 weeks, shaped like the cable (synthetic history).
    history = synthetic_history(weeks=100, last_week=dt.date(1961, 11, 8))
    rows = []
    for station, (_, series) in zip(stations, sorted(history.items()), strict=True):
        for week, count in series.items():
            start = dt.datetime.combine(week.date(), dt.time(10), tzinfo=dt.UTC)
            for k in range(int(count)):
                rows.append(
                    Crossing(
                        person=persons[k % len(persons)],
                        station=station,
                        direction="in",
                        crossed_at=start + dt.timedelta(hours=(k * 7) % 160),
                        created_at=now,
                    )
                )
    Crossing.objects.bulk_create(rows, batch_size=5000)
    return {"persons": len(persons), "crossings": len(rows)}


def client(index: int, person_ids: list[int], barrier: object, queue: object) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from people.models import Person
    from supplies.entitlements import issue_entitlement
    from supplies.models import Entitlement

    connection.close()  # never share the parent's connection
    admin = get_user_model().objects.get(username="bench-admin")
    line = Entitlement.objects.get(category="border_crosser", code="blanket")
    persons = list(Person.objects.filter(pk__in=person_ids).select_related("station"))
    at = dt.datetime(1961, 11, 8, 10, tzinfo=dt.UTC)
    barrier.wait()
    started = time.perf_counter()
    latencies, errors = [], []
    for person in persons:
        t0 = time.perf_counter()
        try:
            issue_entitlement(user=admin, person=person, entitlement=line, at=at)
        except Exception as error:  # noqa: BLE001 - counted and reported, never hidden
            errors.append(f"{type(error).__name__}: {error}")
            continue
        latencies.append((time.perf_counter() - t0) * 1000)
    queue.put((index, started, time.perf_counter(), latencies, errors))
    connection.close()


def throughput(issues: int) -> dict:
    from django.db import connection

    from people.models import Person
    from supplies.models import EntitlementIssue, Movement

    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    connection.close()
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(CLIENTS), context.Queue()
    workers = [
        context.Process(target=client, args=(i, ids[i::CLIENTS], barrier, queue))
        for i in range(CLIENTS)
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=900) for _ in workers]
    for worker in workers:
        worker.join()
    start = min(r[1] for r in results)
    end = max(r[2] for r in results)
    latencies = sorted(x for r in results for x in r[3])
    issued = EntitlementIssue.objects.count()
    errors = [e for r in results for e in r[4]]
    assert issued + len(errors) == issues, (issued, len(errors), issues)
    assert not Movement.objects.filter(balance_after__lt=0).exists()
    return {
        "clients": CLIENTS,
        "issues": issued,
        "errors": len(errors),
        "first_errors": errors[:3],
        "seconds": round(end - start, 2),
        "issues_per_second": round(issued / (end - start), 1),
        "latency_median_ms": round(statistics.median(latencies), 1),
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


def forecast_timings(repeats: int) -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from stations.models import Station
    from supplies.forecast import DEFAULT_CACHE, forecast_stations, synthetic_history
    from supplies.planning import weekly_arrivals

    setup_test_environment()
    history = synthetic_history(weeks=100)
    engine_cold = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        forecast_stations(history, horizon=12, cache=None)
        engine_cold.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    weekly = weekly_arrivals(list(Station.objects.all()))
    sql_ms = (time.perf_counter() - t0) * 1000
    from django.contrib.auth import get_user_model

    browser = Client()
    browser.force_login(get_user_model().objects.get(username="bench-admin"))
    browser.get("/supplies/planning/")  # imports and first connection
    cold, warm = [], []
    for _ in range(repeats):
        DEFAULT_CACHE.clear()
        t0 = time.perf_counter()
        response = browser.get("/supplies/planning/")
        cold.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200 and b"fan-onsong" in response.content
        t0 = time.perf_counter()
        browser.get("/supplies/planning/")
        warm.append((time.perf_counter() - t0) * 1000)
    return {
        "stations": len(weekly),
        "weeks": max(len(rows) for rows in weekly.values()),
        "engine_cold_median_ms": round(statistics.median(engine_cold), 1),
        "weekly_sql_ms": round(sql_ms, 1),
        "page_cold_median_ms": round(statistics.median(cold), 1),
        "page_cold_max_ms": round(max(cold), 1),
        "page_cached_median_ms": round(statistics.median(warm), 1),
    }


def child(url: str, issues: int, repeats: int) -> dict:
    if url.startswith("postgres"):
        fresh_postgres(url)
    setup_django(url)
    from django.db import connection

    log(f"[{connection.vendor}] building: {issues} persons, 6 stations x 100 weeks of crossings")
    built = build(issues)
    log(f"[{connection.vendor}] issuing with {CLIENTS} client processes")
    result = {"vendor": connection.vendor, **built, "issue": throughput(issues)}
    log(f"[{connection.vendor}] {result['issue']}")
    result["forecast"] = forecast_timings(repeats)
    log(f"[{connection.vendor}] {result['forecast']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (own database)")
    parser.add_argument("--issues", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.issues, args.repeats)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"sqlite": f"sqlite:///{tmp}/bench.sqlite3"}
        if args.database_url:
            urls["postgresql"] = args.database_url
        for name, url in urls.items():
            command = [sys.executable, __file__, "--child", url]
            command += ["--issues", str(args.issues), "--repeats", str(args.repeats)]
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=ROOT, check=False)
            if done.returncode != 0 or not done.stdout.strip():
                results[name] = {"error": f"child exited with {done.returncode}"}
                continue
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    summary = {
        "benchmark": "supplies",
        "targets": {"postgresql_issues_per_second": 200, "planning_page_ms": 1000},
        **results,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
