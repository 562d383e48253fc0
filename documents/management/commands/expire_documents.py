import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from documents.services import expire_documents


class Command(BaseCommand):
    help = "Mark documents past their last valid day as expired (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat)

    def handle(self, *args: object, today: dt.date | None, **options: object) -> None:
        count = expire_documents(today)
        self.stdout.write(f"{count} documents expired")
