"""The demo population: households and persons whose histories add up to the cable's figures."""

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from people.demo import figures as F
from people.demo.history import (
    History,
)
from people.demo.names import GeneratedName, NameGenerator

HOUSEHOLD_SIZES = ((1, 0.45), (2, 0.12), (3, 0.13), (4, 0.14), (5, 0.10), (6, 0.06))


@dataclass(slots=True)
class DemoPerson:
    name: GeneratedName
    sex: str
    birth_date: dt.date
    birth_precision: str
    age: int
    education_level: str = "primary"
    education_years: int = 4
    occupation: str = ""
    origin: str = ""
    category: str = "border_crosser"
    outcome: str = "at_work"
    trips_before: int = 0
    history: History | None = None
    document_number: str = ""


@dataclass(slots=True)
class DemoHousehold:
    station_code: str
    arrival: dt.datetime
    present: bool
    members: list[DemoPerson]


def scaled(count: int, factor: float) -> int:
    return max(int(round(count * factor)), 1 if count else 0)


class PopulationPlan:
    """Draws households station by station until each station's totals are met exactly."""

    def __init__(self, persons: int, seed: int, tz: dt.tzinfo) -> None:
        self.rng = random.Random(seed)
        self.names = NameGenerator(random.Random(seed + 1))
        self.factor = persons / F.TOTAL_ARRIVALS
        self.persons = persons
        self.tz = tz
        # Histories are computed in UTC so that writing them needs no time-zone conversion.
        self.cutoff = dt.datetime.combine(F.CABLE_DATE, dt.time(18, 0), tzinfo=tz).astimezone(
            dt.UTC
        )
        self.present_targets = {
            code: scaled(present, self.factor) for code, *_, present, _share in F.STATIONS
        }
        shares = {code: share for code, *_, share in F.STATIONS}
        totals = {code: int(persons * share) for code, share in shares.items()}
        totals[F.STATIONS[0][0]] += persons - sum(totals.values())
        self.totals = {
            code: max(total, self.present_targets[code]) for code, total in totals.items()
        }

    def households(self) -> Iterator[DemoHousehold]:
        for code, *_ in F.STATIONS:
            present = self.present_targets[code]
            yield from self._fill(code, present, present=True)
            yield from self._fill(code, self.totals[code] - present, present=False)

    def _fill(self, code: str, target: int, present: bool) -> Iterator[DemoHousehold]:
        remaining = target
        while remaining > 0:
            size = min(self._household_size(), remaining)
            remaining -= size
            yield DemoHousehold(code, self._arrival(present), present, self._members(size))

    def _household_size(self) -> int:
        sizes, weights = zip(*HOUSEHOLD_SIZES, strict=True)
        return self.rng.choices(sizes, weights)[0]

    def _arrival(self, present: bool) -> dt.datetime:
        if present:
            days_before = self.rng.uniform(0, 24)
        else:
            # Arrivals grew fast (the cable) and rose in winter; draw from that density.
            span = (F.CABLE_DATE - F.FIRST_ARRIVALS).days - 30
            while True:
                day = self.rng.uniform(0, span)
                date = F.FIRST_ARRIVALS + dt.timedelta(days=day)
                winter = 1.4 if date.month in (12, 1, 2) else 1.0
                if self.rng.random() < math.exp((day - span) / 170) * winter / 1.4:
                    break
            days_before = (F.CABLE_DATE - date).days
        moment = self.cutoff - dt.timedelta(days=days_before, hours=self.rng.uniform(0, 10))
        return moment

    def _members(self, size: int) -> list[DemoPerson]:
        rng = self.rng
        if size == 1:
            sex = "M" if rng.random() < 0.8 else "F"
            return [self._person(sex, rng.randint(17, 34))]
        head_age = rng.randint(24, 52)
        head = self._person("M", head_age)
        family = (head.name.family_hanzi, head.name.family_hangul, head.name.family_latin)
        members = [head, self._person("F", max(18, head_age - rng.randint(0, 6)))]
        for _ in range(size - 2):
            if size == 6 and len(members) == 2:
                members.append(
                    self._person(rng.choice("MF"), min(head_age + rng.randint(22, 30), 85))
                )
                continue
            child_age = rng.randint(0, max(min(head_age - 20, 17), 0))
            members.append(self._person(rng.choice("MF"), child_age, family))
        return members

    def _person(self, sex: str, age: int, family: tuple[str, str, str] | None = None) -> DemoPerson:
        rng = self.rng
        born = F.CABLE_DATE - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        precision = rng.choices(("day", "month", "year"), (85, 5, 10))[0]
        if precision == "year":
            born = born.replace(month=1, day=1)
        elif precision == "month":
            born = born.replace(day=1)
        person = DemoPerson(
            name=self.names.name(sex, family),
            sex=sex,
            birth_date=born,
            birth_precision=precision,
            age=age,
            origin=rng.choice(F.PLACES_OF_ORIGIN),
            category="returning_compatriot"
            if rng.random() < F.RETURNING_COMPATRIOT_SHARE
            else "border_crosser",
        )
        if age < 7:
            person.education_level, person.education_years = "none", 0
        elif age < 16:
            person.education_level, person.education_years = "primary", min(age - 6, 6)
        else:
            person.education_level, person.education_years = rng.choices(
                (("none", 0), ("primary", rng.randint(3, 6)), ("secondary", rng.randint(2, 6))),
                (12, 48, 40),
            )[0]
            person.occupation = rng.choice(F.OCCUPATIONS)
        return person
