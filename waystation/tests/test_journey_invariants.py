"""Random journeys through the real services, checking after every step what the stations
rely on: nobody in quarantine without a stay, nobody placed without a placement, nobody past
the identity step with a candidate still undecided, no entitlement paid twice in a period,
and every human counted once (one live record, counted once where they are)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from documents import services as documents
from documents.offices import set_up_province_offices
from health import services as health
from health.models import QuarantineStay, Vaccine
from identity.models import PersonLink, ReviewItem
from identity.services import FilesCheck, decide_person
from labour.models import Placement
from labour.services.decisions import approve_run, end_placement
from labour.services.handover import hand_over
from labour.services.runs import run_placement
from labour.tests.factories import SiteFactory, VacancyFactory
from people import services as people
from people.journey import TransitionRefused
from people.models import JourneyTransition, Person
from people.queries import station_summaries
from people.states import PRESENT_AT_STATION
from people.states import JourneyState as S
from people.tests.personas import PROVINCE, build_personas
from stations.models import Station
from supplies import entitlements
from supplies.models import Entitlement, EntitlementIssue, Item
from supplies.refusals import StockRefused
from supplies.services import issue as stock_issue
from supplies.services import receive
from waystation import clock

REFUSALS = (ValidationError, PermissionDenied, TransitionRefused, StockRefused)
NAMES = [("박", "순철", "朴", "顺哲"), ("김", "영희", "金", "英姬"), ("리", "철수", "李", "哲洙")]
RECORD_STATES = (S.PLACED, S.AT_WORK, S.MOVED)
REACHED: set[str] = set()


class Journeys(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # each example starts from the same empty registry: its writes are rolled back
        self._example = transaction.atomic()
        self._example.__enter__()
        self.personas = build_personas()
        self.day = dt.date(1961, 11, 8)
        self._set_day()
        site = SiteFactory(name="Musan Mining Complex", housing_places=50)
        VacancyFactory(site=site, occupation="miner", slots=30)
        self.offices = set_up_province_offices(
            province=PROVINCE,
            prefix="NH",
            stations=[self.personas.onsong, self.personas.musan],
            activated_on=dt.date(1960, 1, 1),
        )
        for item in Item.objects.filter(is_active=True):
            receive(
                user=self.personas["supplies-onsong"],
                station=self.personas.onsong,
                item=item,
                quantity=1000,
            )

    def _set_day(self) -> None:
        from django.conf import settings as django_settings

        django_settings.WAYSTATION_TODAY = self.day.isoformat()

    def _person(self, index: int, states: tuple[str, ...]) -> Person | None:
        found = list(Person.objects.filter(state__in=states).order_by("pk"))
        return found[index % len(found)] if found else None

    def _try(self, action) -> None:  # noqa: ANN001 - any service call
        try:
            with transaction.atomic():
                action()
        except REFUSALS:
            pass  # a refusal is an answer; the invariants must hold either way

    @rule(
        size=st.integers(1, 3),
        names=st.lists(st.integers(0, len(NAMES) - 1), min_size=3, max_size=3),
        same=st.booleans(),
        with_verdicts=st.booleans(),
    )
    def register(self, size: int, names: list[int], same: bool, with_verdicts: bool) -> None:
        members = []
        for index in names[:size]:
            family, given, family_hanzi, given_hanzi = NAMES[index]
            members.append(
                people.PersonInput(
                    family_name_hangul=family,
                    given_name_hangul=given,
                    family_name_hanzi=family_hanzi,
                    given_name_hanzi=given_hanzi,
                    sex="M",
                    birth_date=dt.date(1930 + index, 3, 2),
                )
            )
        checks = None
        if with_verdicts:
            checks = []
            for member in members:
                from identity.services import check_member

                candidates = check_member(member, FilesCheck()).candidates
                verdicts = {c.person.pk: "different" for c in candidates}
                if same and candidates:
                    verdicts[candidates[0].person.pk] = "same"
                checks.append(FilesCheck(verdicts))
        self._try(
            lambda: people.register_household(
                user=self.personas["registrar-onsong"],
                station=self.personas.onsong,
                members=members,
                files_checks=checks,
                client_uuid=uuid.uuid4(),
            )
        )

    @rule(index=st.integers(0, 50), verdict=st.sampled_from(["same", "different"]))
    def decide_on_the_files_check(self, index: int, verdict: str) -> None:
        person = self._person(index, (S.REGISTERED,))
        if person is not None:
            self._decide(person, verdict)

    def _decide(self, person: Person, verdict: str) -> None:
        item = ReviewItem.objects.filter(left=person, resolved_at__isnull=True).first()
        verdicts = {item.right_id: verdict} if item else {}
        self._try(
            lambda: decide_person(
                user=self.personas["registrar-onsong"],
                person=person,
                files_check=FilesCheck(verdicts),
            )
        )

    @rule(index=st.integers(0, 50))
    def admit(self, index: int) -> None:
        person = self._person(index, (S.IDENTITY_CHECKED,))
        if person is not None:
            self._admit(person)

    def _admit(self, person: Person) -> None:
        self._try(lambda: health.admit(user=self.personas["medical-onsong"], person=person))

    @rule(index=st.integers(0, 50))
    def complete_the_checklist(self, index: int) -> None:
        person = self._person(index, (S.IN_QUARANTINE,))
        if person is not None:
            self._complete_the_checklist(person)

    def _complete_the_checklist(self, person: Person) -> None:
        medical = self.personas["medical-onsong"]
        for step in ("wash", "disinfect"):
            self._try(
                lambda step=step: health.record_hygiene(user=medical, person=person, step=step)
            )
        for vaccine in Vaccine.objects.filter(doses_required__gt=0):
            for dose in range(1, vaccine.doses_required + 1):
                self._try(
                    lambda vaccine=vaccine, dose=dose: health.record_vaccination(
                        user=medical,
                        person=person,
                        vaccine=vaccine,
                        dose=dose,
                        lot_number="L-1",
                        given_on=None,
                    )
                )
        self._try(
            lambda: health.record_examination(
                user=medical, person=person, fitness="heavy", contagious=False
            )
        )

    @rule(days=st.integers(1, 20))
    def time_passes(self, days: int) -> None:
        self.day += dt.timedelta(days=days)
        self._set_day()

    @rule(index=st.integers(0, 50))
    def clear(self, index: int) -> None:
        person = self._person(index, (S.IN_QUARANTINE,))
        if person is not None:
            self._clear(person)

    def _clear(self, person: Person) -> None:
        self._try(lambda: health.clear(user=self.personas["medical-onsong"], person=person))

    @rule(index=st.integers(0, 50))
    def hand_over(self, index: int) -> None:
        person = self._person(index, (S.MEDICALLY_CLEARED, S.LEFT_JOB))
        if person is not None:
            self._hand_over(person)

    def _hand_over(self, person: Person) -> None:
        self._try(lambda: hand_over(user=self.personas["labour"], person=person))

    @precondition(lambda self: Person.objects.filter(state=S.AWAITING_PLACEMENT).exists())
    @rule()
    def place(self) -> None:
        def run_and_approve() -> None:
            run = run_placement(
                user=self.personas["labour"], province=PROVINCE, station=self.personas.onsong
            )
            approve_run(user=self.personas["labour"], run=run)

        self._try(run_and_approve)

    @rule(index=st.integers(0, 50))
    def issue_an_entitlement(self, index: int) -> None:
        person = self._person(index, tuple(PRESENT_AT_STATION) + (S.PLACED,))
        if person is None:
            return
        for entitlement in Entitlement.objects.filter(category=person.category, is_active=True):
            self._try(
                lambda entitlement=entitlement: entitlements.issue_entitlement(
                    user=self.personas["supplies-onsong"], person=person, entitlement=entitlement
                )
            )

    @rule(
        index=st.integers(0, 50),
        item_index=st.integers(0, 20),
        reason=st.sampled_from(["", "cold night"]),
    )
    def issue_from_stock(self, index: int, item_index: int, reason: str) -> None:
        """The clerk's other way to hand goods out: it must not pay an entitlement twice."""
        person = self._person(index, tuple(PRESENT_AT_STATION) + (S.PLACED,))
        items = list(Item.objects.filter(is_active=True).order_by("pk"))
        if person is None or not items:
            return
        item = items[item_index % len(items)]
        self._try(
            lambda: stock_issue(
                user=self.personas["supplies-onsong"],
                person=person,
                item=item,
                quantity=1,
                reason=reason,
            )
        )

    @rule(index=st.integers(0, 50))
    def travel_pass(self, index: int) -> None:
        person = self._person(index, (S.PLACED, S.AT_WORK))
        if person is not None:
            self._travel_pass(person)

    def _travel_pass(self, person: Person) -> None:
        def request_and_issue() -> None:
            request = documents.request_document(
                user=self.personas["labour"],
                person=person,
                document_type="TP",
                office=self.offices["NH-ONSONG"],
                destination="",
            )
            documents.issue_request(user=self.personas["documents"], request=request)

        self._try(request_and_issue)

    @rule(index=st.integers(0, 50))
    def leave_the_job(self, index: int) -> None:
        person = self._person(index, RECORD_STATES)
        if person is not None:
            self._try(
                lambda: end_placement(user=self.personas["labour"], person=person, reason="family")
            )

    @rule(index=st.integers(0, 50))
    def go_back_across_the_border(self, index: int) -> None:
        live = tuple(s for s in S if s not in (S.RETURNED, S.MERGED))
        person = self._person(index, live)
        if person is not None and person.station_id == self.personas.onsong.pk:
            self._try(lambda: self._cross(person, "out"))

    @rule(index=st.integers(0, 50))
    def come_back(self, index: int) -> None:
        person = self._person(index, (S.RETURNED,))
        if person is not None:
            self._come_back(person)

    def _come_back(self, person: Person) -> None:
        def cross_and_register() -> None:
            self._cross(person, "in")
            people.register_arrival(user=self.personas["registrar-onsong"], person=person)

        self._try(cross_and_register)

    def _cross(self, person: Person, direction: str) -> None:
        people.record_crossing(
            user=self.personas["registrar-onsong"],
            person=person,
            station=self.personas.onsong,
            direction=direction,
            crossed_at=clock.now(),
        )

    @rule(
        index=st.integers(0, 50),
        state=st.sampled_from(
            [
                S.AWAITING_PLACEMENT,
                S.LEFT_JOB,
                S.RETURNED,
                S.IDENTITY_CHECKED,
                S.IN_QUARANTINE,
                S.PLACED,
            ]
        ),
    )
    def override(self, index: int, state: str) -> None:
        person = self._person(index, tuple(s for s in S if s != S.MERGED))
        if person is not None:
            self._try(
                lambda: people.override(
                    user=self.personas["admin"],
                    person=person,
                    target=state,
                    reason="Ordered by the provincial bureau",
                )
            )

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    # --- what must hold after every step -------------------------------------------------

    @rule(index=st.integers(0, 50), steps=st.integers(1, 8))
    def someone_goes_on(self, index: int, steps: int) -> None:
        """Take one person up to `steps` steps further, each by the action that owns it, so
        that random runs get deep into the journey, not only its first steps."""
        person = self._person(index, tuple(s for s in S if s != S.MERGED))
        for _ in range(steps):
            if person is None:
                return
            before = person.state
            self._next_step(person)
            person = Person.objects.filter(pk=person.pk).first()
            if person is None or person.state == before:
                return  # refused, or a step that waits for someone else

    def _next_step(self, person: Person) -> None:
        by_state = {
            S.REGISTERED: lambda: self._decide(person, "different"),
            S.IDENTITY_CHECKED: lambda: self._admit(person),
            S.IN_QUARANTINE: lambda: (
                self._complete_the_checklist(person),
                self.time_passes(16),
                self._clear(person),
            ),
            S.MEDICALLY_CLEARED: lambda: self._hand_over(person),
            S.LEFT_JOB: lambda: self._hand_over(person),
            S.AWAITING_PLACEMENT: self.place,
            S.PLACED: lambda: self._travel_pass(person),
            S.RETURNED: lambda: self._come_back(person),
        }
        action = by_state.get(S(person.state))
        if action is not None:
            action()

    @invariant()
    def reached(self) -> None:
        REACHED.update(Person.objects.values_list("state", flat=True).distinct())

    @invariant()
    def nobody_in_quarantine_without_a_stay(self) -> None:
        in_quarantine = set(
            Person.objects.filter(state=S.IN_QUARANTINE).values_list("pk", flat=True)
        )
        with_stay = set(
            QuarantineStay.objects.filter(status="open").values_list("person_id", flat=True)
        )
        assert in_quarantine == with_stay

    @invariant()
    def nobody_placed_without_a_placement(self) -> None:
        placed = set(Person.objects.filter(state__in=RECORD_STATES).values_list("pk", flat=True))
        active = set(Placement.objects.filter(status="active").values_list("person_id", flat=True))
        assert placed == active

    @invariant()
    def nobody_past_the_identity_step_with_an_undecided_candidate(self) -> None:
        for item in ReviewItem.objects.filter(resolved_at__isnull=True, origin="registration"):
            passed = JourneyTransition.objects.filter(
                person_id=item.left_id, to_state=S.IDENTITY_CHECKED, at__gte=item.created_at
            )
            assert not passed.exclude(is_override=True).exists(), item

    @invariant()
    def no_entitlement_paid_twice_in_a_period(self) -> None:
        # a second issue in a period is allowed only as an administrator's written override
        twice = (
            EntitlementIssue.objects.filter(override_reason="")
            .values("person", "entitlement", "period_key")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        assert not twice.exists()

    @invariant()
    def every_human_counted_once(self) -> None:
        # one live record per human: a merged record is closed, never live beside its survivor
        for link in PersonLink.objects.filter(undone_at__isnull=True).select_related("person"):
            assert link.person.state == S.MERGED
        summaries = station_summaries(Station.objects.all())
        present = Person.objects.filter(state__in=PRESENT_AT_STATION).count()
        assert sum(s.present for s in summaries) == present


@pytest.mark.django_db
def test_random_journeys_keep_the_invariants() -> None:
    from django.test import override_settings

    run = Journeys.TestCase
    run.settings = settings_for_ci()
    with override_settings(WAYSTATION_TODAY="1961-11-08"):  # the machine moves the day on
        run().runTest()
    # the runs went deep enough for the invariants to mean something
    assert {S.IN_QUARANTINE, S.MEDICALLY_CLEARED, S.AWAITING_PLACEMENT, S.PLACED} <= REACHED, (
        REACHED
    )


def settings_for_ci() -> settings:
    return settings(
        max_examples=15,
        stateful_step_count=40,
        deadline=None,
        # the same journeys on every run and database, so that how deep they go is not luck
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
