"""Residency on the journey: issuing a residency document is the grant of residency, and the
journey refuses a grant without one (unless an officer overrides with a written reason)."""

from typing import Any

from django.utils.translation import gettext as _

from documents.models import Document, DocumentType
from documents.rules import DocumentRule
from people import journey
from people.models import Person
from people.moves import take_step
from stations.models import StaffProfile
from waystation import clock


def take_granted_step(user: Any, rule: DocumentRule, person: Person, document: Document) -> None:
    if rule.grants_state is None or person.state == rule.grants_state:
        return
    take_step(
        user=user,
        person=person,
        target=rule.grants_state,
        owner=journey.RESIDENCY,
        reason=_("%(number)s issued") % {"number": document.number},
    )


def residency_guard(person: Person, target: str, profile: StaffProfile) -> str | None:
    held = Document.objects.filter(
        person=person,
        document_type=DocumentType.RESIDENCY_DOCUMENT,
        status=Document.Status.ISSUED,
        valid_until__gte=clock.today(),
    ).exists()
    if held:
        return None
    return _("Residency is granted by issuing a residency document; none is held.")
