"""Benchmark: the situation report for the whole province on a large demo data set (issue 8).

Creates its own SQLite database in a temporary directory (or uses --database-url, e.g. an
empty PostgreSQL database), migrates, loads `load_demo --persons N` and times the report for
the whole province on the cable's date, for one station, and for an earlier date.
Target: under 2 s on PostgreSQL for the province report.
Progress goes to stderr; the last line of stdout is one JSON object.

    .venv/bin/python bench/reports.py [--persons 1000000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_SECONDS = 2.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def manage(env: dict, *args: str, check: bool = True) -> int:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check).returncode


def timed(function, repeat: int) -> dict:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return {
        "first_s": round(seconds[0], 3),
        "median_s": round(statistics.median(seconds), 3),
        "best_s": round(min(seconds), 3),
        "runs": repeat,
        "totals": result.totals,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1961)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench")}
    env.setdefault("DJANGO_SETTINGS_MODULE", "waystation.settings")
    # The other apps' demo loaders sign documents; a throwaway key for throwaway data.
    env.setdefault("DOCUMENT_KEYS_SECRET", "bench-reports-throwaway-key")
    env.setdefault("AUDIT_CHAIN_KEY", "bench-reports-throwaway-key")
    if "HEALTH_NOTES_KEY" not in env:
        from cryptography.fernet import Fernet

        env["HEALTH_NOTES_KEY"] = Fernet.generate_key().decode()
    try:
        log("migrating ...")
        manage(env, "migrate", "--no-input", "-v0")
        log(f"loading {args.persons:,} demo persons (skipped if the database holds them) ...")
        started = time.perf_counter()
        # The people are written first; other apps' demo loaders run after them. The report
        # needs only the people, so a failing app loader is reported, not fatal.
        loader_status = manage(
            env, "load_demo", "--persons", str(args.persons), "--seed", str(args.seed),
            "--if-empty", "-v0", check=False,
        )  # fmt: skip
        load_seconds = time.perf_counter() - started
        # Bulk-loaded tables have no planner statistics until autovacuum gets to them; a
        # running database has them, so the timing is taken with them.
        log("analyzing ...")
        manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )

        os.environ.update(
            {key: env[key] for key in ("DATABASE_URL", "SECRET_KEY", "AUDIT_CHAIN_KEY")}
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waystation.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        from people.demo.figures import CABLE_DATE, PROVINCE
        from people.models import Person
        from reports.scopes import parse_scope
        from reports.situation import situation_report

        persons = Person.objects.count()
        if persons < args.persons:
            raise SystemExit(f"only {persons:,} of {args.persons:,} persons were loaded")
        if loader_status:
            log("warning: load_demo failed after the people were loaded (another app's loader)")
        province = parse_scope(f"province:{PROVINCE}")
        station = parse_scope("station:onsong")
        earlier = CABLE_DATE - dt.timedelta(days=180)
        log("timing the province report ...")
        result = {
            "benchmark": "reports.situation_report",
            "database": connection.vendor,
            "persons": persons,
            "load_s": round(load_seconds, 1),
            "load_demo_exit_status": loader_status,
            "province_on_cable_date": timed(
                lambda: situation_report(province, CABLE_DATE), args.repeat
            ),
            "station_on_cable_date": timed(
                lambda: situation_report(station, CABLE_DATE), args.repeat
            ),
            "province_180_days_earlier": timed(
                lambda: situation_report(province, earlier), args.repeat
            ),
            "target_s": TARGET_SECONDS,
        }
        result["meets_target"] = result["province_on_cable_date"]["median_s"] < TARGET_SECONDS
        connection.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
