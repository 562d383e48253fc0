"""The rules of each document type, in one table: who may request and issue it, where a
person must be on the journey, which offices issue it, how long it is valid and how its
numbers read. Services and pages read this table; nothing else branches on the type."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentType, IssuingOffice
from people.states import JourneyState as S
from stations.roles import Role

# People who were placed in work (and so were medically cleared first): the cable's travel
# pass takes a placed person from the station to the labour bureau or the workplace.
# There is no Placement model yet, so the journey state stands for the placement and the
# destination is written on the request.
PLACED_STATES = frozenset({S.PLACED, S.AT_WORK, S.MOVED, S.RESIDENCY_GRANTED})
WORKING_STATES = frozenset({S.AT_WORK, S.MOVED, S.RESIDENCY_GRANTED})

ISSUING_ROLES = frozenset({Role.DOCUMENTS_OFFICER, Role.ADMINISTRATOR})
# Who may see a person's documents (their own scope applies on top).
VIEWING_ROLES = frozenset(
    {
        Role.REGISTRAR,
        Role.LABOUR_OFFICER,
        Role.DOCUMENTS_OFFICER,
        Role.ADMINISTRATOR,
        Role.AUDITOR,
    }
)
# Who sees the documents pages (queue, daily issuance, applications, offices).
OFFICE_ROLES = frozenset({Role.DOCUMENTS_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR})


@dataclass(frozen=True)
class DocumentRule:
    document_type: DocumentType
    requested_by: frozenset[Role]
    issued_by: frozenset[Role]
    required_states: frozenset[S]
    requirement: Promise  # the refusal message when the journey state is wrong
    office_kinds: tuple[str, ...]  # first one is the default
    validity_days: int
    destination_label: Promise
    max_days_ahead: int = 30  # how far in the future valid_from may be
    leaves_province: bool = False  # the destination must be another province
    # The journey step that issuing this document is (a residency document grants residency).
    grants_state: S | None = None

    def number(self, office_code: str, year: int, serial: int) -> str:
        """Numbers read TYPE-OFFICE-YEAR-SERIAL, e.g. TP-NH-ONS-1961-000081."""
        return f"{self.document_type}-{office_code}-{year}-{serial:06d}"


RULES: dict[str, DocumentRule] = {
    DocumentType.TRAVEL_PASS: DocumentRule(
        document_type=DocumentType.TRAVEL_PASS,
        requested_by=frozenset(
            {Role.REGISTRAR, Role.LABOUR_OFFICER, Role.DOCUMENTS_OFFICER, Role.ADMINISTRATOR}
        ),
        issued_by=ISSUING_ROLES,
        required_states=PLACED_STATES,
        requirement=_(
            "A travel pass needs medical clearance and a placement: the person must be placed "
            "or at work."
        ),
        office_kinds=(IssuingOffice.Kind.STATION, IssuingOffice.Kind.LABOUR_BUREAU),
        validity_days=15,
        destination_label=_("Labour bureau or workplace"),
    ),
    DocumentType.PROVINCE_EXIT_PERMIT: DocumentRule(
        document_type=DocumentType.PROVINCE_EXIT_PERMIT,
        requested_by=frozenset({Role.LABOUR_OFFICER, Role.DOCUMENTS_OFFICER, Role.ADMINISTRATOR}),
        issued_by=ISSUING_ROLES,
        required_states=PLACED_STATES,
        requirement=_("A province exit permit is for people who were placed in work."),
        office_kinds=(IssuingOffice.Kind.LABOUR_BUREAU,),
        validity_days=30,
        destination_label=_("Destination province"),
        leaves_province=True,
    ),
    DocumentType.RESIDENCY_DOCUMENT: DocumentRule(
        document_type=DocumentType.RESIDENCY_DOCUMENT,
        requested_by=frozenset(
            {Role.REGISTRAR, Role.LABOUR_OFFICER, Role.DOCUMENTS_OFFICER, Role.ADMINISTRATOR}
        ),
        issued_by=ISSUING_ROLES,
        required_states=WORKING_STATES,
        requirement=_("A residency document is for people at work or already resident."),
        office_kinds=(IssuingOffice.Kind.CIVIL_AFFAIRS,),
        validity_days=365,
        destination_label=_("Address"),
        grants_state=S.RESIDENCY_GRANTED,
    ),
}


def rule_for(document_type: str) -> DocumentRule:
    return RULES[document_type]


def requestable_types(role: str) -> list[DocumentRule]:
    return [rule for rule in RULES.values() if role in rule.requested_by]
