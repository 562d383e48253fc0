"""The states of a person's journey (DESIGN.md), shared by models, the state machine and pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JourneyState(models.TextChoices):
    ARRIVED = "arrived", _("Arrived")
    REGISTERED = "registered", _("Registered")
    IDENTITY_CHECKED = "identity_checked", _("Identity checked")
    IN_QUARANTINE = "in_quarantine", _("In quarantine")
    MEDICALLY_CLEARED = "medically_cleared", _("Medically cleared")
    AWAITING_PLACEMENT = "awaiting_placement", _("Awaiting placement")
    PLACED = "placed", _("Placed")
    AT_WORK = "at_work", _("At work")
    LEFT_JOB = "left_job", _("Left job")
    MOVED = "moved", _("Moved")
    RETURNED = "returned", _("Returned across the border")
    RESIDENCY_GRANTED = "residency_granted", _("Residency granted")
    # Not a step of anyone's journey: a second record of a person who already has one, closed
    # when the files check found them to be the same person (the link can be undone).
    MERGED = "merged", _("Merged into another record")


# People in these states are physically at their reception station.
PRESENT_AT_STATION = (
    JourneyState.ARRIVED,
    JourneyState.REGISTERED,
    JourneyState.IDENTITY_CHECKED,
    JourneyState.IN_QUARANTINE,
    JourneyState.MEDICALLY_CLEARED,
    JourneyState.AWAITING_PLACEMENT,
)

# Every state of a live record: one per human being.
LIVE_STATES = tuple(state for state in JourneyState if state != JourneyState.MERGED)
