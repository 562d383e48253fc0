from django.conf import settings
from django.core.management.base import BaseCommand

from people.demo.users import DEMO_PASSWORD
from stations.models import StaffProfile


class Command(BaseCommand):
    help = "Print the demo logins, one per role and station, and where to open the app."

    def handle(self, *args: object, **options: object) -> None:
        profiles = StaffProfile.objects.select_related("user", "station").order_by(
            "role", "station__code"
        )
        self.stdout.write(
            "\nWaystation demo: open http://127.0.0.1:8000 and log in as one of these"
        )
        self.stdout.write(f"(password for every demo login: {DEMO_PASSWORD})\n")
        for profile in profiles:
            scope = (
                profile.station.name_en if profile.station else (profile.province or "everywhere")
            )
            self.stdout.write(
                f"  {profile.user.username:<22} {profile.get_role_display():<18} {scope}"
            )
        required = [role for role in settings.OTP_REQUIRED_ROLES if role != "superuser"]
        if required:
            self.stdout.write(
                f"\nThese roles also need a second factor: {', '.join(required)}. The first"
                " sign-in shows a QR code to scan with an authenticator app; to skip that on a"
                " laptop demo, start it with: OTP_REQUIRED_ROLES= make demo"
            )
        self.stdout.write("")
