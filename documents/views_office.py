"""The documents office's pages: overview, daily issuance, offices and keys, citizenship
applications, verification, and the two public files ticket offices download."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from PIL import Image

from documents import applications as apps_service
from documents import keyring, stats
from documents.forms import ApplicationForm, DecisionForm, VerifyForm
from documents.models import CitizenshipApplication, Document, IssuingOffice
from documents.revocations import NoListSigner, revocation_list_for_download, server_verifier
from documents.rules import ISSUING_ROLES, OFFICE_ROLES, RULES
from documents.views import (
    VERDICT_LABELS,
    _errors,
    _form_errors,
    query_without_page,
    verdict_explanation,
    visible_documents,
    waiting_requests,
)
from people.audit import AuditEntry, record_audit
from people.queries import scoped_person
from stations.access import ALL_ROLES, role_required
from waystation import clock

CABLE_DAILY_TARGET = 80  # "The Labor Bureau has recently been issuing eighty travel documents"


@role_required(*OFFICE_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    documents = visible_documents(request.staff)
    today = clock.today()
    context = {
        "pending": waiting_requests(request.staff).count(),
        "issued_today": documents.filter(issued_on=today).count(),
        "current": documents.filter(status=Document.Status.ISSUED, valid_until__gte=today).count(),
        "revoked": documents.filter(status=Document.Status.REVOKED).count(),
        "recent": documents.order_by("-issued_at", "-id")[:20],
        "today": today,
    }
    return render(request, "documents/home.html", context)


def _parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@role_required(*OFFICE_ROLES)
def daily(request: HttpRequest) -> HttpResponse:
    documents = visible_documents(request.staff)
    office_code = request.GET.get("office", "")
    # Travel passes by default: the cable's eighty a day are travel documents.
    document_type = request.GET.get("type", "TP")
    if office_code:
        documents = documents.filter(office__code=office_code)
    if document_type in RULES:
        documents = documents.filter(document_type=document_type)
    try:
        days = min(max(int(request.GET.get("days", "30")), 7), 366)
    except ValueError:
        days = 30
    last = (
        _parse_day(request.GET.get("until"))
        or documents.aggregate(last=Max("issued_on"))["last"]
        or clock.today()
    )
    first = last - dt.timedelta(days=days - 1)
    counts, per_office = stats.counts_by_day_and_office(documents, first, last)
    total = sum(entry.count for entry in counts)
    title = _("Documents issued per day, %(first)s to %(last)s") % {"first": first, "last": last}
    context = {
        "counts": counts,
        "chart": mark_safe(stats.bar_chart_svg(counts, title, target=CABLE_DAILY_TARGET)),  # noqa: S308
        "title": title,
        "total": total,
        "average": round(total / days, 1),
        "per_office": per_office,
        "offices": IssuingOffice.objects.all(),
        "can_print": request.staff.role in ISSUING_ROLES,
        "types": [(code, rule.document_type.label) for code, rule in RULES.items()],
        "params": {
            "office": office_code,
            "type": document_type,
            "until": last.isoformat(),
            "days": days,
        },
    }
    return render(request, "documents/daily.html", context)


@role_required(*OFFICE_ROLES)
def offices(request: HttpRequest) -> HttpResponse:
    listing = IssuingOffice.objects.prefetch_related("keys").select_related("station")
    return render(request, "documents/offices.html", {"offices": listing})


@role_required(*OFFICE_ROLES)
def applications(request: HttpRequest) -> HttpResponse:
    visible = apps_service.visible_applications(request.staff)
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    counts = apps_service.people_by_state(
        visible, kind if kind in CitizenshipApplication.Kind.values else None
    )
    listing = visible
    if kind in CitizenshipApplication.Kind.values:
        listing = listing.filter(kind=kind)
    if state in CitizenshipApplication.State.values:
        listing = listing.filter(state=state)
    page = Paginator(listing.order_by("-submitted_on", "-id"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "counts": [(s, counts[s.value]) for s in CitizenshipApplication.State],
        "kinds": CitizenshipApplication.Kind.choices,
        "states": CitizenshipApplication.State.choices,
        "params": {"kind": kind, "state": state},
        "can_decide": request.staff.role in ISSUING_ROLES,
        "query_without_page": query_without_page(request),
        "decision_form": DecisionForm(),
    }
    return render(request, "documents/applications.html", context)


@require_POST
@role_required(*ISSUING_ROLES)
def application_file(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("person-detail", pk=person.pk)
    try:
        apps_service.file_application(user=request.user, person=person, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("The application was recorded."))
    return redirect("person-detail", pk=person.pk)


@require_POST
@role_required(*ISSUING_ROLES)
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = apps_service.visible_applications(request.staff).filter(pk=pk).first()
    if application is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            apps_service.decide_application(
                user=request.user, application=application, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, _("The application was updated."))
    if request.POST.get("next") == "person":
        return redirect("person-detail", pk=application.person_id)
    return redirect("documents:applications")


@role_required(*ALL_ROLES)
def verify(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = VerifyForm(request.POST if posted else None, request.FILES if posted else None)
    context: dict[str, object] = {"form": form}
    if posted and form.is_valid():
        verifier = server_verifier()
        today = form.cleaned_data.get("as_of") or clock.today()
        photo = form.cleaned_data.get("photo")
        if photo is not None:
            try:
                result = verifier.verify_image(photo.read(), today=today)
            except (Image.DecompressionBombError, ValueError):
                form.add_error("photo", _("The image cannot be read."))
                return render(request, "documents/verify.html", context)
        else:
            result = verifier.verify(form.cleaned_data["payload"], today=today)
        shown = result.document or result.claimed_document
        record = None
        if result.document is not None:
            record = visible_documents(request.staff).filter(number=result.document.number).first()
        record_audit(
            user=request.user,
            action=AuditEntry.Action.VIEW,
            obj=record,
            person=record.person if record else None,
            reason="verification",
            detail={"verdict": result.verdict.value, "number": shown.number if shown else ""},
        )
        revocation = result.revocation
        context.update(
            {
                "result": result,
                "verdict_label": VERDICT_LABELS[result.verdict],
                "explanation": verdict_explanation(result),
                "office": IssuingOffice.objects.filter(code=shown.office).first()
                if shown
                else None,
                "shown": shown,
                "genuine": result.document is not None,
                "record": record,
                "as_of": today,
                "revocation": revocation,
                "revocation_hours": round(revocation.age.total_seconds() / 3600, 1)
                if revocation and revocation.age is not None
                else None,
            }
        )
    return render(request, "documents/verify.html", context)


@require_GET
@never_cache
def keys_json(request: HttpRequest) -> HttpResponse:
    """The published key list (public: it holds public keys only)."""
    response = HttpResponse(keyring.key_list_json(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="waystation-keys.json"'
    return response


@require_GET
@never_cache
def revocations_json(request: HttpRequest) -> HttpResponse:
    """The newest signed revocation list (public: numbers, dates and reasons only)."""
    try:
        published = revocation_list_for_download()
    except NoListSigner:
        return HttpResponse(_("No revocation list is published yet."), status=503)
    response = HttpResponse(published.signed_json, content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="waystation-revocations-{published.sequence:06d}.json"'
    )
    return response
