from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people import journey, services
from people.audit import record_persons_shown
from people.extensions import after_registration, person_panels, registration_extras
from people.forms import CrossingForm, HouseholdForm, MemberFormSet, TransitionForm
from people.models import Category, EducationLevel, Person, Sex
from people.queries import (
    filtered_persons,
    listed_filters,
    person_rows,
    search_persons,
    visible_persons,
)
from people.states import JourneyState
from people.timeline import timeline_of
from stations.access import ALL_ROLES, role_required, sees_health_details, visible_stations
from stations.roles import Role

PAGE_SIZE = 50
WRITING_ROLES = tuple(role for role in Role if role != Role.AUDITOR)


def _scoped_person(request: HttpRequest, pk: int) -> Person:
    person = (
        visible_persons(request.staff).select_related("station", "household").filter(pk=pk).first()
    )
    if person is None:
        # Out of scope looks the same as absent: a registrar learns nothing about other stations.
        raise Http404
    return person


@role_required(Role.REGISTRAR, Role.ADMINISTRATOR)
def register_household(request: HttpRequest) -> HttpResponse:
    stations = visible_stations(request.staff)
    form = HouseholdForm(request.POST or None, stations=stations)
    formset = MemberFormSet(request.POST or None, prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        members = [services.PersonInput(**member) for member in formset.cleaned_data if member]
        try:
            household, _created = services.register_household(
                user=request.user,
                station=form.cleaned_data["station"],
                members=members,
                head_index=min(form.cleaned_data["head_index"] or 0, max(len(members) - 1, 0)),
                crossed_at=form.cleaned_data.get("crossed_at"),
                client_uuid=form.cleaned_data.get("client_uuid"),
            )
        except services.IdempotencyConflict as conflict:
            # This page was sent before with other content: the first household stands.
            form.add_error(None, str(conflict))
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(None, f"{field}: {problem}" if field != "__all__" else problem)
        else:
            filled = [f.prefix for f in formset.forms if f.cleaned_data]
            persons = household.members.order_by("pk")
            after_registration(request, list(zip(filled, persons, strict=False)))
            messages.success(
                request,
                _("Registered a household of %(n)d.") % {"n": household.members.count()},
            )
            return redirect("station-dashboard", code=household.station.code)
    context = {"form": form, "formset": formset, "extras": registration_extras(request)}
    return render(request, "people/register.html", context)


@role_required(*ALL_ROLES)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _scoped_person(request, pk)
    services.log_person_view(request.user, person)
    role = request.staff.role
    steps = journey.next_steps(person.state, role)
    context = {
        "person": person,
        "timeline": timeline_of(person, request.staff),
        "steps": steps,
        "transition_form": TransitionForm(),
        "crossing_form": CrossingForm(
            stations=visible_stations(request.staff), initial={"station": person.station_id}
        ),
        "can_record_crossing": role in (Role.REGISTRAR, Role.ADMINISTRATOR),
        "can_move": role != Role.AUDITOR,
        "sees_health": sees_health_details(request.staff),
        "health_status": health_status(person.state),
        "household_members": list(person.household.members.all()) if person.household else [],
        "panels": person_panels(request, person),
    }
    return render(request, "people/person_detail.html", context)


def health_status(state: str) -> str:
    """What every role may know about a person's health: the stage, never the findings."""
    order = list(JourneyState)
    if state == JourneyState.IN_QUARANTINE:
        return _("In quarantine")
    if state == JourneyState.RETURNED:
        return _("Not applicable")
    if order.index(JourneyState(state)) > order.index(JourneyState.IN_QUARANTINE):
        return _("Medically cleared")
    return _("Not cleared")


@require_POST
@role_required(*WRITING_ROLES)
def person_transition(request: HttpRequest, pk: int) -> HttpResponse:
    person = _scoped_person(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("person-detail", pk=person.pk)
    try:
        services.move_person(
            user=request.user,
            person=person,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
            override=form.cleaned_data["override"],
        )
    except (journey.TransitionRefused, PermissionDenied, ValidationError) as refusal:
        messages.error(request, _message_of(refusal))
    else:
        messages.success(
            request, _("Moved to “%(state)s”.") % {"state": JourneyState(person.state).label}
        )
    return redirect("person-detail", pk=person.pk)


@require_POST
@role_required(Role.REGISTRAR, Role.ADMINISTRATOR)
def person_crossing(request: HttpRequest, pk: int) -> HttpResponse:
    person = _scoped_person(request, pk)
    form = CrossingForm(request.POST, stations=visible_stations(request.staff))
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("person-detail", pk=person.pk)
    try:
        services.record_crossing(user=request.user, person=person, **form.cleaned_data)
    except (PermissionDenied, ValidationError, journey.TransitionRefused) as refusal:
        messages.error(request, _message_of(refusal))
    else:
        messages.success(request, _("Crossing recorded."))
    return redirect("person-detail", pk=person.pk)


def _message_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


@role_required(*ALL_ROLES)
def person_list(request: HttpRequest) -> HttpResponse:
    persons = filtered_persons(request.staff, request.GET)
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    record_persons_shown(
        request.user,
        page.object_list,
        reason="Person list",
        searched=bool(request.GET.get("q", "").strip()),
        detail={"filters": listed_filters(request.GET)},
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": person_rows(page.object_list),
        "stations": visible_stations(request.staff),
        "states": JourneyState.choices,
        "categories": Category.choices,
        "sexes": Sex.choices,
        "education_levels": EducationLevel.choices,
        "params": request.GET,
        "query_without_page": query.urlencode(),
    }
    return render(request, "people/person_list.html", context)


@role_required(*ALL_ROLES)
def person_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    results = search_persons(request.staff, query)
    if query.strip():
        record_persons_shown(request.user, results, reason="Person search", searched=True)
    template = (
        "people/_search_results.html" if request.headers.get("HX-Request") else "people/search.html"
    )
    context = {"query": query, "results": results, "rows": person_rows(results)}
    return render(request, template, context)
