"""Benchmark the register import on SQLite: a CSV of N persons in households of 1-5 (a tenth
of them on file already, so the files check finds candidates), read, dry run, import, and the
same file again (nothing added). Figures: rows per second for each step.

    .venv/bin/python bench/imports.py [--rows 2000]

Progress goes to stderr; the last stdout line is one JSON object with every figure.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAMILY = ["김", "리", "박", "최", "정", "강", "조", "윤", "장", "림", "한", "오", "서", "신", "권"]
GIVEN = ["영희", "철수", "순자", "영수", "정숙", "명수", "옥순", "광호", "춘희", "재수", "동일"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup_django(path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waystation.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("AUDIT_CHAIN_KEY", "bench-only-audit-chain-key")
    os.environ.setdefault("AUDIT_HEAD_FILE", "")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def register_csv(rows: int, rng: random.Random) -> str:
    lines = ["key,household,relationship,family name hangul,given name hangul,sex,date of birth"]
    household = 0
    while len(lines) <= rows:
        household += 1
        family = rng.choice(FAMILY)
        for index in range(rng.randint(1, 5)):
            relationship = "head" if index == 0 else rng.choice(["spouse", "child", "parent"])
            born = f"{rng.randint(1910, 1960)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            lines.append(
                f"K{len(lines)},H{household},{relationship},{family},{rng.choice(GIVEN)},"
                f"{rng.choice('MF')},{born}"
            )
    return "\n".join(lines[: rows + 1]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(str(Path(directory) / "bench.sqlite3"))
        from imports import services
        from imports.models import ImportJob
        from imports.register import run_register
        from people.models import Person
        from people.tests.factories import (
            PersonFactory,
            StaffProfileFactory,
            StationFactory,
            UserFactory,
        )
        from stations.roles import Role

        rng = random.Random(1961)
        station = StationFactory(code="onsong", name_en="Onsong")
        user = StaffProfileFactory(user=UserFactory(), role=Role.REGISTRAR, station=station).user
        for _index in range(args.rows // 10):  # people on file the check will find
            PersonFactory(
                station=station,
                family_name_hangul=rng.choice(FAMILY),
                given_name_hangul=rng.choice(GIVEN),
            )
        text = register_csv(args.rows, rng).encode()
        figures: dict[str, float] = {"rows": args.rows}

        def timed(name: str, dry_run: bool) -> None:
            started = time.perf_counter()
            job = services.upload(
                user=user,
                kind=ImportJob.Kind.REGISTER,
                source="bench",
                file_name="r.csv",
                data=text,
                station=station,
            )
            job.dry_run = dry_run
            outcome = run_register(job, lambda done: None)
            seconds = time.perf_counter() - started
            figures[f"{name}_seconds"] = round(seconds, 2)
            figures[f"{name}_rows_per_second"] = round(args.rows / seconds, 1)
            log(f"{name}: {seconds:.1f} s {outcome.counts}")
            figures.update({f"{name}_{k}": v for k, v in outcome.counts.items()})

        before = Person.objects.count()
        timed("dry_run", True)
        timed("import", False)
        timed("import_again", False)
        figures["persons_added"] = Person.objects.count() - before
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
