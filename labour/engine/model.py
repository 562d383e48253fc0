"""Plain dataclasses that form the public API of the placement engine.

The Django side builds a `PlacementInstance` and a `PlacementPolicy` from its models, calls
`labour.engine.plan_placement` and stores the returned `PlacementResult`. Nothing here imports
Django, so the engine can be tested and benchmarked alone.

Capacities are totals for this run: a job's `slots` and a site's `housing_places` count the
places that are free plus the places held by people who are part of this instance (people
already at work keep theirs unless the officer allows a move).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

SECTORS: tuple[str, ...] = ("mine", "farm", "factory", "institute", "central_department")
"""Sectors known to the retention features; others are accepted and treated as 'factory'."""
FITNESS_LEVELS: tuple[str, ...] = ("unfit", "light", "heavy")
"""The health app's examination result, lowest first (health.models.Fitness)."""
HEAVINESS_LEVELS: tuple[str, ...] = ("light", "medium", "heavy")
"""How physically heavy a job is. Heavy work needs heavy-work fitness; medium and light work
need at least light-work fitness; nobody found unfit for work is placed in a job."""
HOUSING_TYPES: tuple[str, ...] = ("dormitory", "mixed", "family")
SKILL_LEVELS: tuple[str, ...] = ("elementary", "semi_skilled", "skilled", "professional")
"""Skill level of an occupation, and the level a person's education and verified credentials
reach (0 = elementary ... 3 = professional)."""


@dataclass(frozen=True, slots=True)
class Requirements:
    """Hard eligibility requirements of a job. Never relaxed into a penalty."""

    credential: str | None = None
    """A credential (diploma, certificate) that the person must hold *verified*."""
    heavy_work: bool = False
    """Needs fitness for heavy work from the medical examination (the job's heaviness is
    then 'heavy')."""
    min_age: int = 16
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    site_id: str
    name: str
    sector: str
    housing_places: int
    location_km: tuple[float, float] = (0.0, 0.0)
    """Planar coordinates in km; only distances matter (to relatives)."""
    housing_type: str = "mixed"
    """'dormitory', 'mixed' or 'family' (HOUSING_TYPES)."""
    province: str = ""
    county: str = ""


@dataclass(frozen=True, slots=True)
class Job:
    """A vacancy: one occupation at one site, with several slots."""

    job_id: str
    site_id: str
    occupation: str
    sector: str
    slots: int
    requirements: Requirements = Requirements()
    difficulty: float = 0.5
    """0 = light work, 1 = the hardest work in the province."""
    heaviness: str | None = None
    """'light', 'medium' or 'heavy'; None = 'heavy' when the requirements ask for heavy-work
    fitness, else 'medium'."""
    skill_level: int | None = None
    """0-3 (SKILL_LEVELS); None = 2 (skilled) when a credential is required, else 0."""

    @property
    def heaviness_level(self) -> int:
        if self.requirements.heavy_work:
            return 2
        return HEAVINESS_LEVELS.index(self.heaviness) if self.heaviness else 1

    @property
    def needed_fitness(self) -> int:
        """Lowest fitness level (index in FITNESS_LEVELS) the job accepts."""
        return 2 if self.heaviness_level == 2 else 1

    @property
    def skill(self) -> int:
        if self.skill_level is not None:
            return self.skill_level
        return 2 if self.requirements.credential else 0


