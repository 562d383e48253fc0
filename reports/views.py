"""Report pages: the situation report (HTML, PDF, JSON, CSV, XLSX, HXL), the dashboard and the
person list export. Thin: figures come from situation.py and dashboard.py, files from the
export engine, permissions from stations.access."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.audit import AuditEntry, record_audit
from people.journey import TransitionRefused
from people.models import Person
from people.queries import visible_persons
from reports import downloads
from reports.exports import (
    EXCEL_MAX_ROWS,
    EXPORT_FORMATS,
    UnknownColumnError,
    download_filename,
    export_stream,
)
from reports.forms import OutcomeForm, PersonExportForm
from reports.grievances import FILING_ROLES
from reports.narrative import narrative, narratives, reason_label
from reports.outcomes import RECORDING_ROLES, moment_on, record_outcome
from reports.pdf import render_pdf
from reports.scopes import (
    Scope,
    ScopeNotFound,
    default_scope_key,
    parse_scope,
    scope_choices,
)
from reports.situation import SituationReport, situation_report
from stations.access import ALL_ROLES, require, role_required, scope_to_stations
from stations.roles import Role
from waystation import clock

EXPORT_ROLES = (Role.ADMINISTRATOR, Role.LABOUR_OFFICER)
DOWNLOAD_FORMATS = ("json", "pdf", "csv", "xlsx", "hxl")


class BadReportRequest(ValueError):
    pass


def _scope(request: HttpRequest) -> Scope:
    key = request.GET.get("scope") or default_scope_key(request.staff)
    try:
        scope = parse_scope(key or "")
    except ScopeNotFound as error:
        raise Http404(_("No such area.")) from error
    for station in scope.stations:
        require(request.user, ALL_ROLES, station=station)
    return scope


def _day(request: HttpRequest) -> dt.date:
    text = (request.GET.get("date") or "").strip()
    today = clock.today()
    if not text:
        return today
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as error:
        raise BadReportRequest(_("Give the date as YYYY-MM-DD.")) from error
    if day > today:
        raise BadReportRequest(_("A report cannot be made for a date in the future."))
    if day.year < 1900:
        raise BadReportRequest(_("The date is too long ago."))
    return day


def _page_context(request: HttpRequest, scope: Scope, date_text: str) -> dict:
    return {
        "scope": scope,
        "scope_choices": scope_choices(request.staff),
        "date_text": date_text,
        "query": urlencode({"scope": scope.key, "date": date_text}),
        "can_export": request.staff.role in EXPORT_ROLES,
        "sees_grievances": request.staff.role in (*FILING_ROLES, Role.AUDITOR),
    }


def _report_context(request: HttpRequest, report: SituationReport) -> dict:
    totals = report.totals
    return {
        "report": report,
        "totals": totals,
        "narrative": narrative(report),
        "reasons": [(reason_label(r), n) for r, n in report.left_job_reasons],
        "young_share": round(report.left_job_young_share * 100),
        "state_rows": [
            (str(label), report.states[value])
            for value, label in Person._meta.get_field("state").choices
        ],
    }


@role_required(*ALL_ROLES)
def situation(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        day = _day(request)
    except BadReportRequest as error:
        context = _page_context(request, scope, request.GET.get("date", ""))
        return render(
            request, "reports/situation.html", {**context, "error": str(error)}, status=400
        )
    report = situation_report(scope, day)
    context = {
        **_page_context(request, scope, day.isoformat()),
        **_report_context(request, report),
        "download_formats": DOWNLOAD_FORMATS,
    }
    return render(request, "reports/situation.html", context)


@role_required(*ALL_ROLES)
def situation_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    scope = _scope(request)
    try:
        day = _day(request)
    except BadReportRequest as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    report = situation_report(scope, day)
    stem = f"situation-{scope.value}-{day.isoformat()}"
    if fmt == "json":
        data = {**report.to_dict(), "narrative": narratives(report)}
        response: HttpResponse = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        filename = f"{download_filename(stem, 'csv')[:-4]}.json"
    elif fmt == "pdf":
        pdf = render_pdf("reports/situation_pdf.html", _report_context(request, report))
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"{download_filename(stem, 'csv')[:-4]}.pdf"
    else:
        stream = export_stream(
            fmt,
            downloads.situation_rows(report),
            downloads.situation_columns(),
            bom=fmt != "xlsx",
            sheet_title=_("Situation"),
        )
        response = StreamingHttpResponse(stream, content_type=EXPORT_FORMATS[fmt].media_type)
        filename = download_filename(stem, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*EXPORT_ROLES)
def person_export(request: HttpRequest) -> HttpResponse:
    """The person list, limited to chosen fields and optionally anonymised; every download is
    written to the audit log."""
    scope = _scope(request)
    form = PersonExportForm(request.GET if "format" in request.GET else None)
    context = {"form": form, "scope": scope, "scope_choices": scope_choices(request.staff)}
    if not form.is_bound:
        return render(request, "reports/person_export.html", context)
    if not form.is_valid():
        return render(request, "reports/person_export.html", context, status=400)
    fmt = form.cleaned_data["format"]
    anonymise = form.cleaned_data["anonymise"]
    fields = form.cleaned_data["fields"]
    try:
        columns = downloads.export_person_columns(fields, anonymise)
    except (UnknownColumnError, ValueError) as error:  # pragma: no cover - the form checks
        form.add_error("fields", str(error))
        return render(request, "reports/person_export.html", context, status=400)
    persons = scope_to_stations(request.staff, Person.objects.filter(station__in=scope.stations))
    if form.cleaned_data["state"]:
        persons = persons.filter(state=form.cleaned_data["state"])
    rows = persons.count()
    if fmt == "xlsx" and rows > EXCEL_MAX_ROWS:
        form.add_error(
            "format",
            _("%(rows)s people do not fit in one spreadsheet; choose CSV.") % {"rows": f"{rows:,}"},
        )
        return render(request, "reports/person_export.html", context, status=400)
    record_audit(
        user=request.user,
        action=AuditEntry.Action.EXPORT,
        station=scope.stations[0] if scope.kind == "station" else None,
        reason=_("Person list export"),
        detail={
            "scope": scope.key,
            "format": fmt,
            "fields": [column.key for column in columns],
            "anonymised": anonymise,
            "state": form.cleaned_data["state"],
            "rows": rows,
        },
    )
    stream = export_stream(
        fmt,
        downloads.person_rows(persons, columns),
        columns,
        bom=fmt != "xlsx",
        sheet_title="People",
    )
    response = StreamingHttpResponse(stream, content_type=EXPORT_FORMATS[fmt].media_type)
    stem = f"people-{scope.value}-{clock.today().isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{download_filename(stem, fmt)}"'
    return response


@require_POST
@role_required(*RECORDING_ROLES)
def record_outcome_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = visible_persons(request.staff).select_related("station").filter(pk=pk).first()
    if person is None:
        raise Http404
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()
        ]
        messages.error(request, " ".join(problems))
        return redirect("person-detail", pk=person.pk)
    data = form.cleaned_data
    try:
        record_outcome(
            user=request.user,
            person=person,
            kind=data["kind"],
            occurred_at=moment_on(data["occurred_on"], person),
            source=data["source"],
            source_detail=data["source_detail"],
            reason=data["reason"],
            reason_text=data["reason_text"],
            client_uuid=data["client_uuid"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Recorded."))
    return redirect("person-detail", pk=person.pk)
