from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from people import journey, services
from people.actions import PANEL_HINTS, next_actions, who_takes_the_next_step
from people.audit import record_persons_shown
from people.extensions import person_panels
from people.forms import CrossingForm, HouseholdForm, MemberFormSet, OverrideForm, files_check_of
from people.models import Category, EducationLevel, Sex
from people.queries import (
    filtered_persons,
    listed_count,
    listed_filters,
    person_rows,
    scoped_person,
    search_persons,
)
from people.states import JourneyState
from people.timeline import timeline_of
from stations.access import (
    ALL_ROLES,
    WRITING_ROLES,
    StaffRequest,
    role_required,
    sees_health_details,
    visible_stations,
)
from stations.roles import Role

PAGE_SIZE = 50


@role_required(Role.REGISTRAR, Role.ADMINISTRATOR)
def register_household(request: StaffRequest) -> HttpResponse:
    stations = visible_stations(request.staff)
    form = HouseholdForm(request.POST or None, stations=stations)
    formset = MemberFormSet(request.POST or None, prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        filled = [member for member in formset.forms if member.cleaned_data]
        members = [services.PersonInput(**member.cleaned_data) for member in filled]
        try:
            checks = [files_check_of(request.POST, member.prefix) for member in filled]
            household, _created = services.register_household(
                user=request.user,
                station=form.cleaned_data["station"],
                members=members,
                head_index=min(form.cleaned_data["head_index"] or 0, max(len(members) - 1, 0)),
                crossed_at=form.cleaned_data.get("crossed_at"),
                client_uuid=form.cleaned_data.get("client_uuid"),
                files_checks=checks,
            )
        except services.IdempotencyConflict as conflict:
            # This page was sent before with other content: the first household stands.
            form.add_error(None, str(conflict))
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(None, f"{field}: {problem}" if field != "__all__" else problem)
        else:
            held = household.members.filter(state=JourneyState.REGISTERED).count()
            messages.success(
                request,
                ngettext(
                    "Registered a household of %(n)d.",
                    "Registered a household of %(n)d.",
                    household.members.count(),
                )
                % {"n": household.members.count()},
            )
            if held:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)d member waits for a decision on the files check (review queue).",
                        "%(n)d members wait for a decision on the files check (review queue).",
                        held,
                    )
                    % {"n": held},
                )
            return redirect("station-dashboard", code=household.station.code)
    return render(request, "people/register.html", {"form": form, "formset": formset})


@role_required(*ALL_ROLES)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    services.log_person_view(request.user, person)
    role = request.staff.role
    forcible = journey.forcible_targets(person.state, role)
    context = {
        "person": person,
        "timeline": timeline_of(person, request.staff),
        "actions": next_actions(person, request.staff),
        "hint": PANEL_HINTS.get(JourneyState(person.state)),
        "waiting_for": who_takes_the_next_step(person.state),
        "override_form": OverrideForm(targets=forcible) if forcible else None,
        "crossing_form": CrossingForm(
            stations=visible_stations(request.staff), initial={"station": person.station_id}
        ),
        "can_record_crossing": role in (Role.REGISTRAR, Role.ADMINISTRATOR),
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
    if state in (JourneyState.RETURNED, JourneyState.MERGED):
        return _("Not applicable")
    if order.index(JourneyState(state)) > order.index(JourneyState.IN_QUARANTINE):
        return _("Medically cleared")
    return _("Not cleared")


@require_POST
@role_required(*WRITING_ROLES)
def person_override(request: StaffRequest, pk: int) -> HttpResponse:
    """Force a state with a written reason (audited as an override); regular steps are taken
    by the pages of the actions that own them."""
    person = scoped_person(request.staff, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("person-detail", pk=person.pk)
    try:
        services.override(
            user=request.user,
            person=person,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
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
def person_register_arrival(request: StaffRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    try:
        services.register_arrival(user=request.user, person=person)
    except (journey.TransitionRefused, PermissionDenied, ValidationError) as refusal:
        messages.error(request, _message_of(refusal))
    else:
        messages.success(request, _("Registered. The files check comes next."))
    return redirect("person-detail", pk=person.pk)


@require_POST
@role_required(Role.REGISTRAR, Role.ADMINISTRATOR)
def person_crossing(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
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
    staff = request.staff
    paginator = Paginator(filtered_persons(staff, request.GET), PAGE_SIZE)
    counted = listed_count(staff, request.GET)
    if counted is not None:
        paginator.count = counted  # from the kept head counts, not a scan of the station
    page = paginator.get_page(request.GET.get("page"))
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
