"""One person's history as crossings and journey steps, cut off at the cable's date."""

import datetime as dt
import random
from dataclasses import dataclass, field

from people.states import JourneyState as S

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass
class History:
    cutoff: dt.datetime
    steps: list[tuple[str, str, dt.datetime, str, str]] = field(default_factory=list)
    crossings: list[tuple[str, dt.datetime, str]] = field(default_factory=list)
    state: str = ""
    last_at: dt.datetime | None = None

    def step(self, target: S, at: dt.datetime, actor: str, reason: str = "") -> bool:
        """Record a step unless it falls after the cut-off; say whether it was recorded."""
        if at > self.cutoff:
            return False
        self.steps.append((self.state, target.value, at, actor, reason))
        self.state, self.last_at = target.value, at
        return True

    def cross(self, direction: str, at: dt.datetime, note: str = "") -> bool:
        if at > self.cutoff:
            return False
        self.crossings.append((direction, at, note))
        return True


def arrive_and_screen(history: History, at: dt.datetime, rng: random.Random) -> bool:
    """Crossing in, registration and files check; False once the cut-off stops the story."""
    return (
        history.cross("in", at)
        and history.step(S.ARRIVED, at, "registrar")
        and history.step(S.REGISTERED, at + HOUR * rng.uniform(1, 6), "registrar")
        and history.step(S.IDENTITY_CHECKED, at + DAY * rng.uniform(0.5, 1.5), "registrar")
    )


def quarantine_and_place(history: History, rng: random.Random, wait_days: float) -> bool:
    start = history.last_at + HOUR * rng.uniform(1, 4)
    return (
        history.step(S.IN_QUARANTINE, start, "medical", "Admitted: washed and disinfected")
        and history.step(
            S.MEDICALLY_CLEARED,
            start + DAY * 15 + HOUR * rng.uniform(1, 8),
            "medical",
            "Vaccinated and examined; no contagious disease",
        )
        and history.step(S.AWAITING_PLACEMENT, history.last_at + HOUR * 2, "registrar")
        and history.step(S.PLACED, history.last_at + DAY * wait_days, "labour")
        and history.step(S.AT_WORK, history.last_at + DAY * rng.uniform(1, 4), "labour")
    )


def leave_across_border(history: History, at: dt.datetime, actor: str, reason: str) -> bool:
    return history.step(S.RETURNED, at, actor, reason) and history.cross("out", at, reason)
