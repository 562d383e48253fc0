"""What the documents app adds to other apps' pages: the person page's documents card, the
person timeline's document events and the "Documents" navigation link."""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from documents import services
from documents.forms import ApplicationForm, DecisionForm, ReasonForm, RequestForm
from documents.models import CitizenshipApplication, Document, DocumentRequest, HolderPhoto
from documents.photos import PHOTO_TAKERS
from documents.rules import ISSUING_ROLES, OFFICE_ROLES, RULES, VIEWING_ROLES, requestable_types
from documents.stats import issued_on_day
from people.models import Person
from people.timeline import TimelineEvent
from stations.models import StaffProfile, Station
from stations.roles import Role
from waystation import clock


def person_panel(request: HttpRequest, person: Person) -> SafeString | str:
    profile: StaffProfile | None = getattr(request, "staff", None)
    if profile is None or profile.role not in VIEWING_ROLES:
        return ""
    role = profile.role
    offices = [o for rule in RULES.values() for o in services.eligible_offices(rule, person)]
    can_request = bool(requestable_types(role)) and role != Role.AUDITOR
    context = {
        "person": person,
        "documents": Document.objects.filter(person=person)
        .select_related("office", "supersedes")
        .order_by("-issued_at", "-id"),
        "requests": DocumentRequest.objects.filter(person=person)
        .select_related("office", "requested_by")
        .order_by("-requested_at", "-id"),
        "applications": CitizenshipApplication.objects.filter(person=person).prefetch_related(
            "events"
        ),
        "today": clock.today(),
        "can_request": can_request,
        "request_form": RequestForm(role=role, offices=offices) if can_request else None,
        "can_issue": role in ISSUING_ROLES,
        "has_photo": HolderPhoto.objects.filter(person=person, is_current=True).exists(),
        "can_take_photo": role in PHOTO_TAKERS,
        "reason_form": ReasonForm(),
        "application_form": ApplicationForm(),
        "decision_form": DecisionForm(),
        "eligibility": [
            (rule.document_type.label, person.state in rule.required_states, rule.requirement)
            for rule in requestable_types(role)
        ],
    }
    return mark_safe(render_to_string("documents/_person_panel.html", context, request=request))  # noqa: S308


def station_panel(request: HttpRequest, station: Station) -> SafeString | str:
    """Travel passes of the station's people: waiting requests, and issued in the last days."""
    profile: StaffProfile | None = getattr(request, "staff", None)
    if profile is None or profile.role not in VIEWING_ROLES:
        return ""
    today = clock.today()
    # "held by someone of this station", asked per record of the few that match the rest,
    # instead of joining a station's hundreds of thousands of people (0.1 s at 1M persons)
    of_station = Exists(Person.objects.filter(pk=OuterRef("person_id"), station=station))
    context = {
        "station": station,
        "pending": DocumentRequest.objects.filter(
            of_station, status=DocumentRequest.Status.PENDING
        ).count(),
        "issued_today": issued_on_day([station.pk], today),
        "current_passes": Document.objects.filter(
            of_station,
            document_type="TP",
            status=Document.Status.ISSUED,
            valid_until__gte=today,
        ).count(),
        "can_see_queue": profile.role in OFFICE_ROLES,
    }
    return mark_safe(render_to_string("documents/_station_panel.html", context, request=request))  # noqa: S308


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def timeline_events(person: Person, viewer: StaffProfile | None) -> list[TimelineEvent]:
    if viewer is None or viewer.role not in VIEWING_ROLES:
        return []
    events = []
    for document in Document.objects.filter(person=person).select_related("issued_by"):
        events.append(
            TimelineEvent(
                at=document.issued_at,
                kind="document",
                title=_("%(type)s %(number)s issued")
                % {"type": document.get_document_type_display(), "number": document.number},
                detail=document.scope,
                actor=document.issued_by.get_username() if document.issued_by else "",
            )
        )
        if document.status == Document.Status.REVOKED:
            events.append(
                TimelineEvent(
                    at=document.status_changed_at or _at(document.revoked_on),
                    kind="document",
                    title=_("%(number)s revoked") % {"number": document.number},
                    detail=document.status_reason,
                )
            )
    for application in CitizenshipApplication.objects.filter(person=person):
        events.append(
            TimelineEvent(
                at=_at(application.submitted_on),
                kind="document",
                title=_("%(kind)s: %(state)s")
                % {
                    "kind": application.get_kind_display(),
                    "state": application.get_state_display(),
                },
                detail=application.lodged_at,
            )
        )
    return events
