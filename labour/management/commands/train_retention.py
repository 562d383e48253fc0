"""Train the calibrated retention model and report its calibration and held-out AUC.

With enough recorded outcomes (placements that lasted 180 days or ended sooner), the model
learns from them (--source auto or recorded); until then it is
trained on the demo history of labour.engine.history, whose documented ground-truth rule
decides who stays; the report then also shows the rule's own Brier score and AUC, the best
any model could reach. The trained model is saved where placement runs load it from."""

import json
from dataclasses import asdict
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from labour.engine import (
    CalibrationReport,
    RetentionModel,
    calibration_report,
    generate_history,
    train_and_report,
    train_retention_model,
)
from labour.services.outcomes import recorded_outcomes
from labour.services.retention import save_model


class Command(BaseCommand):
    help = "Train the 180-day retention model; report calibration and held-out AUC."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--records", type=int, default=50_000, help="history size (50000)")
        parser.add_argument(
            "--kind", choices=("gradient_boosting", "logistic"), default="gradient_boosting"
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--test-fraction", type=float, default=0.25)
        parser.add_argument(
            "--source",
            choices=("auto", "demo", "recorded"),
            default="auto",
            help="recorded placements when at least --min-recorded outcomes of both kinds "
            "are known (auto), or always one of the two",
        )
        parser.add_argument("--min-recorded", type=int, default=1_000)
        parser.add_argument("--no-save", action="store_true", help="report only")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["records"] < 200:
            raise CommandError("Train on at least 200 records.")
        if not 0.05 <= options["test_fraction"] <= 0.5:
            raise CommandError("The held-out fraction must be between 0.05 and 0.5.")
        source, model, report = self._train(options)
        path = None if options["no_save"] else save_model(model)
        if options["json"]:
            self.stdout.write(
                json.dumps({**asdict(report), "source": source, "saved_to": str(path or "")})
            )
            return
        self.stdout.write(f"source: {source}")
        self.stdout.write(
            f"{report.model_kind}: trained on {report.n_train}, held out {report.n_test} "
            f"(stayed 180 days: {report.base_rate:.1%})"
        )
        self.stdout.write(
            f"held-out AUC {report.auc:.3f}; Brier {report.brier:.4f}; "
            f"expected calibration error {report.expected_calibration_error:.4f}"
        )
        if report.oracle_auc is not None:
            self.stdout.write(
                f"the ground-truth rule itself: AUC {report.oracle_auc:.3f}, "
                f"Brier {report.oracle_brier:.4f}"
            )
        self.stdout.write("predicted   observed   count")
        for row in report.bins:
            if row.count:
                self.stdout.write(
                    f"{row.lower:.1f}-{row.upper:.1f}   {row.mean_predicted:.3f}   "
                    f"{row.observed_rate:.3f}   {row.count}"
                )
        if path:
            self.stdout.write(f"saved to {path}")

    def _train(self, options: dict) -> tuple[str, RetentionModel, CalibrationReport]:
        kind, seed, fraction = options["kind"], options["seed"], options["test_fraction"]
        if options["source"] != "demo":
            features, stayed = recorded_outcomes()
            enough = len(stayed) >= options["min_recorded"] and 0 < stayed.sum() < len(stayed)
            if enough:
                order = np.random.default_rng(seed).permutation(len(stayed))
                n_test = max(1, int(len(order) * fraction))
                test, train = order[:n_test], order[n_test:]
                model = train_retention_model(features[train], stayed[train], kind, seed)
                report = calibration_report(
                    model.predict_stay(features[test]),
                    stayed[test],
                    model_kind=kind,
                    n_train=len(train),
                )
                return "recorded", model, report
            if options["source"] == "recorded":
                raise CommandError(
                    f"Only {len(stayed)} recorded outcomes of placements (both kinds needed, "
                    f"at least {options['min_recorded']}); use --source demo."
                )
        history = generate_history(options["records"], seed=seed)
        model, report = train_and_report(history, kind=kind, test_fraction=fraction, seed=seed)
        return "demo", model, report
