"""The live files check: earlier records of a person being registered, blocked in SQL on
the stored keys and scored by the engine."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import gettext as _

from identity.engine import NON_MATCH, MatchModel, MatchResult, PreparedRecord, blocking_keys
from identity.engine.blocking import NO_DATE_FAMILY, family_max_block, key_family
from identity.engine.index import _without_date
from identity.engine.scoring import score_pair, score_upper_bound
from identity.keys import (
    PERSON_FIELDS,
    STORED_FORMS,
    key_hash,
    prepare_record,
    prepared_of_stored,
    record_of,
)
from identity.links import active_links, active_roots, record_group
from identity.models import BlockingKey, MatchModelVersion
from people.audit import AuditEntry, record_persons_shown
from people.models import Crossing, Person
from stations.access import can_see_station, staff_profile_of
from waystation import clock

# A key shared by more records than this identifies nobody; other keys still find them.
MAX_BLOCK_SIZE = 2_000
QUERY_ID = "new"


@dataclass(frozen=True)
class NameDisplay:
    """One record's name in every script, for the side-by-side table."""

    hanzi: str
    hangul: str
    pinyin: str
    rr: str
    latin: str


@dataclass(frozen=True)
class Candidate:
    person: Person
    result: MatchResult
    names: NameDisplay
    merged_from: Person | None = None  # the record that matched, when it was merged away


# The thresholds step once per doubling of the registry, so a count this old gives the
# live check the bands the batch gives on its exact count.
REGISTRY_SIZE_SECONDS = 300
REGISTRY_SIZE_CACHE_KEY = "identity:registry-size"


def current_model() -> MatchModel:
    """The newest active re-estimated model, else the engine's defaults."""
    row = MatchModelVersion.objects.filter(active=True).only("model").first()
    return MatchModel.from_dict(row.model) if row else MatchModel()


def model_at_registry_size() -> MatchModel:
    """The current model with its thresholds for this registry's size: what the live check
    and the review pages band with, as the batch does on its own count."""
    return current_model().at_registry_size(registry_size())


def registry_size() -> int:
    """Records the batch would read (every person not merged into another), counted at
    most every REGISTRY_SIZE_SECONDS: counting a million rows on every check would cost
    more than the check."""

    def count() -> int:
        return Person.objects.count() - active_links().count()

    size = cache.get_or_set(REGISTRY_SIZE_CACHE_KEY, count, REGISTRY_SIZE_SECONDS)
    return count() if size is None else int(size)


def names_of(prepared: PreparedRecord) -> NameDisplay:
    names = prepared.names

    def joined(family: tuple[str, ...] | str, given: tuple[str, ...] | str) -> str:
        families = [family] if isinstance(family, str) else list(family)
        givens = [given] if isinstance(given, str) else list(given)
        if not any(families) and not any(givens):
            return ""
        return " / ".join(
            dict.fromkeys(f"{f} {g}".strip() for f in families or [""] for g in givens or [""])
        )

    return NameDisplay(
        hanzi=f"{names.family_hanzi}{names.given_hanzi}",
        hangul=joined(names.family_hangul, names.given_hangul),
        pinyin=joined(names.family_pinyin, names.given_pinyin),
        rr=joined(names.family_rr, names.given_rr),
        latin=joined(names.family_latin, names.given_latin),
    )


def candidate_ids(prepared: PreparedRecord) -> set[int]:
    """Ids of persons sharing a usable blocking key with the typed record (two or three
    index-only queries: block sizes, then the members of the small blocks)."""
    dated = prepared.birth_date is not None
    largest = {
        key_hash(key): family_max_block(key_family(key), MAX_BLOCK_SIZE)
        for key in blocking_keys(prepared)
        if not (dated and key_family(key) == NO_DATE_FAMILY)
    }
    found: set[int] = set()
    if largest:
        sizes = (
            BlockingKey.objects.filter(key_hash__in=largest)
            .values("key_hash")
            .annotate(size=Count("person_id"))
        )
        usable = [row["key_hash"] for row in sizes if row["size"] <= largest[row["key_hash"]]]
        if usable:
            found.update(
                BlockingKey.objects.filter(key_hash__in=usable).values_list("person_id", flat=True)
            )
    if dated:
        # An undated earlier record meets a dated query on its name alone.
        undated = {
            key_hash(key)
            for key in blocking_keys(_without_date(prepared))
            if key_family(key) == NO_DATE_FAMILY
        }
        if undated:
            found.update(
                BlockingKey.objects.filter(
                    key_hash__in=undated, person__birth_date__isnull=True
                ).values_list("person_id", flat=True)[:MAX_BLOCK_SIZE]
            )
    return found


def live_check(
    typed: Mapping[str, Any],
    *,
    limit: int = 5,
    exclude: set[int] | None = None,
    model: MatchModel | None = None,
    offer_below_band: bool = False,
) -> tuple[PreparedRecord, list[Candidate]]:
    """Score the typed fields against the registry; best candidates first, each shown as the
    record it was merged into when it was merged (the person, not the duplicate).

    offer_below_band: also offer the best candidates between the review threshold the model
    was fitted with and the one for this registry's size, banded "probably different". A
    large registry raises the review threshold (more namesakes by chance), so at a million
    persons an earlier record scoring 10-13.5 bits is no longer asked about; a registrar
    looking at the screen may still recognise it. What decides the identity step (verdicts,
    review items) does not offer them: nobody has to decide on them."""
    fitted = model or current_model()
    model = fitted.at_registry_size(registry_size())
    prepared = prepare_record(record_of(typed, record_id=QUERY_ID))
    ids = candidate_ids(prepared) - (exclude or set())
    if not ids:
        return prepared, []
    floor = fitted.review_threshold if offer_below_band else None
    scored = _best_scored(prepared, ids, model, floor, limit)
    roots = active_roots([person_id for _, person_id, _ in scored])
    best: dict[int, tuple[MatchResult, int, PreparedRecord]] = {}
    for result, person_id, candidate in scored:
        root = roots.get(person_id, person_id)
        if root not in best and root not in (exclude or set()):
            best[root] = (result, person_id, candidate)
        if len(best) >= limit:
            break
    persons = Person.objects.select_related("station").in_bulk(
        set(best) | {person_id for _, person_id, _ in best.values()}
    )
    candidates = [
        Candidate(
            person=persons[root],
            result=result,
            names=names_of(candidate),
            merged_from=persons[person_id] if person_id != root else None,
        )
        for root, (result, person_id, candidate) in best.items()
    ]
    return prepared, candidates