@dataclass(frozen=True, slots=True)
class Person:
    person_id: str
    household_id: str
    age: int
    sex: str
    """'F' or 'M' (other values are reported as their own group)."""
    seeks_work: bool = True
    higher_education_years: int = 0
    verified_credentials: frozenset[str] = frozenset()
    heavy_work_fit: bool = False
    """Kept for callers that only know yes/no; `fitness` wins when set."""
    languages: frozenset[str] = frozenset({"ko"})
    preferred_sectors: tuple[str, ...] = ()
    """Stated preference, most wanted first."""
    fitness: str | None = None
    """'unfit', 'light' or 'heavy' from the latest medical examination; None = 'heavy' when
    `heavy_work_fit`, else 'light'."""
    preferred_places: tuple[str, ...] = ()
    """Ranked wished-for places, most wanted first: county or province names."""
    province: str = ""
    """Province where the person waits; a job in another province needs a travel permit."""
    claimed_credentials: frozenset[str] = frozenset()
    """Credentials claimed but not verified yet (never used for eligibility; explained)."""
    relatives_location_km: tuple[float, float] | None = None
    current_job_id: str | None = None
    """Set when the person is already at work; the job's site is then the household's site."""

    @property
    def fitness_level(self) -> int:
        if self.fitness:
            return FITNESS_LEVELS.index(self.fitness)
        return 2 if self.heavy_work_fit else 1

    @property
    def skill(self) -> int:
        """Skill level reached by education and verified credentials."""
        if self.verified_credentials and self.higher_education_years >= 3:
            return 3
        if self.verified_credentials:
            return 2
        return 1 if self.higher_education_years >= 1 else 0


@dataclass(frozen=True, slots=True)
class Household:
    household_id: str
    member_ids: tuple[str, ...]
    current_site_id: str | None = None
    """Set when the household already lives at a site (housed, possibly working)."""
    arrival_order: int = 0
    """Smaller is earlier; used by first-come-first-served baselines and weekly batches."""


@dataclass(frozen=True, slots=True)
class PlacementInstance:
    persons: tuple[Person, ...]
    households: tuple[Household, ...]
    sites: tuple[Site, ...]
    jobs: tuple[Job, ...]
    candidate_job_ids: dict[str, tuple[str, ...]] | None = None
    """Per person, the jobs worth considering (eligible or not). None = every job. Large runs
    must pass candidates: the engine refuses more than `MAX_DENSE_PAIRS` person-job pairs."""
    candidate_site_ids: dict[str, tuple[str, ...]] | None = None
    """Per household, extra sites where it may be housed without work. None = the sites of its
    members' candidate jobs."""


@dataclass(frozen=True, slots=True)
class GroupSelector:
    """A group of people for fairness reports, priorities and minimum shares.

    Every field that is set must match; a person matches by their own age and sex and by the
    size of their household.
    """

    name: str
    min_household_size: int | None = None
    max_household_size: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    sex: str | None = None
    household_with_children: bool | None = None


@dataclass(frozen=True, slots=True)
class Priority:
    """Adds `bonus` to the score of every job placement of a group member."""

    group: GroupSelector
    bonus: float


@dataclass(frozen=True, slots=True)
class MinimumShare:
    """At least `share` of the group's work seekers are placed in a job (when feasible)."""

    group: GroupSelector
    share: float


@dataclass(frozen=True, slots=True)
class PlacementPolicy:
    retention_weight: float = 1.0
    """Weight of the predicted probability of staying 180 days."""
    preference_weight: float = 0.0
    """Bonus for the stated-preference match (1 = first choice, 0 = not stated), on top of
    what preference already does to the chance of staying. A policy choice, off unless an
    officer turns it on; a run then reports what it cost in expected stayers."""
    housing_value: float = 0.05
    """Value per person of being housed at a site; makes the engine house people that no
    job fits whenever housing is free, and counts children and elders in the objective."""
    stay_bonus: float = 0.2
    """Added to keeping a movable worker where they are, so a move must be worth it."""
    movable_household_ids: frozenset[str] = frozenset()
    """Households already placed that the officer allows the engine to move."""
    priorities: tuple[Priority, ...] = ()
    minimum_shares: tuple[MinimumShare, ...] = ()
    mip_time_limit_s: float = 20.0
    """Time limit of the exact MIP over the generated household columns."""
    column_generation_time_s: float = 45.0
    """Time budget of the pricing rounds that generate household columns."""
    working_age_min: int = 16
    working_age_max: int = 59
    """Working age of this plan (inclusive): people outside it are not placed in jobs."""
    allow_other_provinces: bool = True
    """People may be sent to a site in another province (each then needs a travel permit)."""
    job_reserve_prices: Mapping[str, float] = field(default_factory=dict)
    """Per job id, the value of keeping one slot for later arrivals (bid price). Weekly
    batches use prices from a forecast run so that early weeks do not take the places that
    later arrivals would use better. Objective and bound are then net of these prices."""
    housing_reserve_prices: Mapping[str, float] = field(default_factory=dict)
    """Per site id, the same for one housing place."""


