"""On the demo data set the situation report for 8 November 1961 reproduces the cable."""

import datetime as dt

import pytest
from django.db.models import Count, OuterRef, Subquery

from people.models import Crossing, JourneyTransition, Person
from people.states import JourneyState as S
from reports.narrative import narratives
from reports.scopes import parse_scope
from reports.situation import end_of_day, situation_report, state_counts

CABLE_DAY = dt.date(1961, 11, 8)


@pytest.fixture
def report(cable_data, db):
    return situation_report(parse_scope("province:North Hamgyong"), CABLE_DAY)


def test_arrivals_and_people_present_at_each_station(report) -> None:
    assert report.totals["arrivals"] == 20_517
    present = {station.code: station.present for station in report.stations}
    assert present["onsong"] > 700 and present["hoeryong"] > 300
    assert present["kyongsong"] > 250 and present["musan"] > 100
    assert sum(s.arrivals for s in report.stations) == 20_517


def test_about_500_with_higher_education(report) -> None:
    assert 450 <= report.totals["higher_education"] <= 550


def test_over_1500_left_their_jobs_mostly_young_mostly_because_the_work_was_too_hard(
    report,
) -> None:
    assert 1_500 < report.totals["left_job"] < 1_600
    assert report.left_job_young_share > 0.6
    reasons = dict(report.left_job_reasons)
    assert set(reasons) == {
        "work too hard", "unable to do the work", "dissatisfied with the assignment", "family",
    }  # fmt: skip
    assert report.left_job_reasons[0][0] == "work too hard"
    assert sum(reasons.values()) >= report.totals["left_job"]


def test_people_crossed_seven_or_eight_times_and_some_went_back(report) -> None:
    from identity.crossings import active_policy, repeat_crossers

    # One definition of "crossed more often than allowed": the policy the repeat-crossers
    # page applies, from the same moment.
    flagged = repeat_crossers(Person.objects.all(), active_policy(), end_of_day(CABLE_DAY))
    assert report.totals["repeat_crossers"] == len(flagged) >= 50
    assert report.repeat_policy == active_policy().name
    trips = Crossing.objects.filter(direction="in").values("person_id").annotate(n=Count("id"))
    # Seven or eight trips there and back before the present stay: 8 or 9 crossings in.
    assert max(row["n"] for row in trips) in {8, 9}
    assert report.totals["returned"] > 50
    assert report.totals["placed"] > 15_000


def test_the_cabinet_offices_11000_blankets_and_the_travel_passes_a_day(report) -> None:
    cable = report.cable
    assert cable.blankets_handed_out == 11_000
    assert cable.blankets_received >= 11_000
    assert cable.average_days == 30 and 60 <= cable.travel_documents_average <= 100
    assert cable.travel_documents_on_day >= 0
    told = narratives(report)["en"][-1]
    assert "11,000 handed out" in told and "a day on average over the last 30 days" in told
    data = report.to_dict()
    assert data["blankets"]["handed_out"] == 11_000
    assert data["travel_documents"]["average_per_day"] == cable.travel_documents_average


def test_most_were_assigned_work(report) -> None:
    states = report.states
    assert sum(states.values()) == 20_517
    working = states[S.PLACED] + states[S.AT_WORK] + states[S.RESIDENCY_GRANTED]
    assert working > 20_517 / 2


def test_the_narrative_tells_the_cable_in_three_languages(report) -> None:
    told = narratives(report)
    assert (
        "20,517" in told["en"][0] and "20,517" in told["ko"][0] and "20,517" in told["zh-hans"][0]
    )
    assert "Onsong 712" in told["en"][1]
    assert "온성" in told["ko"][1] and "稳城" in told["zh-hans"][1]


@pytest.mark.parametrize("day", [dt.date(1960, 9, 1), dt.date(1961, 3, 15), CABLE_DAY])
def test_head_counts_by_state_agree_with_each_persons_last_step(cable_data, db, day) -> None:
    """The net count of steps in and out equals, person by person, the last step before the
    day ended (the slow, obvious way)."""
    until = end_of_day(day)
    last = (
        JourneyTransition.objects.filter(person=OuterRef("pk"), at__lt=until)
        .order_by("-at", "-id")
        .values("to_state")[:1]
    )
    expected: dict[tuple[int, str], int] = {}
    rows = Person.objects.annotate(state_then=Subquery(last)).values_list(
        "station_id", "state_then"
    )
    for station_id, state in rows:
        if state:
            expected[station_id, state] = expected.get((station_id, state), 0) + 1
    station_ids = list(Person.objects.values_list("station_id", flat=True).distinct())
    counted = {
        (station_id, state): n
        for station_id, states in state_counts(station_ids, until).items()
        for state, n in states.items()
        if n
    }
    assert counted == expected
    assert all(n >= 0 for n in counted.values())


def test_an_earlier_date_shows_the_smaller_figures_of_that_day(cable_data, db) -> None:
    scope = parse_scope("province:North Hamgyong")
    earlier = situation_report(scope, dt.date(1961, 3, 15)).totals
    later = situation_report(scope, CABLE_DAY).totals
    for key in ("arrivals", "placed", "left_job", "returned"):
        assert 0 < earlier[key] < later[key], key


def test_the_demo_follow_up_has_outcome_records_and_grievances(cable_data, db) -> None:
    from reports.grievances import overdue
    from reports.models import Grievance, Outcome

    for kind, state in (("arrived_at_work", S.AT_WORK), ("left_job", S.LEFT_JOB)):
        steps = JourneyTransition.objects.filter(to_state=state).count()
        assert Outcome.objects.filter(kind=kind).count() == steps > 0
    assert not Outcome.objects.filter(kind="left_job", reason=None).exists()
    grievances = Grievance.objects.all()
    assert set(grievances.values_list("kind", flat=True)) == {
        "job_assignment",
        "group_return",
        "document_refusal",
    }
    assert overdue(grievances, CABLE_DAY).exists()
    assert grievances.filter(state="closed").exclude(answer="").exists()