# Candidates below the review band are scored in full only while they could still be among
# the best shown; a few more than the limit are kept, as two of them may be one person.
SPARE_CANDIDATES = 2


def _best_scored(
    prepared: PreparedRecord, ids: set[int], model: MatchModel, floor: float | None, limit: int
) -> list[tuple[MatchResult, int, PreparedRecord]]:
    """(result, person id, record) of every candidate in the review band or above, then
    (given a floor, never above the review threshold) the best below it down to the floor;
    best first."""
    offered = floor is not None
    lowest = floor if floor is not None else model.review_threshold
    scored: list[tuple[MatchResult, int, PreparedRecord]] = []
    below: list[tuple[float, int, PreparedRecord]] = []
    for row in Person.objects.filter(pk__in=ids).values(*PERSON_FIELDS, STORED_FORMS):
        candidate = prepared_of_stored(row)
        bound = score_upper_bound(prepared, candidate, model)
        if bound < lowest:
            continue  # cannot reach the floor whatever the names say
        if bound < model.review_threshold:
            below.append((bound, row["id"], candidate))
            continue
        result = score_pair(prepared, candidate, model)
        if result.band != NON_MATCH or (offered and result.score >= lowest):
            scored.append((result, row["id"], candidate))
    # the best `wanted` scores so far, the lowest of them first
    wanted = limit + SPARE_CANDIDATES
    best_scores = heapq.nlargest(wanted, (result.score for result, _, _ in scored))
    heapq.heapify(best_scores)
    for bound, person_id, candidate in sorted(below, key=lambda item: -item[0]):
        if len(best_scores) >= wanted and bound < best_scores[0]:
            break  # neither this one nor any after it can be among the best shown
        result = score_pair(prepared, candidate, model)
        if result.score >= lowest:
            scored.append((result, person_id, candidate))
            heapq.heappush(best_scores, result.score)
            if len(best_scores) > wanted:
                heapq.heappop(best_scores)
    scored.sort(key=lambda item: -item[0].score)
    return scored


# The files check as a user runs it: rate-limited per user, audited with what it showed, and
# showing another station's records only as far as a registrar needs to decide.
#
# Cross-station matching is the point of the check: a person registered at Musan who arrives
# at Onsong must be found. But the check must not become a way to read the registry, so
# outside the user's scope a candidate is its names, birth date and station; the rest (sex,
# crossings, the per-field reasons, the notes) is shown only for records the user may open
# anyway. Every check leaves one audit entry naming the records it showed, and those entries
# are also what the per-user limit counts. Pages and API endpoints call `checked_by`, never
# `live_check`.

# The audit entries of checks carry this reason; the limit counts them.
CHECK_REASON = "Identity check"
LIMIT_WINDOW = dt.timedelta(hours=1)


class CheckLimitReached(Exception):
    """The user ran more checks in the last hour than IDENTITY_CHECKS_PER_HOUR allows."""


@dataclass(frozen=True)
class ShownCandidate:
    """A candidate as this user may see it. `in_scope` False: only the names, the birth date
    and the station may be shown (`crossings` is then None)."""

    candidate: Candidate
    in_scope: bool
    crossings: int | None


def checks_left(user: Any) -> int:
    """How many more checks the user may run within the current hour's window."""
    since = clock.now() - LIMIT_WINDOW
    used = AuditEntry.objects.filter(
        user=user, at__gte=since, action=AuditEntry.Action.SEARCH, reason=CHECK_REASON
    ).count()
    return max(settings.IDENTITY_CHECKS_PER_HOUR - used, 0)


def checked_by(
    user: Any, typed: Mapping[str, Any], *, limit: int = 5
) -> tuple[PreparedRecord, list[ShownCandidate]]:
    """Run the files check for `user` on the typed fields: refused past the user's hourly
    limit, audited with the ids it showed, each candidate marked in or out of the user's
    scope (with its crossings counted only in scope)."""
    if checks_left(user) <= 0:
        raise CheckLimitReached(
            _(
                "You have run %(n)d files checks in the last hour, as many as allowed. "
                "Wait a while, or ask an administrator if a registration needs more."
            )
            % {"n": settings.IDENTITY_CHECKS_PER_HOUR}
        )
    prepared, candidates = live_check(typed, limit=limit, offer_below_band=True)
    profile = staff_profile_of(user)
    shown = []
    for candidate in candidates:
        in_scope = can_see_station(profile, candidate.person.station)
        crossings = (
            Crossing.objects.filter(person_id__in=record_group(candidate.person.pk)).count()
            if in_scope
            else None
        )
        shown.append(ShownCandidate(candidate, in_scope, crossings))
    persons = [
        person
        for item in shown
        for person in (item.candidate.person, item.candidate.merged_from)
        if person is not None
    ]
    record_persons_shown(
        user,
        persons,
        reason=CHECK_REASON,
        searched=True,
        detail={"in_scope": [item.candidate.person.pk for item in shown if item.in_scope]},
    )
    return prepared, shown
