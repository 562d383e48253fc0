"""Work on a whole household in one action: admit it to quarantine, issue it what is due,
request a document for each member. Each goes through the per-person services of the apps
that own the work (their rules, checks and audit), inside one transaction: when any member is
refused, nothing is done for anyone, and the message names the member and why."""

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from documents import services as documents
from documents.models import DocumentRequest, IssuingOffice
from health import services as health
from health.models import QuarantineStay
from people.models import Household, Person
from people.states import JourneyState
from supplies import entitlements
from supplies.models import EntitlementIssue
from supplies.services import StockRefused

T = TypeVar("T")


class HouseholdRefused(Exception):
    """A household action refused for one member; nothing was done for anyone."""


def members_of(household: Household) -> list[Person]:
    """The members still with the household at its station (not gone back across the border,
    not merged into another record), head first."""
    members = list(
        Person.objects.filter(household=household, station_id=household.station_id)
        .exclude(state__in=[JourneyState.RETURNED, JourneyState.MERGED])
        .select_related("station")
        .order_by("id")
    )
    members.sort(key=lambda person: person.pk != household.head_id)
    return members


def _for_member(person: Person, work: Callable[[], T]) -> T:
    """Run one member's part; a refusal names the member and rolls the whole action back."""
    try:
        return work()
    except ValidationError as error:
        reasons = " ".join(error.messages)
    except StockRefused as error:
        reasons = str(error)
    raise HouseholdRefused(
        _("%(person)s: %(reasons)s Nothing was done for the household.")
        % {"person": person.display_name, "reasons": reasons}
    )


def admit(
    *, user: Any, household: Household, started_on: dt.date | None = None
) -> list[QuarantineStay]:
    """Admit the household to quarantine: the health rules admit a household together, from
    any member through the files check."""
    members = members_of(household)
    ready = [m for m in members if m.state == JourneyState.IDENTITY_CHECKED]
    if not ready:
        raise HouseholdRefused(
            _("Nobody of this household is through the files check and waiting for quarantine.")
        )
    with transaction.atomic():
        return _for_member(
            ready[0], lambda: health.admit(user=user, person=ready[0], started_on=started_on)
        )


def issue_what_is_due(*, user: Any, household: Household) -> list[EntitlementIssue]:
    """Issue every member every line of their policy due to them now."""
    members = members_of(household)
    issued: list[EntitlementIssue] = []
    with transaction.atomic():
        for person in members:
            for status in entitlements.status_of(person):
                if status.due:
                    line = status.entitlement
                    issue = partial(
                        entitlements.issue_entitlement, user=user, person=person, entitlement=line
                    )
                    issued.append(_for_member(person, issue))
    if not issued:
        raise HouseholdRefused(_("Nothing is due to this household now."))
    return issued


def request_documents(
    *,
    user: Any,
    household: Household,
    persons: list[Person],
    document_type: str,
    office: IssuingOffice,
    destination: str = "",
    valid_from: dt.date | None = None,
    note: str = "",
) -> list[DocumentRequest]:
    """Ask for the same document for each chosen member of the household."""
    here = {person.pk: person for person in members_of(household)}
    chosen = [here[p.pk] for p in persons if p.pk in here]
    if not chosen or len(chosen) != len(persons):
        raise HouseholdRefused(_("Choose members of this household."))
    with transaction.atomic():
        ask = partial(
            documents.request_document,
            user=user,
            document_type=document_type,
            office=office,
            destination=destination,
            valid_from=valid_from,
            note=note,
        )
        return [_for_member(person, partial(ask, person=person)) for person in chosen]
