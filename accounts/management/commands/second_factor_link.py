"""Make the one-time link by which a user sets up their first second-factor device."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.services import confirmed_device, enrolment_links
from people.audit import AuditEntry, record_audit


class Command(BaseCommand):
    help = (
        "Print a one-time link for USER to set up a first authenticator app "
        "(needed when OTP_ENROLMENT_BY_LINK is on); give it to the user in person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if confirmed_device(user) is not None:
            raise CommandError(
                f"{username} already has a device; delete it in the admin site first."
            )
        path = reverse(
            "otp-enrol",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": enrolment_links.make_token(user),
            },
        )
        record_audit(user=None, action=AuditEntry.Action.CREATE, obj=user,
                     reason="Second-factor enrolment link made")  # fmt: skip
        self.stdout.write(path)
