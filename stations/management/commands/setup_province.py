"""Apply a province's set-up file (JSON) idempotently: the same as the /setup/ pages, for
scripted set-up. `--example` prints a file to start from."""

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stations.setup_file import EXAMPLE, apply_setup


class Command(BaseCommand):
    help = (
        "Set up a province from FILE.json (province, stations with quarantine beds and "
        "sleeping places, issuing offices and keys, staff with role and scope); applying it "
        "again changes nothing. Acts as --as USER, an administrator (or the only superuser)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the set-up file (JSON)")
        parser.add_argument("--example", action="store_true", help="print an example file")
        parser.add_argument("--as", dest="acting", default="", help="the administrator acting")

    def handle(self, *args: Any, file: str | None, example: bool, acting: str, **opts: Any) -> None:
        if example:
            self.stdout.write(json.dumps(EXAMPLE, ensure_ascii=False, indent=2))
            return
        if not file:
            raise CommandError("Give the set-up file, or --example to see one.")
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        user = self._acting_user(acting)
        try:
            report = apply_setup(user, data)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            problems = [
                f"{where}: {message}"
                for where, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("Nothing was changed:\n" + "\n".join(problems)) from error
        for line in report:
            self.stdout.write(line)
        self.stdout.write(f"{len(report)} changes." if report else "Already set up: no changes.")

    def _acting_user(self, acting: str) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        if acting:
            user = users.filter(username=acting).first()
            if user is None:
                raise CommandError(f"No active user {acting!r}.")
            return user
        superusers = list(users.filter(is_superuser=True)[:2])
        if len(superusers) != 1:
            raise CommandError("Say who acts: --as USERNAME (an administrator).")
        return superusers[0]
