"""Employers, sites and vacancies; credentials and preferences; placement runs, their proposed
assignments and the approved placements. The database enforces the invariants: verification
needs evidence, a proposal's status matches where it points, one active placement per person."""

from labour.models.claims import Credential, Preference
from labour.models.counts import ActivePlacementCount
from labour.models.outcomes import OutcomeImport, OutcomeRecord
from labour.models.requests import ApprovalRequest, PlacementRequest
from labour.models.runs import Placement, PlacementRun, ProposedAssignment
from labour.models.sites import Employer, Site, SiteKind, Vacancy

__all__ = [
    "ActivePlacementCount",
    "ApprovalRequest",
    "Credential",
    "Employer",
    "OutcomeImport",
    "OutcomeRecord",
    "Placement",
    "PlacementRequest",
    "PlacementRun",
    "Preference",
    "ProposedAssignment",
    "Site",
    "SiteKind",
    "Vacancy",
]
