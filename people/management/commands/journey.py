"""Print the journey's table: every step, the roles that take it, the action that owns it,
its guards and its effects (people/journey.py)."""

from typing import Any

from django.core.management.base import BaseCommand

from people.journey import describe


class Command(BaseCommand):
    help = "Print each step of the journey with its owner, guards and effects."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(describe())
