import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.keyring import rotate_key, withdraw_key
from documents.models import Document, IssuingOffice, KeyRecord


class Command(BaseCommand):
    help = (
        "Give an issuing office a new signing key. The old key is retired on the same day and "
        "keeps verifying everything it signed until then."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("office", help="the office code, e.g. NH-LAB")
        parser.add_argument("--on", type=dt.date.fromisoformat, help="first day of the new key")
        parser.add_argument(
            "--stolen",
            metavar="REASON",
            help="the current key is compromised: withdraw it from the key list altogether "
            "(what it signed becomes 'unknown key' and must be reissued)",
        )

    def handle(self, *args: object, office: str, on: dt.date | None, **options: object) -> None:
        found = IssuingOffice.objects.filter(code=office).first()
        if found is None:
            known = ", ".join(IssuingOffice.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"no issuing office {office!r} (known: {known})")
        previous = KeyRecord.objects.filter(office=found, retired_on__isnull=True).first()
        stolen = options.get("stolen")
        if stolen is not None and previous is None:
            raise CommandError(f"{office} has no active key to withdraw")
        try:
            if stolen is not None:
                record = withdraw_key(previous, stolen, on=on)
            else:
                record = rotate_key(found, on=on)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if previous is not None:
            what = "withdrew" if stolen is not None else "retired"
            self.stdout.write(f"{what} key {previous.key_id} on {record.activated_on}")
        if stolen is not None:
            count = Document.objects.filter(key=previous, status=Document.Status.ISSUED).count()
            self.stdout.write(f"{count} valid documents it signed must be reissued")
        self.stdout.write(
            self.style.SUCCESS(
                f"new key {record.key_id} for {found.code} from {record.activated_on}"
            )
        )
        self.stdout.write("Ticket offices need the new key list: /documents/keys.json")
