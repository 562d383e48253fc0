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

from labour.engine import CalibrationReport, RetentionModel, generate_history
from labour.engine.retention import ModelKind, select_and_report
from labour.services.history_import import imported_outcomes
from labour.services.outcomes import recorded_outcomes, training_facts
from labour.services.retention import save_card, save_model
from waystation import clock


class Command(BaseCommand):
    help = "Train the 180-day retention model; report calibration and held-out AUC."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--records", type=int, default=50_000, help="history size (50000)")
        parser.add_argument(
            "--kind",
            choices=("auto", "gradient_boosting", "logistic"),
            default="auto",
            help="auto: train both, keep the lower held-out log-loss",
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
        source, model, report, card = self._train(options)
        path = None if options["no_save"] else save_model(model)
        if path:
            save_card({**card, "trained_at": clock.now().isoformat()})
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
        self.stdout.write(
            "held-out log-loss by kind: "
            + ", ".join(f"{k} {v:.4f}" for k, v in card["log_loss_by_kind"].items())
            + f"; kept {card['chosen_kind']}"
        )
        for group in card["by_group"]:
            self.stdout.write(
                f"  {group['group']}: {group['count']} held out, predicted "
                f"{group['mean_predicted']:.3f}, observed {group['observed_rate']:.3f}"
            )
        if path:
            self.stdout.write(f"saved to {path}")

    def _train(
        self, options: dict
    ) -> tuple[str, RetentionModel, CalibrationReport, dict[str, Any]]:
        kind, seed, fraction = options["kind"], options["seed"], options["test_fraction"]
        kinds: tuple[ModelKind, ...] = (
            ("gradient_boosting", "logistic") if kind == "auto" else (kind,)
        )
        truth = None
        if options["source"] != "demo":
            recorded_features, recorded_stayed = recorded_outcomes()
            imported_features, imported_stayed = imported_outcomes()
            parts = [f for f in (recorded_features, imported_features) if len(f)]
            features = np.concatenate(parts) if parts else np.zeros((0, 0))
            stayed = np.concatenate([recorded_stayed, imported_stayed])
            enough = len(stayed) >= options["min_recorded"] and 0 < stayed.sum() < len(stayed)
            if enough:
                facts = training_facts(len(recorded_stayed), len(imported_stayed))
                model, card = select_and_report(features, stayed, "recorded", kinds, fraction, seed)
                return "recorded", model, card.report, {**asdict(card), "trained_on": facts}
            if options["source"] == "recorded":
                raise CommandError(
                    f"Only {len(stayed)} recorded outcomes of placements (both kinds needed, "
                    f"at least {options['min_recorded']}); use --source demo."
                )
        history = generate_history(options["records"], seed=seed)
        truth = history.true_probability
        model, card = select_and_report(
            history.features, history.stayed, "demo", kinds, fraction, seed, true_probability=truth
        )
        facts = {"kind": "demo", "rows": len(history.stayed)}
        return "demo", model, card.report, {**asdict(card), "trained_on": facts}
