"""Store name forms and blocking keys for persons who have none (or for all: --rebuild)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from identity.keys import backfill_keys
from identity.models import PersonKeys
from people.models import Person


class Command(BaseCommand):
    help = "Derive and store the files check's name keys for existing persons."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute every person's keys")

    def handle(self, *args: Any, **options: Any) -> None:
        rebuild = options["rebuild"]
        total = Person.objects.count() - (0 if rebuild else PersonKeys.objects.count())
        with tqdm(total=max(total, 0), unit="person", disable=options["verbosity"] == 0) as bar:
            done = backfill_keys(rebuild=rebuild, progress=bar.update)
        self.stdout.write(f"keys stored for {done} persons")
