"""A person's timeline, gathered from every app that records events about people (the
sources are listed in people/extensions.py), so the person page never needs to know them."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from people.extensions import timeline_sources
from people.models import Crossing, JourneyTransition, Person
from people.states import JourneyState
from stations.access import sees_health_details
from stations.models import StaffProfile
from stations.roles import Role


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    actor: str = ""
    is_override: bool = False


TimelineSource = Callable[[Person, StaffProfile | None], list[TimelineEvent]]


def timeline_of(person: Person, viewer: StaffProfile | None) -> list[TimelineEvent]:
    events = [event for source in timeline_sources() for event in source(person, viewer)]
    return sorted(events, key=lambda event: event.at, reverse=True)


def transition_events(person: Person, viewer: StaffProfile | None) -> list[TimelineEvent]:
    events = []
    show_health = sees_health_details(viewer)
    for step in JourneyTransition.objects.filter(person=person).select_related("by"):
        # What a medical officer wrote when moving someone is a health detail.
        hidden = step.by_role == Role.MEDICAL_OFFICER and not show_health and step.reason
        events.append(
            TimelineEvent(
                at=step.at,
                kind="override" if step.is_override else "transition",
                title=str(JourneyState(step.to_state).label),
                detail=_("Health details are visible to medical officers only.")
                if hidden
                else step.reason,
                actor=step.by.get_username() if step.by else _("system"),
                is_override=step.is_override,
            )
        )
    return events


def crossing_events(person: Person, viewer: StaffProfile | None) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            at=crossing.crossed_at,
            kind="crossing",
            title=_("Crossed in at %(station)s") % {"station": crossing.station}
            if crossing.direction == Crossing.Direction.IN
            else _("Crossed back out at %(station)s") % {"station": crossing.station},
            detail=crossing.note,
            actor=crossing.recorded_by.get_username() if crossing.recorded_by else "",
        )
        for crossing in Crossing.objects.filter(person=person).select_related(
            "station", "recorded_by"
        )
    ]
