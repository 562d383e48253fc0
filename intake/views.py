import uuid
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from intake import services
from intake.forms import ConflictForm, PersonEditForm
from intake.models import EditConflict
from people.queries import visible_persons
from people.services import log_person_view
from stations.access import role_required
from stations.roles import Role

WORKER = Path(__file__).resolve().parent / "static" / "intake" / "sw.js"


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker is served from the site root so its scope covers every page, which a file
    under /static/ cannot without an extra header. It holds no data, so it needs no login."""
    return HttpResponse(WORKER.read_bytes(), content_type="text/javascript")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """Browsers fetch the manifest without cookies, so it is public and holds no data."""
    return JsonResponse(
        {
            "name": "Waystation",
            "short_name": "Waystation",
            "description": _("Register arrivals, with or without a connection."),
            "start_url": reverse("register-household"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1d4e89",
            "icons": [
                {"src": static("intake/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
    )


@role_required(Role.REGISTRAR, Role.ADMINISTRATOR)
def outbox(request: HttpRequest) -> HttpResponse:
    """What this device still has to send (listed by the page's script from the device's own
    store) and the edit conflicts waiting for a registrar at the stations in scope."""
    persons = visible_persons(request.staff)
    conflicts = (
        EditConflict.objects.filter(status=EditConflict.Status.OPEN, person__in=persons)
        .select_related("person", "submitted_by")
        .order_by("submitted_at")
    )
    return render(request, "intake/outbox.html", {"conflicts": conflicts})


def _scoped(request: HttpRequest, queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


@role_required(Role.REGISTRAR, Role.ADMINISTRATOR)
def edit_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = _scoped(request, visible_persons(request.staff).select_related("station"), pk=pk)
    initial = {**services.current_fields(person), "languages": ", ".join(person.languages)}
    initial.update({"version": person.version, "client_uuid": uuid.uuid4()})
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            name: data[name] for name in services.EDITABLE_FIELDS if form.has_changed_field(name)
        }
        try:
            outcome = services.edit_person(
                user=request.user,
                person=person,
                base_version=data["version"],
                changes=changes,
                client_uuid=data["client_uuid"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(None, f"{field}: {problem}" if field != "__all__" else problem)
        else:
            if outcome.conflict is not None:
                messages.warning(
                    request,
                    _("Someone changed this person meanwhile. Choose which values to keep."),
                )
                return redirect("intake-conflict", pk=outcome.conflict.pk)
            messages.success(request, _("Saved."))
            return redirect("person-detail", pk=person.pk)
    log_person_view(request.user, person, reason="Edit page")
    return render(request, "intake/edit_person.html", {"person": person, "form": form})


@role_required(Role.REGISTRAR, Role.ADMINISTRATOR)
def conflict_detail(request: HttpRequest, pk: int) -> HttpResponse:
    persons = visible_persons(request.staff)
    conflict = _scoped(
        request,
        EditConflict.objects.select_related("person", "submitted_by", "resolved_by"),
        pk=pk,
        person__in=persons,
    )
    rows = services.conflict_rows(conflict)
    form = ConflictForm(request.POST or None, rows=rows, version=conflict.person.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_conflict(
                user=request.user,
                conflict=conflict,
                take_mine=form.taken_from_edit(),
                seen_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    form.add_error(None, problem)
        else:
            messages.success(request, _("The conflict is settled."))
            return redirect("person-detail", pk=conflict.person_id)
    return render(
        request,
        "intake/conflict.html",
        {
            "conflict": conflict,
            "rows": [(row, form[f"take_{row['name']}"]) for row in rows],
            "form": form,
        },
    )
