"""Who among the demo population left a job, went back, crossed often or studied long.

Counts are drawn exactly (not by chance per person) so the data set shows the cable's figures.
"""

import datetime as dt
import random

from people.demo import figures as F
from people.demo.generate import DemoHousehold, DemoPerson, scaled
from people.demo.history import (
    DAY,
    History,
    arrive_and_screen,
    leave_across_border,
    quarantine_and_place,
)
from people.states import JourneyState as S

WORKING_AGE = range(16, 60)


def assign_outcomes(households: list[DemoHousehold], factor: float, rng: random.Random) -> None:
    past = [(h, p) for h in households if not h.present for p in h.members if p.age in WORKING_AGE]
    young = [item for item in past if item[1].age <= 30]
    older = [item for item in past if item[1].age > 30]
    chosen: set[int] = set()

    def pick(
        pool: list[tuple[DemoHousehold, DemoPerson]], count: int
    ) -> list[tuple[DemoHousehold, DemoPerson]]:
        free = [item for item in pool if id(item[1]) not in chosen]
        picked = rng.sample(free, min(count, len(free)))
        chosen.update(id(person) for _h, person in picked)
        return picked

    leavers = scaled(F.LEFT_JOBS, factor)
    young_leavers = round(leavers * F.LEFT_JOBS_SHARE_AGED_30_OR_LESS)
    for _household, person in pick(young, young_leavers) + pick(older, leavers - young_leavers):
        roll = rng.random()
        person.outcome = (
            "left_then_returned"
            if roll < F.LEAVERS_WHO_WENT_BACK
            else ("left_then_replaced" if roll < F.LEAVERS_WHO_WENT_BACK + 0.1 else "left_job")
        )
    early_young = [item for item in young if item[0].arrival.date() < dt.date(1961, 6, 1)]
    for _household, person in pick(early_young, scaled(F.GROUP_RETURN, factor)):
        person.outcome = "group_return"
    young_men = [item for item in young if item[1].sex == "M"]
    for _household, person in pick(young_men, scaled(F.REPEAT_CROSSERS, factor)):
        person.outcome, person.trips_before = "smuggler", rng.choice((7, 8))
    for _household, person in pick(past, scaled(F.OCCASIONAL_CROSSERS, factor)):
        person.trips_before = rng.randint(1, 3)
    settled = [item for item in past if item[0].arrival.date() < dt.date(1961, 6, 1)]
    for _household, person in pick(settled, int(len(past) * F.RESIDENCY_GRANTED_SHARE)):
        person.outcome = "residency"
    for _household, person in pick(past, int(len(past) * F.MOVED_SHARE)):
        person.outcome = "moved"
    adults = [p for h in households for p in h.members if 21 <= p.age <= 50]
    educated = rng.sample(adults, min(scaled(F.HIGHER_EDUCATION, factor), len(adults)))
    for person in educated:
        person.education_level = rng.choice(("university", "technical"))
        person.education_years = rng.randint(3, 5)
        person.occupation = rng.choice(
            ("engineer", "teacher", "technician", "doctor", "agronomist")
        )
    educated_ids = {id(p) for p in educated}
    for person in rng.sample(adults, min(scaled(300, factor), len(adults))):
        if id(person) not in educated_ids:
            person.education_level, person.education_years = "technical", rng.randint(1, 2)


def build_history(
    household: DemoHousehold, person: DemoPerson, cutoff: dt.datetime, rng: random.Random
) -> History:
    history = History(cutoff=cutoff)
    if person.trips_before:
        # Earlier trips, each in and back out, fitted between the first arrivals and this one.
        first = max(household.arrival - DAY * 40 * person.trips_before, _first_arrival(cutoff))
        gap = (household.arrival - first) / person.trips_before
        for trip in range(person.trips_before):
            arrive_and_screen(history, first + gap * trip, rng)
            leave_across_border(history, history.last_at + gap * 0.3, "registrar", "Crossed back")
    if not arrive_and_screen(history, household.arrival, rng):
        return history
    if person.outcome == "smuggler":
        leave_across_border(
            history,
            history.last_at + DAY * rng.uniform(1, 5),
            "registrar",
            "Crossed back (trading)",
        )
        return history
    wait = 10_000 if household.present else rng.uniform(1, 8)
    if not quarantine_and_place(history, rng, wait):
        return history
    if person.age < 16 or person.age >= 60:
        # Children and elders travel with the household; the workplace records only workers.
        history.steps.pop()
        history.state = S.PLACED.value
        return history
    _apply_outcome(history, person, rng)
    return history


def _first_arrival(cutoff: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(F.FIRST_ARRIVALS, dt.time(12), tzinfo=cutoff.tzinfo)


def _apply_outcome(history: History, person: DemoPerson, rng: random.Random) -> None:
    started = history.last_at
    latest = history.cutoff - DAY

    def when(low: float, high: float) -> dt.datetime:
        return min(started + DAY * rng.uniform(low, high), latest)

    outcome = person.outcome
    if outcome.startswith("left"):
        reasons, weights = zip(*F.LEFT_JOB_REASONS, strict=True)
        history.step(S.LEFT_JOB, when(14, 240), "labour", rng.choices(reasons, weights)[0])
        if outcome == "left_then_returned":
            leave_across_border(
                history,
                min(history.last_at + DAY * rng.uniform(3, 40), latest),
                "labour",
                "Went back after leaving the job",
            )
        elif outcome == "left_then_replaced":
            history.step(S.AWAITING_PLACEMENT, min(history.last_at + DAY * 5, latest), "labour")
            history.step(S.PLACED, min(history.last_at + DAY * 3, latest), "labour")
            history.step(S.AT_WORK, min(history.last_at + DAY * 2, latest), "labour")
    elif outcome == "group_return":
        start, end = F.GROUP_RETURN_DATES
        day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        moment = dt.datetime.combine(day, dt.time(9), tzinfo=history.cutoff.tzinfo)
        if moment > started:
            leave_across_border(
                history, moment, "labour", "Sent back to China with the group of July-August"
            )
    elif outcome == "residency":
        history.step(
            S.RESIDENCY_GRANTED,
            when(60, 400),
            "documents",
            "Residency document issued by the Civil Affairs Bureau",
        )
    elif outcome == "moved":
        history.step(S.MOVED, when(30, 300), "labour", "Moved to another workplace")
