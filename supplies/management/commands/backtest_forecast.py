"""Print the forecast engine's backtest: MAPE and interval coverage, the model against the
seasonal-naive baseline, in the same run, on the crossings in the database (or, with
--synthetic, on the seeded synthetic history shaped like the cable)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from stations.models import Station
from supplies.forecast import HistoryError, backtest, synthetic_history
from supplies.planning import weekly_arrivals


class Command(BaseCommand):
    help = "Backtest the arrivals forecast: model vs seasonal-naive (MAPE, interval coverage)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--held-out", type=int, default=24, help="weeks held out (24)")
        parser.add_argument("--horizon", type=int, default=12, help="weeks ahead (12)")
        parser.add_argument("--synthetic", action="store_true", help="use the synthetic history")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["synthetic"]:
            histories = synthetic_history()
        else:
            histories = {
                code: rows
                for code, rows in weekly_arrivals(list(Station.objects.all())).items()
                if rows
            }
        if not histories:
            raise CommandError("No crossings are recorded: load the demo or use --synthetic.")
        try:
            report = backtest(
                histories, horizon=options["horizon"], held_out_weeks=options["held_out"]
            )
        except (HistoryError, ValueError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), default=str))
            return
        self.stdout.write(
            f"Backtest: {len(histories)} stations, {report.held_out_weeks} weeks held out, "
            f"horizon {report.horizon}, {report.origins} origins"
        )
        self.stdout.write(
            f"{'method':<28} {'MAPE %':>8} {'sMAPE %':>8} {'MASE':>6} {'cov80':>6} {'cov95':>6}"
        )
        for name, scores in (
            (report.model_method, report.model),
            (report.baseline_method, report.baseline),
        ):
            self.stdout.write(
                f"{name:<28} {scores.mape:>8.1f} {scores.smape:>8.1f} {scores.mase:>6.2f} "
                f"{scores.coverage_80:>6.2f} {scores.coverage_95:>6.2f}"
            )
        self.stdout.write("MAPE % by station (model / baseline):")
        for station, scores in report.model_by_station.items():
            baseline = report.baseline_by_station[station]
            self.stdout.write(f"  {station:<26} {scores.mape:>8.1f} / {baseline.mape:.1f}")