class PlacementStatus(StrEnum):
    PLACED = "placed"
    """In a job, housed at the job's site."""
    HOUSED = "housed"
    """Housed at a site without a job (no job fits, not seeking work, or jobs full)."""
    UNPLACED = "unplaced"


@dataclass(frozen=True, slots=True)
class Alternative:
    job_id: str
    site_id: str
    score: float
    eligible: bool
    reason: str
    """Why this place was not chosen: a failed requirement, a full job or full housing, the
    household kept together, or a lower chance of staying."""
    stay: float | None = None
    """Model probability of staying 180 days in this job."""


@dataclass(frozen=True, slots=True)
class PersonPlacement:
    person_id: str
    household_id: str
    status: PlacementStatus
    site_id: str | None
    job_id: str | None
    score: float
    """Score at the chosen job (0 when not in a job)."""
    predicted_stay: float | None
    """Model probability of staying 180 days at the chosen job."""
    moved: bool
    """True when an already placed person was moved (only with the officer's permission)."""
    reason: str
    """Why the person is where they are; always set for housed and unplaced people."""
    alternatives: tuple[Alternative, ...] = ()
    would_open: tuple[str, ...] = ()
    """Jobs that verifying one of the person's claimed credentials would open."""
    needs_travel_permit: bool = False
    """Housed at a site in another province than where the person waits."""
    factors: tuple[tuple[str, float], ...] = ()
    """What raises (+) or lowers (-) the chance of staying at the chosen job, as (factor code,
    effect on the probability); codes are explained in words by the Django side."""


@dataclass(frozen=True, slots=True)
class CapacityPrice:
    """Scarcity price (dual value) of one capacity: objective gained per extra unit."""

    kind: str
    """'job_slots' or 'housing_places'."""
    capacity_id: str
    """The job id or site id."""
    capacity: int
    used: int
    price: float


@dataclass(frozen=True, slots=True)
class GroupRate:
    dimension: str
    """'household_size', 'age_group', 'sex' or a policy group name."""
    group: str
    persons: int
    work_seekers: int
    placed_in_job: int
    housed: int

    @property
    def placement_rate(self) -> float:
        return self.placed_in_job / self.work_seekers if self.work_seekers else 0.0

    @property
    def housing_rate(self) -> float:
        return self.housed / self.persons if self.persons else 0.0


@dataclass(frozen=True, slots=True)
class ShareOutcome:
    group: str
    required_share: float
    achieved_share: float
    honoured: bool
    reason: str


@dataclass(slots=True)
class SolveStats:
    method: str
    """'min_cost_flow', 'column_generation_mip', 'lp_round_repair', or for very large runs
    'lagrangian_prices_restricted_master' ('lagrangian_prices_greedy' if its LP ran out of time)."""
    objective: float
    bound: float
    """Proven upper bound on the optimum: the flow's own optimum (it is exact), or for
    households the Lagrangian dual of the full model over every household option at the
    column-generation LP's prices (labour/engine/pricing.py)."""
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float:
        return (self.bound - self.objective) / abs(self.bound) if self.bound else 0.0


@dataclass(slots=True)
class PlacementResult:
    placements: list[PersonPlacement]
    prices: list[CapacityPrice]
    fairness: list[GroupRate]
    shares: list[ShareOutcome]
    stats: SolveStats

    def by_person(self) -> dict[str, PersonPlacement]:
        return {placement.person_id: placement for placement in self.placements}
