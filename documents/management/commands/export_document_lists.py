from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.keyring import key_list_json
from documents.revocations import NoListSigner, revocation_list_for_download


class Command(BaseCommand):
    help = (
        "Write the key list and the newest signed revocation list into a folder, for a ticket "
        "office reached by hand rather than by network."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")

    def handle(self, *args: object, folder: str, **options: object) -> None:
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        (target / "keys.json").write_text(key_list_json(), encoding="utf-8")
        try:
            published = revocation_list_for_download()
        except NoListSigner as error:
            raise CommandError("no office signs lists; set one up first") from error
        revocations = target / "revocations"
        revocations.mkdir(exist_ok=True)
        name = f"revocations-{published.sequence:06d}.json"
        (revocations / name).write_text(published.signed_json, encoding="utf-8")
        self.stdout.write(f"wrote {target / 'keys.json'} and {revocations / name}")
