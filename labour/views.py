"""Placement pages: start a run, review and change its proposals, approve, what-if and
compare. Labour officers act in their province; administrators everywhere; auditors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from labour.chart import fairness_chart
from labour.explain_words import RunFacts, card_for_page, chance_summary, would_open_text
from labour.forms import EditForm, RunForm, WeightsForm
from labour.models import (
    ApprovalRequest,
    PlacementRequest,
    PlacementRun,
    ProposedAssignment,
    Site,
    Vacancy,
)
from labour.reasons import localize_reason
from labour.services.access import ACTING_ROLES, READING_ROLES, run_provinces
from labour.services.approvals import ask_for_approval, outcome_messages
from labour.services.decisions import edit_assignment
from labour.services.requests import ask_for_placement
from labour.services.retention import model_card
from labour.services.runs import what_if
from stations.access import (
    StaffRequest,
    can_see_province,
    require,
    role_required,
    visible_stations,
)
from stations.roles import Role
from waystation.input_guard import parse_id

DIMENSIONS = {
    "household_size": gettext_lazy("Household size"),
    "age_group": gettext_lazy("Age group"),
    "sex": gettext_lazy("Sex"),
    "policy_group": gettext_lazy("Policy group"),
}
PAGE_SIZE = 100


def error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return [m for found in error.message_dict.values() for m in found]
        return list(error.messages)
    return [str(error) or _("Your role may not do this.")]


def visible_runs(request: HttpRequest):
    runs = PlacementRun.objects.select_related("station", "created_by")
    if request.staff.role not in (Role.ADMINISTRATOR, Role.AUDITOR):
        runs = runs.filter(province=request.staff.province)
    return runs


def scoped_run(request: HttpRequest, pk: int, *, light: bool = False) -> PlacementRun:
    runs = visible_runs(request)
    if light:  # the saved inputs and results are megabytes of JSON on a province run
        runs = runs.defer("inputs", "metrics", "prices")
    run = runs.filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def may_act(request: HttpRequest, run: PlacementRun | None = None) -> bool:
    profile = request.staff
    return profile.role in ACTING_ROLES and (run is None or can_see_province(profile, run.province))


def name_maps(run: PlacementRun) -> tuple[dict[str, str], dict[str, str]]:
    job_ids = [int(job["job_id"]) for job in run.inputs.get("jobs", [])]
    site_ids = [int(site["site_id"]) for site in run.inputs.get("sites", [])]
    jobs = {
        str(v.pk): f"{v.occupation} · {v.site.name}"
        for v in Vacancy.objects.filter(pk__in=job_ids).select_related("site")
    }
    sites = {
        str(pk): name for pk, name in Site.objects.filter(pk__in=site_ids).values_list("pk", "name")
    }
    return jobs, sites


def explain_in_language(assignments: list[ProposedAssignment], run: PlacementRun) -> None:
    """Reasons and alternatives in the reader's language, with names for the engine's ids;
    the chance of staying with what raises and lowers it; what verifying a claimed
    credential would open."""
    jobs, sites = name_maps(run)
    facts = RunFacts(run.inputs)
    for assignment in assignments:
        assignment.reason_text = localize_reason(assignment.reason, jobs, sites)
        assignment.alternatives = [
            {
                **alt,
                "reason_text": localize_reason(alt["reason"], jobs, sites),
                "percent": None if alt.get("stay") is None else round(100 * alt["stay"]),
            }
            for alt in assignment.explanation.get("alternatives", [])
        ]
        person_id = str(assignment.person_id)
        chance = chance_summary(
            assignment.predicted_stay,
            assignment.explanation.get("factors", []),
            facts,
            person_id,
            str(assignment.vacancy_id) if assignment.vacancy_id else None,
        )
        opens = would_open_text(
            assignment.explanation.get("would_open", []), facts.persons.get(person_id, {})
        )
        # Shown by the templates next to the reason (labour/_chance.html).
        setattr(assignment, "chance", chance)  # noqa: B010
        setattr(assignment, "would_open_text", opens)  # noqa: B010
        gain = -float(assignment.explanation.get("change_cost") or 0.0)
        setattr(assignment, "change_gain", gain)  # noqa: B010


def parameter_rows(run: PlacementRun) -> list[tuple[str, Any]]:
    """The run's policy in words: each parameter's form label and its value."""
    from labour.forms import RunForm

    labels = {name: field.label for name, field in RunForm.base_fields.items()}
    rows: list[tuple[str, Any]] = [
        (str(labels.get(key, key)), value) for key, value in run.parameters.items()
    ]
    if run.other_provinces:
        rows.append((str(_("Other provinces of the labour plan")), ", ".join(run.other_provinces)))
    return rows


def fairness_rows(run: PlacementRun) -> list[dict]:
    return [
        {**row, "dimension_label": str(DIMENSIONS.get(row["dimension"], row["dimension"]))}
        for row in run.metrics.get("fairness", [])
        if row["persons"]
    ]


@role_required(*READING_ROLES)
def labour_home(request: HttpRequest) -> HttpResponse:
    stations = visible_stations(request.staff)
    provinces = None if request.staff.province else run_provinces()
    form = RunForm(stations=stations, provinces=provinces)
    if request.method == "POST":
        require(request.user, ACTING_ROLES)
        form = RunForm(request.POST, stations=stations, provinces=provinces)
        if form.is_valid():
            data = form.cleaned_data
            station = data.pop("station")
            chosen_province = data.pop("province", "")
            batch_from, batch_to = data.pop("batch_from"), data.pop("batch_to")
            allow_moves = data.pop("allow_moves")
            other_provinces = data.pop("other_provinces")
            province = station.province if station else chosen_province or request.staff.province
            try:
                asked = ask_for_placement(
                    user=request.user,
                    province=province,
                    station=station,
                    batch_from=batch_from,
                    batch_to=batch_to,
                    parameters=data,
                    allow_moves=allow_moves,
                    other_provinces=other_provinces,
                )
            except (ValidationError, PermissionDenied) as error:
                for message in error_messages(error):
                    messages.error(request, message)
            else:
                return redirect("labour-request", pk=asked.pk)
    runs = Paginator(visible_runs(request), 30).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "runs": runs,
        "can_act": may_act(request),
        "card": card_for_page(model_card()),
    }
    return render(request, "labour/home.html", context)


@role_required(*READING_ROLES)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = scoped_run(request, pk)
    assignments = run.assignments.select_related("person", "vacancy__site", "site").order_by(
        "status", "person_id"
    )
    status = request.GET.get("status", "")
    if status in ProposedAssignment.Status.values:
        assignments = assignments.filter(status=status)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    explain_in_language(page.object_list, run)
    rows = fairness_rows(run)
    # the latest approval: under way, refused (the officer may have left its page) or done
    approval = run.approvals.first()
    context = {
        "run": run,
        "page": page,
        "status": status,
        "statuses": ProposedAssignment.Status.choices,
        "fairness": rows,
        "chart": fairness_chart(rows, _("placed in a job (of work seekers)"), _("housed")),
        "full_places": [p for p in run.prices if p["capacity"] and p["used"] >= p["capacity"]][:15],
        "parameters": parameter_rows(run),
        "approval": approval,
        "can_act": may_act(request, run)
        and run.status == PlacementRun.Status.PROPOSED
        and run.scope != PlacementRun.Scope.WHAT_IF
        and not (approval and approval.pending),
        "can_what_if": may_act(request, run),
    }
    return render(request, "labour/run.html", context)


@role_required(*ACTING_ROLES)
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        ProposedAssignment.objects.select_related("run", "person", "vacancy", "site"), pk=pk
    )
    run = scoped_run(request, assignment.run_id)
    explain_in_language([assignment], run)
    form = EditForm(
        initial={"vacancy": assignment.vacancy_id, "housing_site": assignment.site_id},
        province=run.province,
    )
    if request.method == "POST":
        form = EditForm(request.POST, province=run.province)
        if form.is_valid():
            try:
                edit_assignment(
                    user=request.user,
                    assignment=assignment,
                    vacancy=form.cleaned_data["vacancy"],
                    housing_site=form.cleaned_data["housing_site"],
                    reason=form.cleaned_data["reason"],
                )
            except (ValidationError, PermissionDenied) as error:
                for message in error_messages(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Assignment changed."))
                return redirect("labour-run", pk=run.pk)
    return render(
        request, "labour/assignment.html", {"assignment": assignment, "run": run, "form": form}
    )


@require_POST
@role_required(*ACTING_ROLES)
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the approval; the worker places people while the officer follows its page."""
    run = scoped_run(request, pk, light=True)
    try:
        approval = ask_for_approval(
            user=request.user,
            run=run,
            request_travel_passes=request.POST.get("travel_passes") == "on",
        )
    except (ValidationError, PermissionDenied) as error:
        for message in error_messages(error):
            messages.error(request, message)
        return redirect("labour-run", pk=run.pk)
    return redirect("labour-approval", pk=approval.pk)


