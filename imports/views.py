"""The import pages: upload a file, map its columns, run a dry run or the import (in the
background, with a progress bar) and read every refusal. Rules in imports/services.py."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imports import services
from imports.erasure import retention
from imports.fields import FIELDS
from imports.forms import UploadForm
from imports.models import ImportJob
from imports.reading import MAX_BYTES
from stations.access import StaffRequest, role_required, scope_to_stations, visible_stations
from stations.models import StaffProfile
from stations.roles import GLOBAL_ROLES, Role

READERS = (*services.ANY_IMPORTER, Role.AUDITOR)
PAGE_ROWS = 200


def visible_jobs(profile: StaffProfile) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("station", "created_by").defer("rows")
    if profile.role in GLOBAL_ROLES:
        return jobs
    if profile.role == Role.LABOUR_OFFICER:
        return jobs.filter(kind=ImportJob.Kind.LABOUR_PLAN, created_by=profile.user_id)
    return scope_to_stations(profile, jobs.filter(kind=ImportJob.Kind.REGISTER))


def _job(request: StaffRequest, pk: int) -> ImportJob:
    job = visible_jobs(request.staff).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@role_required(*READERS)
def import_list(request: StaffRequest) -> HttpResponse:
    stations = visible_stations(request.staff).filter(is_active=True)
    form = UploadForm(request.POST or None, request.FILES or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is larger than 20 MB: split it."))
        else:
            try:
                job = services.upload(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    source=form.cleaned_data["source"],
                    file_name=upload.name,
                    data=upload.read(),
                    station=form.cleaned_data["station"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                return redirect("imports-job", pk=job.pk)
    context = {
        "form": form,
        "jobs": visible_jobs(request.staff)[:50],
        "can_upload": request.staff.role != Role.AUDITOR,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "imports/list.html", context, status=status)


def _columns(job: ImportJob) -> list[dict[str, Any]]:
    sample = job.rows[0][1] if job.rows else []
    return [
        {"index": i, "heading": heading, "sample": sample[i] if i < len(sample) else ""}
        for i, heading in enumerate(job.header)
    ]


@role_required(*READERS)
def import_job(request: StaffRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    targets = [
        {"target": target, "chosen": job.mapping.get(target.name)} for target in FIELDS[job.kind]
    ]
    context = {
        "job": job,
        "targets": targets,
        "columns": _columns(job),
        "refusals": job.refusals[:PAGE_ROWS],
        "more_refusals": max(0, len(job.refusals) - PAGE_ROWS),
        "can_run": request.staff.role != Role.AUDITOR,
        "erase_by": job.created_at + retention(),
    }
    return render(request, "imports/job.html", context)


@role_required(*READERS)
def import_progress(request: StaffRequest, pk: int) -> HttpResponse:
    return render(request, "imports/_progress.html", {"job": _job(request, pk)})


@require_POST
@role_required(*services.ANY_IMPORTER)
def import_start(request: StaffRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    mapping: dict[str, int | None] = {}
    for target in FIELDS[job.kind]:
        raw = request.POST.get(f"map-{target.name}", "")
        mapping[target.name] = int(raw) if raw.isdigit() else None
    try:
        services.start(
            user=request.user, job=job, mapping=mapping, dry_run="dry_run" in request.POST
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    return redirect("imports-job", pk=job.pk)
