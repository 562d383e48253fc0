"""Benchmark the export writers on 1,000,000 rows x 8 columns.

Run from the repository root:  .venv/bin/python bench/exports.py [--rows N] [--formats ...]

Formats: csv, csv_anonymised (names pseudonymised, birth dates banded, numbers masked),
hxl, xlsx (zip-streamed, what downloads use) and, on request, xlsx_tempfile (openpyxl
write-only into a temporary file, then streamed). For each format it reports time to first byte (what the browser waits for before the
download starts), total time, bytes, and peak RSS. Each format runs in its own child
process so every peak belongs to that format alone; ``rss_before_mb`` is the child's
resident size just before the export, so peak minus before is what the export added.
The last stdout line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.exports import (  # noqa: E402
    ColumnSpec,
    export_stream,
    standard_anonymisation,
    stream_xlsx,
)

FORMATS = ("csv", "csv_anonymised", "hxl", "xlsx", "xlsx_tempfile")
# openpyxl's temp-file path needs minutes for a million rows; opt in with --formats.
DEFAULT_FORMATS = ("csv", "csv_anonymised", "hxl", "xlsx")
COLUMNS = [
    ColumnSpec("person_id", "Person"),
    ColumnSpec("name", "Name"),
    ColumnSpec("station", "Station", "#loc+name"),
    ColumnSpec("province", "Province", "#adm1+name"),
    ColumnSpec("date_of_birth", "Date of birth"),
    ColumnSpec("arrived_on", "Arrived", "#date+arrived"),
    ColumnSpec("document_number", "Document"),
    ColumnSpec("balance", "Travel fund balance", "#value+balance"),
]
STATIONS = ("Onsong", "Hoeryong", "Kyongsong", "Namyang", "Musan", "Sixth station")
NAMES = ("김철수 Kim Chol-su", "리영희 Ri Yong-hui", "박정남 Pak Jong-nam", "=HYPERLINK(evil)")


def synthetic_rows(count: int) -> Iterator[dict[str, Any]]:
    """Rows made on the fly, as a database cursor would hand them over."""
    first_arrival = date(1960, 3, 1)
    for index in range(count):
        yield {
            "person_id": index + 1,
            "name": NAMES[index % len(NAMES)],
            "station": STATIONS[index % len(STATIONS)],
            "province": "North Hamgyong",
            "date_of_birth": date(1920 + index % 40, 1 + index % 12, 1 + index % 28),
            "arrived_on": first_arrival + timedelta(days=index % 615),
            "document_number": f"TP-{index:08d}",
            "balance": (index % 200) - 50.5,
        }


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return round(resident_pages * resource.getpagesize() / 1024 / 1024, 1)


def run_one(format_name: str, rows: int) -> dict[str, Any]:
    columns = COLUMNS
    stream_format = format_name
    if format_name == "csv_anonymised":
        columns = standard_anonymisation(
            COLUMNS,
            name_keys=["name"],
            birth_date_keys=["date_of_birth"],
            document_keys=["document_number"],
        )
        stream_format = "csv"
    if format_name == "xlsx_tempfile":
        stream = stream_xlsx(synthetic_rows(rows), columns)
    else:
        stream = export_stream(stream_format, synthetic_rows(rows), columns)  # type: ignore[arg-type]
    rss_before = current_rss_mb()
    started = time.perf_counter()
    first_byte = None
    total_bytes = 0
    for chunk in stream:
        if first_byte is None and chunk:
            first_byte = time.perf_counter() - started
        total_bytes += len(chunk)
    total = time.perf_counter() - started
    return {
        "format": format_name,
        "rows": rows,
        "columns": len(columns),
        "ttfb_s": round(first_byte or total, 4),
        "total_s": round(total, 2),
        "rows_per_s": round(rows / total),
        "bytes": total_bytes,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(DEFAULT_FORMATS))
    parser.add_argument("--one", choices=FORMATS, help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.one:
        print(json.dumps(run_one(arguments.one, arguments.rows)))
        return

    results = {}
    for format_name in arguments.formats:
        child = subprocess.run(
            [sys.executable, __file__, "--one", format_name, "--rows", str(arguments.rows)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        results[format_name] = result
        print(
            f"{format_name:>15}: {result['rows']:,} rows  first byte {result['ttfb_s']} s  "
            f"total {result['total_s']} s  {result['bytes'] / 1e6:.0f} MB  "
            f"RSS {result['rss_before_mb']} -> peak {result['peak_rss_mb']} MB"
        )
    print(json.dumps({"bench": "exports", "rows": arguments.rows, "results": results}))


if __name__ == "__main__":
    main()
