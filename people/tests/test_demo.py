"""The demo data set reproduces the cable's figures (shared/seed, 8 November 1961)."""

import datetime as dt
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from people.demo.figures import STATIONS
from people.demo.generate import PopulationPlan
from people.models import Crossing, JourneyTransition, Person
from people.states import PRESENT_AT_STATION
from people.states import JourneyState as S
from stations.models import StaffProfile, Station

TZ = zoneinfo.ZoneInfo("Asia/Pyongyang")


def test_the_same_seed_gives_the_same_people_and_another_seed_does_not() -> None:
    def names(seed: int) -> list[tuple]:
        plan = PopulationPlan(2_000, seed, TZ)
        return [
            (p.name, p.birth_date, h.station_code) for h in plan.households() for p in h.members
        ]

    assert names(7) == names(7)
    assert names(7) != names(8)
    assert len(names(7)) == 2_000


@pytest.mark.django_db
def test_the_full_demo_reproduces_the_cable(cable_data) -> None:
    cable_day = dt.date(1961, 11, 8)
    assert Person.objects.count() == 20_517
    assert Station.objects.count() == 6
    arrivals = Crossing.objects.filter(direction="in").values("person").distinct().count()
    assert arrivals == 20_517
    assert not Crossing.objects.filter(crossed_at__date__gt=cable_day).exists()
    first = Crossing.objects.order_by("crossed_at").first().crossed_at.astimezone(TZ).date()
    assert dt.date(1960, 1, 1) <= first <= dt.date(1960, 6, 30)

    present = dict(
        Person.objects.filter(state__in=PRESENT_AT_STATION)
        .values_list("station__code")
        .annotate(n=Count("id"))
    )
    assert present["onsong"] > 700 and present["hoeryong"] > 300
    assert present["kyongsong"] > 250 and present["musan"] > 100

    higher = Person.objects.filter(
        education_level__in=["university", "technical"], education_years__gte=3
    ).count()
    assert 450 <= higher <= 550

    leavers = JourneyTransition.objects.filter(
        from_state__in=[S.AT_WORK, S.PLACED], to_state=S.LEFT_JOB
    )
    left = leavers.values("person").distinct().count()
    assert 1_500 < left < 1_600
    young = (
        leavers.filter(person__birth_date__gt=dt.date(1930, 11, 8))
        .values("person")
        .distinct()
        .count()
    )
    assert young / left > 0.6

    in_crossings = Person.objects.annotate(
        n=Count("crossings", filter=Q(crossings__direction="in"))
    )
    assert in_crossings.filter(n__gte=7).count() >= 50
    assert Person.objects.filter(state=S.RETURNED).exists()
    assert (
        Person.objects.filter(state=S.AT_WORK).count()
        > Person.objects.filter(state=S.RETURNED).count()
    )
    # Growth: more arrivals in the last six months than in the first six.
    first_half = Crossing.objects.filter(
        direction="in", crossed_at__date__lt=dt.date(1960, 9, 1)
    ).count()
    last_half = Crossing.objects.filter(
        direction="in", crossed_at__date__gte=dt.date(1961, 5, 8)
    ).count()
    assert last_half > 3 * first_half
    assert StaffProfile.objects.count() == 6 * 3 + 4


@pytest.mark.django_db
def test_every_demo_history_follows_the_journey_rules(cable_data) -> None:
    from people import journey

    pairs = set(JourneyTransition.objects.values_list("from_state", "to_state").distinct())
    for source, target in pairs:
        if source:
            assert journey.step_between(source, target) is not None, (source, target)
    mismatched = Person.objects.exclude(state=last_transition_state()).count()
    assert mismatched == 0


def last_transition_state():
    from django.db.models import OuterRef, Subquery

    last = (
        JourneyTransition.objects.filter(person=OuterRef("pk"))
        .order_by("-at", "-id")
        .values("to_state")[:1]
    )
    return Subquery(last)


@pytest.mark.django_db
def test_loading_twice_is_refused_unless_asked_to_skip(cable_data) -> None:
    with pytest.raises(CommandError, match="already"):
        call_command("load_demo", "--persons", "500", verbosity=0)
    call_command("load_demo", "--if-empty", verbosity=0)


@pytest.mark.django_db
def test_a_nonsense_size_is_refused() -> None:
    with pytest.raises(CommandError, match="between"):
        call_command("load_demo", "--persons", "3", verbosity=0)


@pytest.mark.django_db
def test_the_demo_is_safe_to_resend_against_and_its_audit_chain_verifies(cable_data) -> None:
    """Demo rows carry a submission hash no resend matches, each demo login its own salted
    password hash, and the audit log of the demo verifies with the chain's key."""
    from django.contrib.auth import get_user_model

    from people.models import Household
    from people.submissions import NOT_A_SUBMISSION

    for model in (Person, Household, Crossing):
        assert set(model.objects.values_list("submission_hash", flat=True)) == {NOT_A_SUBMISSION}
    logins = get_user_model().objects.filter(username__in=DEMO_LOGINS)
    hashes = list(logins.values_list("password", flat=True))
    assert len(hashes) == len(DEMO_LOGINS) and len(set(hashes)) == len(hashes)
    call_command("verify_audit_chain", head_file="", verbosity=0)


DEMO_LOGINS = [
    f"{role}-{station[0]}" for role in ("registrar", "medical", "supplies") for station in STATIONS
] + ["labour", "documents", "admin", "auditor"]
