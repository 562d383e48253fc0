"""Factories for labour tests: sites, vacancies, people awaiting placement with a medical
clearance, credentials and placements."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from health.models import Clearance, QuarantineStay
from labour.models import Credential, Employer, Placement, Site, SiteKind, Vacancy
from people.models import Person
from people.states import JourneyState
from people.tests.factories import HouseholdFactory, PersonFactory
from people.tests.personas import PROVINCE
from waystation import clock


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n}")
    kind = SiteKind.FARM
    province = PROVINCE


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    kind = factory.SelfAttribute("employer.kind")
    province = PROVINCE
    county = "Musan County"
    housing_places = 50


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    site = factory.SubFactory(SiteFactory)
    occupation = factory.Sequence(lambda n: f"worker {n}")
    slots = 10


def born_years_ago(years: int) -> dt.date:
    today = clock.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def clear_medically(person: Person, fitness: str = "heavy") -> Clearance:
    today = clock.today()
    stay = QuarantineStay.objects.create(
        person=person,
        station=person.station,
        status=QuarantineStay.Status.CLEARED,
        started_on=today - dt.timedelta(days=16),
        planned_days=15,
        planned_end=today - dt.timedelta(days=1),
        closed_on=today - dt.timedelta(days=1),
    )
    doctor = get_user_model().objects.filter(username="medical-onsong").first()
    doctor = doctor or get_user_model().objects.create(username=f"doctor-{person.pk}")
    return Clearance.objects.create(
        stay=stay,
        person=person,
        fitness=fitness,
        decided_by=doctor,
        decided_on=today - dt.timedelta(days=1),
        decided_at=timezone.now(),
    )


def awaiting(station: Any, age: int = 30, fitness: str | None = "heavy", **fields: Any) -> Person:
    person = PersonFactory(
        station=station,
        state=JourneyState.AWAITING_PLACEMENT,
        birth_date=born_years_ago(age),
        languages=["ko"],
        **fields,
    )
    if fitness:
        clear_medically(person, fitness)
    return person


def household_awaiting(station: Any, ages: list[int], fitness: str = "heavy") -> list[Person]:
    household = HouseholdFactory(station=station)
    members = [awaiting(station, age=age, fitness=fitness, household=household) for age in ages]
    household.head = members[0]
    household.save(update_fields=["head"])
    return members


def verified_credential(person: Person, name: str, user: Any) -> Credential:
    return Credential.objects.create(
        person=person,
        kind=Credential.Kind.EDUCATION,
        name=name,
        years=4,
        status=Credential.Status.VERIFIED,
        evidence=Credential.Evidence.DOCUMENT,
        document_seen="Diploma no. 1234",
        issuing_institution="Kim Chaek University of Technology",
        decided_by=user,
        decided_on=clock.today(),
        claimed_at=timezone.now(),
    )


def place(person: Person, site: Site | None = None, vacancy: Vacancy | None = None) -> Placement:
    """An active placement, as approval makes it (for documents' travel-pass tests)."""
    if site is None:
        site = vacancy.site if vacancy else SiteFactory(name=f"Site of {person.pk}")
    return Placement.objects.create(
        person=person,
        vacancy=vacancy,
        site=site,
        start_date=clock.today(),
        created_at=timezone.now(),
    )
