"""Exact placement of one-person households by min-cost flow (OR-Tools).

Network: every free person has supply 1 and sends it to the sink T along one of
    person -> job -> site -> T      in a job, housed at the job's site
    person -> site -> T             housed without a job (housing-only fallback)
    person -> T                     unplaced
Job arcs carry the job slots, site arcs the housing places, so both capacity dimensions are
exact. Costs are negated scores scaled to integers.

Scarcity prices come from node potentials: shortest distances from T in the residual graph
give reduced costs that satisfy complementary slackness, and minus the reduced cost of a
saturated capacity arc is the dual value of that capacity.
"""

from __future__ import annotations

import time
from itertools import chain

import numpy as np
from ortools.graph.python import min_cost_flow

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.flow_split import housing_is_contested, split_flows
from labour.engine.model import PlacementPolicy
from labour.engine.solution import (
    Settlement,
    Solution,
    pair_rows,
    reserve_prices,
    stay_bonus_per_pair,
)

COST_SCALE = 10_000
SPLIT_WORK_LIMIT = 8.0
"""Arc relaxations allowed when certifying the split flow, as a multiple of the residual
arcs: an optimal residual graph of the benchmark needs about 2.3, while a negative cycle
would keep going until the node count of rounds, and cost far more than the full solve."""
_UNREACHED = np.inf


