from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from people.demo.figures import TOTAL_ARRIVALS
from people.demo.loader import DemoAlreadyLoaded, load_demo
from people.demo.users import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo data set modelled on the cable of 8 November 1961 into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=TOTAL_ARRIVALS,
            help="How many arrivals (default: the cable's 20,517).",
        )
        parser.add_argument(
            "--seed", type=int, default=1961, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes that build (on SQLite also write) the people "
            "(default: one per core from 100,000 persons, none below; 0: none).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) if data is already loaded.",
        )

    def handle(
        self,
        *args: object,
        persons: int,
        seed: int,
        if_empty: bool,
        workers: int | None,
        **options: object,
    ) -> None:
        if persons < 100 or persons > 5_000_000:
            raise CommandError("--persons must be between 100 and 5,000,000.")
        if workers is not None and not 0 <= workers <= 64:
            raise CommandError("--workers must be between 0 and 64.")
        bar = tqdm(
            total=persons, unit="person", desc="demo data", disable=options.get("verbosity", 1) == 0
        )
        quiet = options.get("verbosity", 1) == 0

        def loader_done(app: str, seconds: float, cpu_seconds: float, counts: dict) -> None:
            # The people bar has finished; each app's part is reported as it completes.
            if not quiet:
                bar.write(
                    f"  {app}: demo data added in {seconds:.1f} s (processor {cpu_seconds:.1f} s)"
                )

        try:
            result = load_demo(
                persons, seed, progress=bar.update, on_loader=loader_done, workers=workers
            )
        except DemoAlreadyLoaded as already:
            bar.close()
            if if_empty:
                self.stdout.write("Demo data is already loaded; nothing to do.")
                return
            raise CommandError(str(already)) from already
        bar.close()
        for name, count in result.items():
            if name not in ("persons", "households"):
                self.stdout.write(f"  {name}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result['persons']:,} persons in {result['households']:,} households. "
                f"Demo password for every login: {DEMO_PASSWORD}"
            )
        )
