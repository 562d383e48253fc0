import datetime as dt

import factory
from django.contrib.auth import get_user_model

from people.models import Household, JourneyTransition, Person, PersonName
from people.names import name_forms_of
from people.states import JourneyState
from stations.models import StaffProfile, Station
from waystation import clock


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"station-{n}")
    name_en = factory.LazyAttribute(lambda s: s.code.title())
    name_ko = "역"
    name_zh = "站"
    county = "Onsong County"
    province = "North Hamgyong"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    role = "registrar"
    station = factory.SubFactory(StationFactory)
    province = ""


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    station = factory.SubFactory(StationFactory)
    created_at = factory.LazyFunction(clock.now)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    family_name_hangul = "안"
    given_name_hangul = "재수"
    family_name_hanzi = "安"
    given_name_hanzi = "在秀"
    family_name_latin = "An"
    given_name_latin = "Jae-su"
    sex = "M"
    birth_date = dt.date(1931, 5, 4)
    station = factory.SubFactory(StationFactory)
    state = JourneyState.REGISTERED
    state_changed_at = factory.LazyFunction(clock.now)
    created_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def name_forms(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            PersonName.objects.bulk_create(name_forms_of(self))
            JourneyTransition.objects.create(
                person=self, from_state="", to_state=self.state, at=self.created_at
            )


def registration_form(members: list[dict], station_pk: int, head: int = 0) -> dict:
    data = {
        "station": station_pk,
        "crossed_at": "",
        "head_index": head,
        "members-TOTAL_FORMS": len(members),
        "members-INITIAL_FORMS": 0,
        "members-MIN_NUM_FORMS": 1,
        "members-MAX_NUM_FORMS": 30,
    }
    for index, member in enumerate(members):
        defaults = {
            "birth_date_precision": "day",
            "education_level": "none",
            "education_years": 0,
            "category": "border_crosser",
        }
        for key, value in {**defaults, **member}.items():
            data[f"members-{index}-{key}"] = value
    return data


def put_in_state(person: Person, state: str, reason: str = "", by: object = None) -> Person:
    """Test set-up only: place a person in a journey state as a loaded register would, with
    the step in their history but without the journey's owners and guards."""
    now = clock.now()
    from stations.access import staff_profile_of

    profile = staff_profile_of(by)
    JourneyTransition.objects.create(
        person=person,
        from_state=person.state,
        to_state=state,
        at=now,
        reason=reason,
        by=by,
        by_role=profile.role if profile else "",
    )
    Person.objects.filter(pk=person.pk).update(state=state, state_changed_at=now)
    person.refresh_from_db()
    return person
