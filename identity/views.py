"""Pages of the files check: the live check fragment, the review queue, batch duplicates,
repeat crossers and undoing a link. Views are thin; the rules live in the modules."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from identity import batch, crossings, decisions, queue, services, tasks, weights
from identity.check import CheckLimitReached, checked_by, model_at_registry_size, names_of
from identity.engine import score_pair
from identity.keys import prepared_of
from identity.labels import BAND_LABELS, FIELD_LABELS, LEVEL_LABELS
from identity.links import record_group
from identity.models import DedupRun, PersonLink, ReviewItem
from people.audit import AuditEntry, record_audit
from people.journey import TransitionRefused
from people.models import Crossing, Person
from people.queries import scoped_person, visible_persons
from people.states import JourneyState
from stations.access import StaffRequest, require, role_required, scope_to_stations
from stations.roles import Role
from waystation.redirects import redirect_back

CHECK_ROLES = (Role.REGISTRAR, Role.ADMINISTRATOR)
REVIEW_ROLES = (Role.REGISTRAR, Role.ADMINISTRATOR, Role.AUDITOR)
TYPED_FIELDS = (
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_origin",
    "document_number",
)
PAGE_SIZE = 50


def _typed(request: HttpRequest) -> dict[str, object]:
    typed: dict[str, object] = {name: request.GET.get(name, "")[:200] for name in TYPED_FIELDS}
    try:
        typed["birth_date"] = dt.date.fromisoformat(str(typed["birth_date"]))
    except ValueError:
        typed["birth_date"] = None
    return typed


def comparison_rows(result) -> list[dict[str, object]]:  # noqa: ANN001 - engine MatchResult
    """The per-field reasons, strongest first, with translated field and level names."""
    rows = sorted(result.comparisons, key=lambda row: -abs(row.weight))
    return [
        {
            "field": FIELD_LABELS.get(row.field.split(":")[-1], row.field),
            "level": LEVEL_LABELS.get(row.level, row.level),
            "weight": row.weight,
            "agrees": row.weight > 0,
            "detail": row.detail,
        }
        for row in rows
        if row.level != "missing"
    ]


@role_required(*CHECK_ROLES)
def check(request: HttpRequest) -> HttpResponse:
    """The candidates fragment for what the registrar has typed so far."""
    typed = _typed(request)
    names = [typed[n] for n in TYPED_FIELDS[:6]]
    if not any(names):
        return render(request, "identity/_candidates.html", {"empty": True})
    try:
        prepared, shown = checked_by(request.user, typed)
    except CheckLimitReached as limit:
        return render(
            request, "identity/_candidates.html", {"limit_reached": str(limit)}, status=429
        )
    rows = [
        {
            "candidate": item.candidate,
            "in_scope": item.in_scope,
            "band": BAND_LABELS.get(item.candidate.result.band, item.candidate.result.band),
            # the reasons compare every field, so they are details: in scope only
            "comparisons": comparison_rows(item.candidate.result) if item.in_scope else [],
            "notes": item.candidate.result.notes if item.in_scope else [],
            "crossings": item.crossings,
        }
        for item in shown
    ]
    context = {"typed": names_of(prepared), "rows": rows, "typed_birth": prepared.birth_date}
    return render(request, "identity/_candidates.html", context)


def _scoped_items(request: HttpRequest):  # noqa: ANN202 - a queryset of ReviewItem
    items = ReviewItem.objects.select_related("left", "right", "left__station", "right__station")
    return scope_to_stations(request.staff, items, field="left__station")


@role_required(*REVIEW_ROLES)
def review_queue(request: HttpRequest) -> HttpResponse:
    """The station's open pairs, from the desk and from batch runs, those whose decision
    changes the registry most first (queue.by_impact)."""
    items = queue.by_impact(_scoped_items(request).filter(resolved_at__isnull=True))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "pairs": [_pair_view(item) for item in page.object_list],
        "can_decide": request.staff.role in decisions.DECIDING_ROLES,
        "weights": weights.latest_report(),
    }
    return render(request, "identity/review.html", context)


def _pair_view(item: ReviewItem) -> dict[str, object]:
    left, right = prepared_of(item.left), prepared_of(item.right)
    result = score_pair(left, right, model_at_registry_size())
    # the band the pair was queued with, beside the score it was queued with: a band
    # scored again here could disagree with both
    return {
        "item": item,
        "left": names_of(left),
        "right": names_of(right),
        "comparisons": comparison_rows(result),
        "band": BAND_LABELS.get(item.band, item.band),
    }


@require_POST
@role_required(*decisions.DECIDING_ROLES)
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _scoped_items(request).filter(pk=pk, resolved_at__isnull=True).first()
    if item is None:
        raise Http404
    try:
        decisions.resolve_review(
            user=request.user, item=item, verdict=request.POST.get("verdict", "")
        )
    except (PermissionDenied, ValidationError) as problem:
        messages.error(request, " ".join(getattr(problem, "messages", [str(problem)])))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect_back(request, "identity-review")


@role_required(Role.ADMINISTRATOR, Role.AUDITOR)
def duplicates(request: HttpRequest) -> HttpResponse:
    run = DedupRun.objects.first()
    items = ReviewItem.objects.none()
    if run is not None:
        items = (
            ReviewItem.objects.filter(run=run, resolved_at__isnull=True)
            .select_related("left", "right", "left__station", "right__station")
            .order_by("-score", "cluster", "id")
        )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "run": run,
        "page": page,
        "pairs": [_pair_view(item) for item in page.object_list],
        "can_decide": request.staff.role == Role.ADMINISTRATOR,
        "weights": weights.latest_report(),
    }
    return render(request, "identity/duplicates.html", context)


@role_required(Role.ADMINISTRATOR, Role.AUDITOR)
def run_progress(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/_run_progress.html", {"run": DedupRun.objects.first()})


@require_POST
@role_required(Role.ADMINISTRATOR)
def start_dedup(request: HttpRequest) -> HttpResponse:
    if DedupRun.objects.filter(status=DedupRun.Status.RUNNING).exists():
        messages.error(request, _("A deduplication run is already in progress."))
    else:
        run = batch.start_run(request.user)
        transaction.on_commit(lambda: tasks.deduplicate_registry.enqueue(run.pk))
        messages.success(request, _("Deduplication started."))
    return redirect("identity-duplicates")


@require_POST
@role_required(Role.ADMINISTRATOR)
def start_reestimate(request: HttpRequest) -> HttpResponse:
    transaction.on_commit(lambda: tasks.reestimate_weights.enqueue())
    messages.success(request, _("Re-estimation of the weights started; its report will show here."))
    return redirect("identity-duplicates")


@role_required(Role.REGISTRAR, Role.ADMINISTRATOR, Role.AUDITOR)
def repeat_crossers(request: HttpRequest) -> HttpResponse:
    policy = crossings.active_policy()
    flagged: dict[int, tuple[int, int]] = {}
    ranked: list[int] = []
    if policy is not None:
        flagged = crossings.flagged_counts(policy)
        ranked = crossings.ranked_ids(visible_persons(request.staff), flagged, policy)
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    persons = Person.objects.select_related("station").in_bulk(page.object_list)
    rows = [crossings.RepeatCrosser(persons[pk], *flagged[pk]) for pk in page.object_list]
    context = {"policy": policy, "rows": rows, "page": page, "total": len(ranked)}
    return render(request, "identity/repeat.html", context)


@role_required(*CHECK_ROLES, Role.AUDITOR)
def person_check(request: StaffRequest, pk: int) -> HttpResponse:
    """The files check of a person already on file: the candidates, the registrar's verdicts
    and the identity step once every candidate is decided."""
    person = scoped_person(request.staff, pk)
    if request.method == "POST":
        require(request.user, services.DECIDING_ROLES, station=person.station)
        verdicts = {
            int(key.removeprefix("verdict-")): value
            for key, value in request.POST.items()
            if key.startswith("verdict-") and key.removeprefix("verdict-").isdigit() and value
        }
        try:
            survivor = services.decide_person(
                user=request.user, person=person, files_check=services.FilesCheck(verdicts)
            )
        except (PermissionDenied, ValidationError, TransitionRefused) as problem:
            messages.error(request, " ".join(getattr(problem, "messages", [str(problem)])))
            return redirect("identity-person-check", pk=person.pk)
        survivor.refresh_from_db()
        if survivor.state == JourneyState.IDENTITY_CHECKED:
            messages.success(request, _("The files check is complete."))
        else:
            messages.warning(
                request, _("Decisions recorded; some candidates wait in the review queue.")
            )
        return redirect("person-detail", pk=survivor.pk)
    record_audit(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        obj=person,
        person=person,
        reason=_("Files check"),
    )
    candidates = (
        services.undecided_candidates(person) if person.state == JourneyState.REGISTERED else []
    )
    rows = [
        {
            "candidate": candidate,
            "band": BAND_LABELS.get(candidate.result.band, candidate.result.band),
            "comparisons": comparison_rows(candidate.result),
            "notes": candidate.result.notes,
            "crossings": Crossing.objects.filter(
                person_id__in=record_group(candidate.person.pk)
            ).count(),
        }
        for candidate in candidates
    ]
    context = {
        "person": person,
        "typed": names_of(prepared_of(person)),
        "rows": rows,
        "open_items": services.open_items_of(person).count(),
        "can_decide": request.staff.role in services.DECIDING_ROLES
        and person.state == JourneyState.REGISTERED,
    }
    return render(request, "identity/person_check.html", context)


@require_POST
@role_required(Role.ADMINISTRATOR)
def unlink(request: StaffRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(PersonLink, pk=pk)
    try:
        services.unmerge_records(
            user=request.user, link=link, reason=request.POST.get("reason", "")
        )
    except (PermissionDenied, ValidationError) as problem:
        messages.error(request, " ".join(getattr(problem, "messages", [str(problem)])))
    else:
        messages.success(request, _("The link is undone; both records stand alone again."))
    return redirect("person-detail", pk=link.person_id)
