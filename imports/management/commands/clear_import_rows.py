from django.core.management.base import BaseCommand

from imports.erasure import erase_stale_rows, retention


class Command(BaseCommand):
    help = (
        "Erase the values of uploaded register files not imported within the retention period "
        "(IMPORT_ROWS_RETENTION_DAYS, 7 days by default); run daily."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = erase_stale_rows()
        self.stdout.write(f"{count} files erased (kept at most {retention().days} days)")
