"""Benchmark of the files check through Django: live check per lookup, batch dedup, Splink.

    DATABASE_URL=... .venv/bin/python bench/identity.py [--persons 1000000] [--queries 500]
        [--no-splink] [--keep] [--build-only]

1. Builds a registry of --persons registrations (synthetic persons crossing 1-8 times,
   names in Hanzi, Hangul, pinyin, RR, MR or informal spellings with typos and date
   errors) in the Django database: persons in bulk, then the identity keys through the
   same backfill the demo loader uses. Without DATABASE_URL a fresh SQLite file under
   /tmp is used; with a PostgreSQL URL that database is used (and flushed first).
2. Live check: --queries registered records, each looked up through the Django service
   (identity.check.live_check, SQL blocking on stored keys + engine scoring) excluding
   itself, as a registrar's check runs (records below the review band offered too): median
   and p95 per lookup, and how often the top candidate is the same person.
3. Batch: identity.batch.run_dedup over the registry (the command's code path): time and
   precision / recall / F1 of the automatic links and of review-or-auto links.
4. Splink (DuckDB backend) on the same records, if installed: time and F1 at p >= 0.9.
   Splink is installed for the benchmark only (pip install 'splink>=4,<5'); not a dependency.
   Its time is given for the model alone ("seconds") and from the registry
   ("end_to_end_seconds": reading the persons and deriving the comparable forms it is given,
   as our batch's time includes loading them), and "comparison" sets the end-to-end time
   and F1 beside ours.

Progress goes to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.util
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def setup_django(keep: bool, persons: int) -> str:
    if not os.environ.get("DATABASE_URL"):
        path = Path(f"/tmp/wt_identity_bench_{persons}.sqlite3")
        if path.exists() and not keep:
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("AUDIT_CHAIN_KEY", "bench-only-audit-chain-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waystation.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return connection.vendor


def engine_bench() -> Any:
    spec = importlib.util.spec_from_file_location(
        "identity_engine_bench", ROOT / "bench" / "identity_engine.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def person_fields(record: Any) -> dict[str, Any]:
    """A synthetic registration as a Person row (about a third carry a resident ID)."""
    birth = record.birth_date
    if birth is None:
        date, precision = None, "unknown"
    elif birth.is_complete and birth.as_date():
        date, precision = birth.as_date(), "day"
    elif birth.month:
        date, precision = dt.date(birth.year, birth.month, 1), "month"
    else:
        date, precision = dt.date(birth.year, 1, 1), "year"
    return {
        "family_name_hanzi": record.family_hanzi[:60],
        "given_name_hanzi": record.given_hanzi[:60],
        "family_name_hangul": record.family_hangul[:60],
        "given_name_hangul": record.given_hangul[:60],
        "family_name_latin": record.family_latin[:80],
        "given_name_latin": record.given_latin[:80],
        "sex": record.sex or "X",
        "birth_date": date,
        "birth_date_precision": precision,
        "place_of_origin": record.attributes.get("birth_place", "")[:200],
        "document_number": record.document_number[:18],
    }


def truth_file(vendor: str, persons: int, seed: int) -> Path:
    return Path(f"/tmp/wt_identity_truth_{vendor}_{persons}_{seed}.json")


def reuse_registry(
    persons: int, seed: int
) -> tuple[list[int], dict[int, int], dict[str, float]] | None:
    """The registry a previous --keep run built, if it is still there intact."""
    from django.db import connection

    from identity.models import PersonKeys
    from people.models import Person

    path = truth_file(connection.vendor, persons, seed)
    if not path.exists():
        return None
    stored = json.loads(path.read_text())
    ids = stored["ids"]
    if Person.objects.count() != len(ids) or PersonKeys.objects.count() != len(ids):
        return None
    log(f"registry: reusing the {len(ids):,} persons of an earlier --keep run")
    with connection.cursor() as cursor:  # each run starts with no earlier batch results
        cursor.execute("DELETE FROM identity_reviewitem")
        cursor.execute("DELETE FROM identity_deduprun")
    return ids, dict(zip(ids, stored["truth"], strict=True)), {"reused": True}


def build_registry(
    persons: int, seed: int, keep: bool = False
) -> tuple[list[int], dict[int, int], dict[str, float]]:
    from django.db import connection, transaction
    from django.utils import timezone

    from identity.engine.synthetic import generate_registry
    from identity.keys import analyze_tables, backfill_keys
    from identity.models import BlockingKey, PersonKeys
    from people.demo.bulk import indexes_built_afterwards
    from people.models import Person
    from people.tests.factories import StationFactory

    with connection.cursor() as cursor:
        vendor = connection.vendor

        if vendor == "postgresql":
            cursor.execute(
                "TRUNCATE identity_blockingkey, identity_personkeys, identity_reviewitem, "
                "identity_deduprun, identity_matchlabel, identity_personlink, people_crossing, "
                "people_personname, people_journeytransition, people_auditentry, people_person, "
                "people_household CASCADE"
            )
    station = StationFactory(code=f"bench{random.randrange(10**9)}")
    now = timezone.now()
    started = time.perf_counter()
    ids: list[int] = []
    truth: dict[int, int] = {}
    batch: list[tuple[Person, int]] = []

    def flush() -> None:
        with transaction.atomic():
            created = Person.objects.bulk_create([p for p, _ in batch], batch_size=5_000)
        for person, (_, truth_id) in zip(created, batch, strict=True):
            ids.append(person.pk)
            truth[person.pk] = truth_id
        batch.clear()

    for record, person_id in generate_registry(persons, seed=seed):
        fields = person_fields(record)
        batch.append(
            (
                Person(
                    **fields,
                    station=station,
                    state="registered",
                    state_changed_at=now,
                    created_at=now,
                ),
                int(person_id[1:]),
            )
        )
        if len(batch) >= 20_000:
            flush()
            log(f"registry: {len(ids):,}/{persons:,} persons")
    if batch:
        flush()
    insert_seconds = time.perf_counter() - started
    log(f"registry: {len(ids):,} persons inserted in {insert_seconds:.0f} s; storing keys")
    started = time.perf_counter()
    done = {"n": 0, "last": time.perf_counter()}

    def progress(count: int) -> None:
        done["n"] += count
        if time.perf_counter() - done["last"] > 10:
            done["last"] = time.perf_counter()
            log(f"keys: {done['n']:,}/{len(ids):,}")

    # The key table's index is built once from all 27M rows rather than grown row by row;
    # the statistics are taken again once it exists.
    with indexes_built_afterwards([BlockingKey._meta.db_table, PersonKeys._meta.db_table]):
        backfill_keys(progress=progress, chunk=10_000)
    analyze_tables()
    keys_seconds = time.perf_counter() - started
    log(f"keys stored in {keys_seconds:.0f} s")
    if keep:
        path = truth_file(connection.vendor, persons, seed)
        path.write_text(json.dumps({"ids": ids, "truth": [truth[pk] for pk in ids]}))
    return (
        ids,
        truth,
        {"insert_seconds": round(insert_seconds, 1), "keys_seconds": round(keys_seconds, 1)},
    )


def live_bench(ids: list[int], truth: dict[int, int], queries: int, seed: int) -> dict[str, Any]:
    from identity.check import current_model, live_check
    from identity.keys import PERSON_FIELDS
    from people.models import Person

    model = current_model()
    rng = random.Random(seed)
    sample = rng.sample(ids, min(queries, len(ids)))
    rows = {row["id"]: row for row in Person.objects.filter(pk__in=sample).values(*PERSON_FIELDS)}
    counts: dict[int, int] = {}
    for truth_id in truth.values():
        counts[truth_id] = counts.get(truth_id, 0) + 1
    # as the registrar's check runs: the best records below the review band are offered too
    live_check(rows[sample[0]], exclude={sample[0]}, model=model, offer_below_band=True)
    timings, hits, answerable = [], 0, 0
    for pk in sample:
        started = time.perf_counter()
        _, candidates = live_check(rows[pk], exclude={pk}, model=model, offer_below_band=True)
        timings.append((time.perf_counter() - started) * 1000)
        if counts[truth[pk]] > 1:
            answerable += 1
            hits += bool(candidates) and truth[candidates[0].person.pk] == truth[pk]
    timings.sort()
    return {
        "lookups": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "max_ms": round(timings[-1], 2),
        "top1_same_person": round(hits / answerable, 4) if answerable else None,
        "lookups_with_earlier_record": answerable,
    }


def batch_bench(truth: dict[int, int], engine: Any) -> tuple[dict[str, Any], Any]:
    import numpy as np

    from identity.batch import run_dedup, start_run
    from identity.engine import AUTO_LINK

    started = time.perf_counter()
    last = {"t": 0.0}

    def progress(stage: str, done: int, total: int) -> None:
        if time.perf_counter() - last["t"] > 10:
            last["t"] = time.perf_counter()
            log(f"batch {stage}: {done:,}/{total:,}")

    run = run_dedup(start_run(None), extra_progress=progress)
    seconds = time.perf_counter() - started
    result = run.result
    order = sorted(truth)
    position = {pk: n for n, pk in enumerate(order)}
    person_ids = np.array([truth[pk] for pk in order])
    left = np.array([position[int(p.left_id)] for p in result.pairs], dtype=np.int64)
    right = np.array([position[int(p.right_id)] for p in result.pairs], dtype=np.int64)
    auto = np.array([p.band == AUTO_LINK for p in result.pairs], dtype=bool)
    report = {
        "seconds": round(seconds, 1),
        "stage_seconds": {
            key[8:]: round(value, 1)
            for key, value in run.stats.items()
            if key.startswith("seconds_")
        },
        "clusters": len(result.clusters),
        "stored_review_items": run.reviewitem_set.count(),
        "auto_link": engine.pair_truth(person_ids, left[auto], right[auto]) if len(left) else {},
        "review_or_auto": engine.pair_truth(person_ids, left, right) if len(left) else {},
    }
    return report, person_ids


def splink_bench(engine: Any, person_ids: Any, truth: dict[int, int]) -> dict[str, Any]:
    from identity.keys import PERSON_FIELDS, prepare_record, record_of
    from people.models import Person

    # Every person, filtered here: a million ids in an IN list is too many SQL variables
    # for SQLite.
    started = time.perf_counter()
    rows = Person.objects.order_by("pk").values(*PERSON_FIELDS).iterator(chunk_size=20_000)
    prepared = []
    for row in rows:
        if row["id"] not in truth:
            continue
        record = prepare_record(record_of(row))
        place = record.attributes.get("place_of_origin")
        prepared.append(
            dataclasses.replace(record, attributes={"birth_place": place} if place else {})
        )
    read_seconds = time.perf_counter() - started
    result = engine.splink_benchmark(prepared, person_ids)
    if "seconds" in result:
        # Splink starts from the same registry as our batch, whose time includes reading it
        # and deriving the comparable name forms; Splink is given those very forms.
        result["read_and_prepare_seconds"] = round(read_seconds, 1)
        result["end_to_end_seconds"] = round(
            read_seconds + result["frame_seconds"] + result["seconds"], 1
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1961)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the registry an earlier --keep run built (and keep this one for the next)",
    )
    parser.add_argument("--build-only", action="store_true", help="build the registry, stop")
    arguments = parser.parse_args()
    vendor = setup_django(arguments.keep, arguments.persons)
    engine = engine_bench()
    log(f"database: {vendor}; registry of {arguments.persons:,}")
    reused = reuse_registry(arguments.persons, arguments.seed) if arguments.keep else None
    ids, truth, build = reused or build_registry(
        arguments.persons, arguments.seed, keep=arguments.keep
    )
    if arguments.build_only:
        return
    report: dict[str, Any] = {"database": vendor, "persons": len(ids), "build": build}
    report["live_check"] = live_bench(ids, truth, arguments.queries, arguments.seed)
    log(f"live check: {report['live_check']}")
    report["batch"], person_ids = batch_bench(truth, engine)
    log(f"batch: {report['batch']}")
    if arguments.no_splink:
        report["splink"] = {"skipped": "--no-splink"}
    else:
        try:
            report["splink"] = splink_bench(engine, person_ids, truth)
        except Exception as error:  # a failing optional comparison must not lose the rest
            log(f"splink: failed: {error!r}")
            report["splink"] = {"failed": repr(error)}
    if "end_to_end_seconds" in report["splink"]:
        report["comparison"] = {
            "ours_seconds": report["batch"]["seconds"],
            "splink_end_to_end_seconds": report["splink"]["end_to_end_seconds"],
            "splink_model_seconds": report["splink"]["seconds"],
            "ours_auto_link_f1": report["batch"]["auto_link"]["f1"],
            "splink_f1": report["splink"]["links"]["f1"],
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
