"""EM re-estimation (u from random pairs, m by EM with the reviewers' labels)."""

from collections import Counter
from dataclasses import replace
from itertools import product

from identity.engine.em import estimate_model_em, expectation_maximisation
from identity.engine.evaluate import labelled_pairs, true_pairs
from identity.engine.hard_synthetic import generate_hard_registry
from identity.engine.pairs import candidate_pairs
from identity.engine.records import prepare_record
from identity.engine.scoring import MatchModel, score_pair


def test_em_finds_m_of_an_unlabelled_mixture() -> None:
    # 30% matches agree on each of three fields 90% of the time, non-matches 10% (u known)
    fields = ("given_name", "family_name", "birth_date")
    unlabelled: Counter = Counter()
    for agreements in product((True, False), repeat=3):
        observed = tuple(
            (name, "exact" if agree else "different")
            for name, agree in zip(fields, agreements, strict=True)
        )
        agreeing = sum(agreements)
        match = 0.3 * 0.9**agreeing * 0.1 ** (3 - agreeing)
        differ = 0.7 * 0.1**agreeing * 0.9 ** (3 - agreeing)
        unlabelled[observed] = round(100_000 * (match + differ))
    u = {name: {"exact": 0.1, "different": 0.9} for name in fields}
    start = {name: {"exact": 0.6, "different": 0.4} for name in fields}
    m, prior = expectation_maximisation(unlabelled, [], u, start, iterations=200)
    assert abs(m["given_name"]["exact"] - 0.9) < 0.02
    assert abs(prior - 0.3) < 0.02


def test_a_registry_and_its_labels_give_a_model_that_holds_precision_on_held_out_labels() -> None:
    # a registry whose labels prove the precision target at 95% confidence with room to
    # spare: on seed 5 the bound came within 0.0001 of it, and either side of that edge
    # is a fair outcome (a fit that cannot prove the target keeps the model in force)
    registry = generate_hard_registry(1500, seed=6)
    prepared = [prepare_record(record) for record in registry.records]
    labelled = labelled_pairs(prepared, true_pairs(registry.person_of), seed=1)
    pairs, _ = candidate_pairs(prepared)
    # started from thresholds set for another registry (a million persons' strict ones),
    # the station's own labels bring its automatic links back
    strict = MatchModel(auto_link_threshold=26.0, review_threshold=12.0)
    report = estimate_model_em(
        labelled,
        [(prepared[a], prepared[b]) for a, b in pairs.tolist()],
        prepared,
        base_model=strict,
        seed=1,
    )
    model = report.model
    assert model.weight("birth_date", "exact") > 8  # u from random pairs: a date is rare
    assert model.weight("given_name", "different") < 0
    assert report.after.auto_precision >= 0.99
    assert report.after.auto_recall > report.before.auto_recall


def test_a_few_wrong_labels_on_look_alike_records_leave_the_model_in_force() -> None:
    """Three "different" verdicts on the pair of records that agree most (a reviewer's slip,
    or two persons no field tells apart) would lift the fitted automatic-link threshold
    above every true pair; on the held-out labels the model in force links more at the
    precision target, so it stays, and the report says before and after are the same."""
    registry = generate_hard_registry(1500, seed=5)
    prepared = [prepare_record(record) for record in registry.records]
    labelled = labelled_pairs(prepared, true_pairs(registry.person_of), seed=1)
    in_force = MatchModel()
    closest = max(
        (pair for pair in labelled if pair.is_match),
        key=lambda pair: score_pair(pair.left, pair.right, in_force).score,
    )
    slips = [replace(closest, is_match=False)] * 3
    pairs, _ = candidate_pairs(prepared)
    report = estimate_model_em(
        labelled + slips,
        [(prepared[a], prepared[b]) for a, b in pairs.tolist()],
        prepared,
        base_model=in_force,
        seed=1,
    )
    assert report.model.auto_link_threshold == in_force.auto_link_threshold
    assert report.model.m == in_force.m
    assert report.after == report.before


def test_the_review_threshold_does_not_fall_below_the_one_in_force() -> None:
    registry = generate_hard_registry(1500, seed=5)
    prepared = [prepare_record(record) for record in registry.records]
    labelled = labelled_pairs(prepared, true_pairs(registry.person_of), seed=1)
    pairs, _ = candidate_pairs(prepared)
    # every blocked pair is labelled here, true pairs scoring 0-10 bits among them: a recall
    # target on them alone would pull the threshold down to where the queue triples
    report = estimate_model_em(
        labelled,
        [(prepared[a], prepared[b]) for a, b in pairs.tolist()],
        prepared,
        target_review_recall=0.999,
        seed=1,
    )
    assert report.model.review_threshold >= MatchModel().review_threshold
