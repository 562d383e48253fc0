"""Train the calibrated retention model and report its calibration and held-out AUC.

Until outcomes (who left a job, after how long) are recorded in enough number, the model is
trained on the demo history of labour.engine.history, whose documented ground-truth rule
decides who stays; the report then also shows the rule's own Brier score and AUC, the best
any model could reach. The trained model is saved where placement runs load it from."""

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from labour.engine import generate_history, train_and_report
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
        parser.add_argument("--no-save", action="store_true", help="report only")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["records"] < 200:
            raise CommandError("Train on at least 200 records.")
        if not 0.05 <= options["test_fraction"] <= 0.5:
            raise CommandError("The held-out fraction must be between 0.05 and 0.5.")
        history = generate_history(options["records"], seed=options["seed"])
        model, report = train_and_report(
            history,
            kind=options["kind"],
            test_fraction=options["test_fraction"],
            seed=options["seed"],
        )
        path = None if options["no_save"] else save_model(model)
        if options["json"]:
            self.stdout.write(json.dumps({**asdict(report), "saved_to": str(path or "")}))
            return
        self.stdout.write(
            f"{report.model_kind}: trained on {report.n_train}, held out {report.n_test} "
            f"(stayed 180 days: {report.base_rate:.1%})"
        )
        self.stdout.write(
            f"held-out AUC {report.auc:.3f} (the rule itself: {report.oracle_auc:.3f}); "
            f"Brier {report.brier:.4f} (rule: {report.oracle_brier:.4f}); "
            f"expected calibration error {report.expected_calibration_error:.4f}"
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
