from django.core.management.base import BaseCommand, CommandParser

from documents.demo import load_documents_demo


class Command(BaseCommand):
    help = "Load the demo documents (offices, keys, travel passes, applications) after load_demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1961)

    def handle(self, *args: object, seed: int, **options: object) -> None:
        result = load_documents_demo(seed)
        self.stdout.write(", ".join(f"{name}: {value:,}" for name, value in result.items()))