def housing_only_arcs(
    indexed: IndexedInstance, pairs: CandidatePairs, people: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(person, site) pairs where each person's household may be housed without work: the
    instance's list for the household, else the sites of the person's candidate jobs, else
    every site."""
    instance = indexed.instance
    n_sites = len(indexed.site_housing)
    listed = instance.candidate_site_ids or {}
    households = indexed.person_household[people]
    ids = [instance.households[h].household_id for h in households.tolist()]
    lists = [listed.get(household_id, ()) for household_id in ids]
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(people))
    # A household listed with no sites is housed nowhere without work, as listed.
    is_listed = np.fromiter((i in listed for i in ids), dtype=bool, count=len(people))
    listed_person = np.repeat(people, counts)
    listed_site = np.fromiter(
        map(indexed.site_index.__getitem__, chain.from_iterable(lists)),
        dtype=np.int64,
        count=int(counts.sum()),
    )
    unlisted = people[~is_listed]
    in_pairs = np.isin(pairs.person, unlisted)
    keys = np.unique(pairs.person[in_pairs] * n_sites + indexed.job_site[pairs.job[in_pairs]])
    no_candidates = unlisted[np.diff(pairs.offsets)[unlisted] == 0]
    person = np.concatenate([listed_person, keys // n_sites, np.repeat(no_candidates, n_sites)])
    site = np.concatenate(
        [listed_site, keys % n_sites, np.tile(np.arange(n_sites), len(no_candidates))]
    )
    order = np.argsort(person, kind="stable")
    return person[order], site[order]


class NotOptimalError(RuntimeError):
    """The residual graph has a negative cycle (or too deep a shortest-path tree to tell):
    the flow is not certified optimal."""


def _residual_potentials(
    tails: np.ndarray,
    heads: np.ndarray,
    costs: np.ndarray,
    source: int,
    n_nodes: int,
    work_limit: float | None = None,
) -> tuple[np.ndarray, int]:
    """Bellman-Ford distances from `source`, vectorised by rounds: each round relaxes only
    the arcs leaving nodes whose distance fell in the round before, so late rounds are cheap.
    NotOptimalError after more rounds than nodes, or after relaxing more than `work_limit`
    times as many arcs as the graph has (a negative cycle keeps lowering distances).
    """
    order = np.argsort(tails, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order].astype(np.float64)
    starts = np.searchsorted(tails, np.arange(n_nodes + 1))
    distance = np.full(n_nodes, _UNREACHED)
    distance[source] = 0.0
    offer = np.full(n_nodes, _UNREACHED)
    frontier = np.array([source], dtype=np.int64)
    iterations, relaxed = 0, 0
    relaxation_limit = np.inf if work_limit is None else work_limit * max(len(tails), 1)
    while len(frontier):
        iterations += 1
        first, counts = starts[frontier], starts[frontier + 1] - starts[frontier]
        total = int(counts.sum())
        relaxed += total
        if iterations > n_nodes or relaxed > relaxation_limit:
            raise NotOptimalError("negative cycle in the residual graph: the flow is not optimal")
        if total == 0:
            break
        arcs = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(total)
        candidate = np.repeat(distance[frontier], counts) + costs[arcs]
        head = heads[arcs]
        better = candidate < distance[head] - 1e-9
        candidate, head = candidate[better], head[better]
        # The lowest offer per head by an unbuffered minimum: cheaper than sorting offers.
        np.minimum.at(offer, head, candidate)
        frontier = np.unique(head)
        distance[frontier] = offer[frontier]
        offer[frontier] = _UNREACHED
    return distance, iterations


def _top_arcs_per_person(person: np.ndarray, value: np.ndarray, keep: int) -> np.ndarray:
    """Mask of each person's `keep` most valuable arcs."""
    order = np.lexsort((-value, person))
    sorted_person = person[order]
    first = np.searchsorted(sorted_person, sorted_person, side="left")
    rank = np.arange(len(order)) - first
    mask = np.zeros(len(person), dtype=bool)
    mask[order[rank < keep]] = True
    return mask


class _Network:
    """The static part of the flow network; person-job arcs are supplied per round."""

    def __init__(
        self,
        indexed: IndexedInstance,
        pairs: CandidatePairs,
        policy: PlacementPolicy,
        free_people: np.ndarray,
        free_slots: np.ndarray,
        free_housing: np.ndarray,
    ) -> None:
        n_persons, n_jobs = indexed.n_persons, len(indexed.job_slots)
        n_sites = len(indexed.site_housing)
        self.job_node = np.arange(n_jobs) + n_persons
        self.site_node = np.arange(n_sites) + n_persons + n_jobs
        self.sink = n_persons + n_jobs + n_sites
        self.housing_person, self.housing_site = housing_only_arcs(indexed, pairs, free_people)
        n_housing = len(self.housing_person)
        self.housing_cost = -round(policy.housing_value * COST_SCALE)
        self.tails = np.concatenate(
            [self.job_node, self.site_node, self.housing_person, free_people]
        )
        self.heads = np.concatenate(
            [
                self.site_node[indexed.job_site],
                np.full(n_sites, self.sink),
                self.site_node[self.housing_site],
                np.full(len(free_people), self.sink),
            ]
        )
        self.capacities = np.concatenate(
            [free_slots, free_housing, np.ones(n_housing + len(free_people), np.int64)]
        )
        self.costs = np.concatenate(
            [
                np.rint(np.concatenate(reserve_prices(indexed, policy)) * COST_SCALE).astype(
                    np.int64
                ),
                np.full(n_housing, self.housing_cost, np.int64),
                np.zeros(len(free_people), np.int64),
            ]
        )
        self.supplies = np.zeros(self.sink + 1, dtype=np.int64)
        self.supplies[free_people] = 1
        self.supplies[self.sink] = -len(free_people)

    def solve(
        self, pair_tails: np.ndarray, pair_heads: np.ndarray, pair_costs: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, int, int]:
        """Optimal flows on the pair arcs and the static arcs, sink distances, cost."""
        tails = np.concatenate([pair_tails, self.tails])
        heads = np.concatenate([pair_heads, self.heads])
        capacities = np.concatenate([np.ones(len(pair_tails), np.int64), self.capacities])
        costs = np.concatenate([pair_costs, self.costs])
        solver = min_cost_flow.SimpleMinCostFlow()
        solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        solver.set_nodes_supplies(np.arange(self.sink + 1), self.supplies)
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        flows = solver.flows(np.arange(len(tails)))
        distance, iterations = self.potentials(tails, heads, capacities, costs, flows)
        return flows, distance, iterations, solver.optimal_cost()

    def potentials(
        self,
        tails: np.ndarray,
        heads: np.ndarray,
        capacities: np.ndarray,
        costs: np.ndarray,
        flows: np.ndarray,
        work_limit: float | None = None,
    ) -> tuple[np.ndarray, int]:
        """Sink distances in the residual graph of `flows`; NotOptimalError if it has a
        negative cycle (the flow is then not optimal)."""
        forward, backward = flows < capacities, flows > 0
        return _residual_potentials(
            np.concatenate([tails[forward], heads[backward]]),
            np.concatenate([heads[forward], tails[backward]]),
            np.concatenate([costs[forward], -costs[backward]]),
            source=self.sink,
            n_nodes=self.sink + 1,
            work_limit=work_limit,
        )

    def solve_split(
        self,
        indexed: IndexedInstance,
        pair_tails: np.ndarray,
        pair_heads: np.ndarray,
        pair_costs: np.ndarray,
        free_people: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, int, int] | None:
        """Like `solve`, through the jobs-then-housing split (see flow_split); None when the
        split does not reach a certified optimum."""
        n_jobs, n_sites = len(self.job_node), len(self.site_node)
        static_costs = self.costs
        split = split_flows(
            pair_tails,
            pair_heads - indexed.n_persons,
            pair_costs,
            job_site=indexed.job_site,
            job_costs=static_costs[:n_jobs],
            site_costs=static_costs[n_jobs : n_jobs + n_sites],
            housing_cost=self.housing_cost,
            housing_person=self.housing_person,
            housing_site=self.housing_site,
            free_people=free_people,
            free_slots=self.capacities[:n_jobs],
            free_housing=self.capacities[n_jobs : n_jobs + n_sites],
            n_persons=indexed.n_persons,
        )
        if split is None:
            return None
        tails = np.concatenate([pair_tails, self.tails])
        heads = np.concatenate([pair_heads, self.heads])
        capacities = np.concatenate([np.ones(len(pair_tails), np.int64), self.capacities])
        costs = np.concatenate([pair_costs, self.costs])
        flows = np.concatenate(split).astype(np.int64)
        try:
            distance, iterations = self.potentials(
                tails, heads, capacities, costs, flows, work_limit=SPLIT_WORK_LIMIT
            )
        except NotOptimalError:
            return None
        return flows, distance, iterations, int(flows @ costs)


def _solve_with_pricing(
    network: _Network,
    all_tails: np.ndarray,
    all_heads: np.ndarray,
    all_costs: np.ndarray,
    in_model: np.ndarray,
) -> tuple[np.ndarray, int, tuple[np.ndarray, np.ndarray, int, int]]:
    """Solve on the arcs `in_model`, add left-out arcs priced below zero, repeat: rows in
    the final network, rounds, and that network's flows, distances, passes and cost."""
    rounds = 0
    while True:
        rounds += 1
        model_rows = np.flatnonzero(in_model)
        solved = network.solve(all_tails[model_rows], all_heads[model_rows], all_costs[model_rows])
        distance = solved[1]
        left_out = np.flatnonzero(~in_model)
        reduced = (
            all_costs[left_out] + distance[all_tails[left_out]] - distance[all_heads[left_out]]
        )
        # Unreached endpoints give inf/nan: such arcs are added rather than trusted.
        violated = left_out[~(reduced >= 0)]
        if len(violated) == 0:
            return model_rows, rounds, solved
        in_model[violated] = True


def solve_flow(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    found: Settlement,
    initial_arcs_per_person: int | None = None,
    split: bool | None = None,
) -> Solution:
    """Optimal placement when every household has exactly one member.

    `split` solves the jobs first and housing after (see flow_split) and keeps that flow
    only when certified optimal; None = when every site's housing is contested.

    With `initial_arcs_per_person` set, solves on each person's most valuable arcs first, then
    prices out every left-out eligible arc with the sink potentials and adds those with
    negative reduced cost, until none is left: the final potentials certify optimality on
    the full set of eligible pairs. By default every eligible arc is in the first network:
    OR-Tools' cost scaling is barely faster on a third of the arcs, so repeated rounds lose.
    """
    if np.any(indexed.household_size != 1):
        raise ValueError("min-cost flow places one-person households only")
    started = time.perf_counter()
    n_persons, n_jobs = indexed.n_persons, len(indexed.job_slots)
    n_sites = len(indexed.site_housing)
    person_job = np.full(n_persons, -1, dtype=np.int64)
    person_site = np.full(n_persons, -1, dtype=np.int64)

    locked = found.locked_household[indexed.person_household]
    person_job[locked] = indexed.current_job[locked]
    person_site[locked] = found.household_site[indexed.person_household[locked]]
    held = person_job[locked & (person_job >= 0)]
    free_slots = indexed.job_slots - np.bincount(held, minlength=n_jobs)
    free_housing = indexed.site_housing - np.bincount(person_site[locked], minlength=n_sites)
    if np.any(free_slots < 0) or np.any(free_housing < 0):
        raise ValueError("people already placed exceed a job's slots or a site's housing")
    free_people = np.flatnonzero(~locked)
    network = _Network(indexed, pairs, policy, free_people, free_slots, free_housing)

    usable_rows = np.flatnonzero(pairs.eligible & ~locked[pairs.person])
    value = pairs.score + policy.housing_value + stay_bonus_per_pair(indexed, pairs, policy, found)
    all_tails = pairs.person[usable_rows]
    all_heads = network.job_node[pairs.job[usable_rows]]
    all_costs = -np.rint(value[usable_rows] * COST_SCALE).astype(np.int64)
    if initial_arcs_per_person is None:
        in_model = np.ones(len(all_tails), dtype=bool)
    else:
        in_model = _top_arcs_per_person(all_tails, -all_costs, initial_arcs_per_person)
    if split is None:
        split = initial_arcs_per_person is None and housing_is_contested(
            network.housing_site, free_housing, n_sites, len(free_people)
        )
    attempt = (
        network.solve_split(indexed, all_tails, all_heads, all_costs, free_people)
        if split
        else None
    )
    route = "jobs first, then housing" if attempt else "one network"
    if split and attempt is None:
        route += " (the jobs-first split was not certified)"
    if attempt is not None:
        model_rows, rounds = np.arange(len(all_tails)), 1
        flows, distance, iterations, cost = attempt
    else:
        model_rows, rounds, (flows, distance, iterations, cost) = _solve_with_pricing(
            network, all_tails, all_heads, all_costs, in_model
        )
    solved = time.perf_counter()

    chosen = model_rows[flows[: len(model_rows)] > 0]
    person_job[all_tails[chosen]] = pairs.job[usable_rows[chosen]]
    employed = person_job >= 0
    person_site[employed] = indexed.job_site[person_job[employed]]
    static_flows = flows[len(model_rows) :]
    housing_flows = static_flows[n_jobs + n_sites : n_jobs + n_sites + len(network.housing_person)]
    housed = np.flatnonzero(housing_flows > 0)
    person_site[network.housing_person[housed]] = network.housing_site[housed]

    reached = np.isfinite(distance)
    distance[~reached] = distance[reached].max() if np.any(reached) else 0.0
    job_rc = distance[network.job_node] - distance[network.site_node[indexed.job_site]]
    site_rc = distance[network.site_node] - distance[network.sink]
    job_price = np.where(free_slots > 0, np.maximum(0.0, -job_rc), 0.0) / COST_SCALE
    site_price = np.where(free_housing > 0, np.maximum(0.0, -site_rc), 0.0) / COST_SCALE

    objective = -cost / COST_SCALE
    locked_rows = np.flatnonzero(locked & employed)
    if len(locked_rows):
        rows = pair_rows(indexed, pairs, locked_rows, person_job[locked_rows])
        objective += float(pairs.score[rows[rows >= 0]].sum())
    objective += policy.housing_value * float(np.count_nonzero(locked))
    return Solution(
        person_job=person_job,
        person_site=person_site,
        job_price=job_price,
        site_price=site_price,
        objective=objective,
        bound=objective,
        method="min_cost_flow",
        seconds={"flow_and_duals": solved - started},
        notes=[
            f"{rounds} pricing rounds, {len(model_rows)} of {len(usable_rows)} eligible arcs"
            f" in the final network ({route}); optimality certified by reduced costs",
            f"dual potentials: {iterations} Bellman-Ford passes",
        ],
    )