@role_required(*READING_ROLES)
def approval_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An approval under way: the page polls until the worker is done, then says what was
    placed, skipped, moved and requested, or why the approval was refused."""
    approval = get_object_or_404(
        ApprovalRequest.objects.select_related("run").defer(
            "run__inputs", "run__metrics", "run__prices"
        ),
        pk=pk,
    )
    scoped_run(request, approval.run_id, light=True)  # the run's province decides who sees it
    context = {
        "approval": approval,
        "run": approval.run,
        "waiting": approval.pending,
        "outcome": outcome_messages(approval),
    }
    return render(request, "labour/approval.html", context)


@role_required(*ACTING_ROLES)
def run_what_if(request: HttpRequest, pk: int) -> HttpResponse:
    base = scoped_run(request, pk)
    jobs = base.inputs.get("jobs", [])
    names = {
        str(v.pk): f"{v.occupation} · {v.site.name}"
        for v in Vacancy.objects.filter(pk__in=[int(j["job_id"]) for j in jobs]).select_related(
            "site"
        )
    }
    form = WeightsForm(initial=base.parameters)
    if request.method == "POST":
        form = WeightsForm(request.POST)
        overrides = {}
        for job in jobs:
            raw = request.POST.get(f"slots_{job['job_id']}", "").strip()
            slots = parse_id(raw)
            if slots is not None and slots != job["slots"]:
                overrides[job["job_id"]] = slots
        if form.is_valid():
            try:
                made = what_if(
                    user=request.user,
                    base=base,
                    parameters=form.cleaned_data,
                    slot_overrides=overrides,
                )
            except (ValidationError, PermissionDenied) as error:
                for message in error_messages(error):
                    form.add_error(None, message)
            else:
                return redirect(f"{reverse('labour-compare')}?a={base.pk}&b={made.pk}")
    vacancies = [
        {"id": j["job_id"], "name": names.get(j["job_id"], j["job_id"]), "slots": j["slots"]}
        for j in jobs
    ]
    return render(
        request, "labour/what_if.html", {"run": base, "form": form, "vacancies": vacancies}
    )


@role_required(*READING_ROLES)
def run_compare(request: HttpRequest) -> HttpResponse:
    try:
        first = scoped_run(request, int(request.GET.get("a", "")))
        second = scoped_run(request, int(request.GET.get("b", "")))
    except ValueError as error:
        raise Http404 from error
    before = {
        a.person_id: a for a in first.assignments.select_related("person", "vacancy__site", "site")
    }
    changed = []
    for after in second.assignments.select_related("person", "vacancy__site", "site"):
        old = before.get(after.person_id)
        if old is None or (old.vacancy_id, old.site_id) != (after.vacancy_id, after.site_id):
            changed.append((old, after))
    groups = {}
    for side, run in (("a", first), ("b", second)):
        for row in fairness_rows(run):
            key = (row["dimension_label"], row["group"])
            groups.setdefault(key, {})[side] = row
    context = {
        "a": first,
        "b": second,
        "changed_count": len(changed),
        "changed": changed[:100],
        "groups": [(key, sides.get("a"), sides.get("b")) for key, sides in groups.items()],
    }
    return render(request, "labour/compare.html", context)


@role_required(*READING_ROLES)
def placement_request(request: StaffRequest, pk: int) -> HttpResponse:
    """A run being worked out: the page follows it, and opens the run once it is there."""
    asked = get_object_or_404(PlacementRequest.objects.select_related("station"), pk=pk)
    if not can_see_province(request.staff, asked.province):
        raise Http404
    if asked.status == PlacementRequest.Status.DONE and asked.run_id:
        messages.success(request, _("Placement run #%(run)s proposed.") % {"run": asked.run_id})
        if request.headers.get("HX-Request"):  # the page's poll: send the whole page on
            return HttpResponse(headers={"HX-Redirect": reverse("labour-run", args=[asked.run_id])})
        return redirect("labour-run", pk=asked.run_id)
    waiting = asked.status in (PlacementRequest.Status.QUEUED, PlacementRequest.Status.RUNNING)
    return render(request, "labour/request.html", {"asked": asked, "waiting": waiting})
