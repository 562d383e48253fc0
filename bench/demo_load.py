"""Benchmark of the demo loader (issue 2, item 9): `manage.py load_demo --persons N` into a
fresh database, timed as a whole and part by part (the people, then each app's loader).
Target: 1,000,000 persons in under 10 minutes on this machine (2 cores).

    .venv/bin/python bench/demo_load.py [--persons 1000000] [--database NAME]

Without --database a new SQLite file in a temporary folder; with it, that PostgreSQL database
on 127.0.0.1:5432 (user postgres) is dropped and made again. The load average before and
after is reported, since a busy machine stretches every figure. Progress on stderr; one JSON
object as the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from appserver import PYTHON, ROOT, bench_env, log, manage

TARGET_SECONDS = 600
PART = re.compile(
    r"^\s*(\w+): demo data added in ([\d.]+) s \(processor ([\d.]+) s\)", re.MULTILINE
)


def fresh_postgres(name: str) -> str:
    import psycopg

    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--database", default="", help="PostgreSQL database to (re)create")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="waystation-demo-load-"))
    if args.database:
        database_url = fresh_postgres(args.database)
    else:
        database_url = f"sqlite:///{workdir / 'demo.sqlite3'}"
    env = bench_env(workdir, database_url)
    log(f"migrating {database_url} ...")
    manage(env, "migrate", "--no-input", "-v0")
    log(f"loading {args.persons:,} persons (progress below) ...")
    before = load_average()
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "manage.py", "load_demo", "--persons", str(args.persons)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    found = PART.findall(result.stdout)
    parts = {name: float(wall) for name, wall, _cpu in found}
    processor = {name: float(cpu) for name, _wall, cpu in found}
    log(result.stdout)
    print(
        json.dumps(
            {
                "backend": "postgresql" if args.database else "sqlite",
                "persons": args.persons,
                "seconds": round(seconds, 1),
                "parts_seconds": parts,
                # this process and its workers; PostgreSQL's own server time is not in it
                "parts_processor_seconds": processor,
                "load_average_before_after": [before, load_average()],
                "target_seconds": TARGET_SECONDS,
                "target_met": seconds < TARGET_SECONDS,
            }
        )
    )


if __name__ == "__main__":
    main()
