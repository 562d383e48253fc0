"""The files check as a user runs it: rate-limited per user, audited with what it showed, and
showing another station's records only as far as a registrar needs to decide.

Cross-station matching is the point of the check: a person registered at Musan who arrives
at Onsong must be found. But the check must not become a way to read the registry, so outside
the user's scope a candidate is its names, birth date and station; the rest (sex, crossings,
the per-field reasons, the notes) is shown only for records the user may open anyway. Every
check leaves one audit entry naming the records it showed, and those entries are also what
the per-user limit counts. Pages and API endpoints call `checked_by`, never `live_check`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from identity.check import Candidate, live_check
from identity.engine import PreparedRecord
from identity.links import record_group
from people.audit import AuditEntry, record_persons_shown
from people.models import Crossing
from stations.access import can_see_station, staff_profile_of
from waystation import clock

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
    prepared, candidates = live_check(typed, limit=limit)
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
