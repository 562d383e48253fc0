"""Pages for requests and documents: the queue, a document's page, its PDF, and the actions
on them. Views are thin: services.py holds the rules."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents import batches, changes, photos, services
from documents.forms import ReasonForm, RequestForm
from documents.models import BatchPrint, Document, DocumentRequest
from documents.render import DocumentRenderError, render_document_pdf
from documents.revocations import server_verifier
from documents.rules import ISSUING_ROLES, OFFICE_ROLES, RULES, VIEWING_ROLES
from documents.signing import Verdict, VerificationResult
from documents.signing.qr import qr_svg_data_uri
from people.audit import AuditEntry
from people.queries import scoped_person
from stations.access import role_required, scope_to_holders
from stations.models import StaffProfile
from waystation import clock
from waystation.redirects import redirect_back

VERDICT_LABELS = {
    Verdict.VALID: gettext_lazy("Valid"),
    Verdict.EXPIRED: gettext_lazy("Expired"),
    Verdict.NOT_YET_VALID: gettext_lazy("Not yet valid"),
    Verdict.REVOKED: gettext_lazy("Revoked"),
    Verdict.FORGED: gettext_lazy("Forged"),
    Verdict.UNKNOWN_KEY: gettext_lazy("Unknown key"),
    Verdict.MALFORMED: gettext_lazy("Not a readable document"),
}


def verdict_explanation(result: VerificationResult) -> str:
    """The verdict's reason in the officer's language (the engine's reason is technical)."""
    shown = result.document or result.claimed_document
    if result.verdict is Verdict.VALID and shown:
        return _("Valid until %(day)s.") % {"day": date_format(shown.valid_until)}
    if result.verdict is Verdict.EXPIRED and shown:
        return _("Expired after %(day)s.") % {"day": date_format(shown.valid_until)}
    if result.verdict is Verdict.NOT_YET_VALID and shown:
        return _("Valid only from %(day)s.") % {"day": date_format(shown.valid_from)}
    if result.verdict is Verdict.REVOKED and result.revoked_entry:
        return _("Revoked on %(day)s.") % {"day": date_format(result.revoked_entry.revoked_on)}
    if result.verdict is Verdict.FORGED:
        return _(
            "The signature does not match the document, or the key that signed it was not in "
            "service on its issue date."
        )
    if result.verdict is Verdict.UNKNOWN_KEY:
        return _("It is signed by key %(key)s, which is not in the key list.") % {
            "key": result.key_id
        }
    return _("This is not a readable Waystation document.")


REQUESTING_ROLES = frozenset(role for rule in RULES.values() for role in rule.requested_by)
PAGE_SIZE = 50


def _back(request: HttpRequest, fallback: str, **kwargs: object) -> HttpResponse:
    return redirect_back(request, fallback, **kwargs)


def _errors(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error) or _("You may not do this."))


def _form_errors(request: HttpRequest, form: object) -> None:
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else problem)


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def visible_documents(profile: StaffProfile | None) -> QuerySet[Document]:
    return scope_to_holders(
        profile, Document.objects.select_related("office", "person__station", "key")
    )


def visible_requests(profile: StaffProfile | None) -> QuerySet[DocumentRequest]:
    return scope_to_holders(
        profile,
        DocumentRequest.objects.select_related("office", "person__station", "requested_by"),
    )


def waiting_requests(profile: StaffProfile | None) -> QuerySet[DocumentRequest]:
    """The requests waiting in the viewer's scope: the one query behind every "Requests
    waiting" figure (the office page, the queue's header)."""
    return visible_requests(profile).filter(status=DocumentRequest.Status.PENDING)


def _scoped_document(request: HttpRequest, pk: int) -> Document:
    document = visible_documents(request.staff).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def _scoped_request(request: HttpRequest, pk: int) -> DocumentRequest:
    found = visible_requests(request.staff).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_POST
@role_required(*REQUESTING_ROLES)
def person_request(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    offices = [
        office for rule in RULES.values() for office in services.eligible_offices(rule, person)
    ]
    form = RequestForm(request.POST, role=request.staff.role, offices=offices)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("person-detail", pk=person.pk)
    try:
        services.request_document(user=request.user, person=person, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("The request was sent to the documents office."))
    return redirect("person-detail", pk=person.pk)


@role_required(*OFFICE_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    waiting = waiting_requests(request.staff)
    pending = waiting
    document_type = request.GET.get("type", "")
    if document_type in RULES:
        pending = pending.filter(document_type=document_type)
    page = Paginator(pending.order_by("requested_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        # The header counts everyone waiting, as the office page and the station panel do;
        # a filter says how many of them it shows.
        "waiting": waiting.count() if document_type in RULES else page.paginator.count,
        "filtered": document_type in RULES,
        "types": [(code, rule.document_type.label) for code, rule in RULES.items()],
        "selected_type": document_type,
        "can_issue": request.staff.role in ISSUING_ROLES,
        "reason_form": ReasonForm(),
        "query_without_page": query_without_page(request),
    }
    return render(request, "documents/queue.html", context)


@require_POST
@role_required(*ISSUING_ROLES)
def request_issue(request: HttpRequest, pk: int) -> HttpResponse:
    found = _scoped_request(request, pk)
    try:
        document = services.issue_request(user=request.user, request=found)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Issued %(number)s.") % {"number": document.number})
    return _back(request, "person-detail", pk=found.person_id)


@require_POST
@role_required(*ISSUING_ROLES)
def request_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    found = _scoped_request(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, "person-detail", pk=found.person_id)
    try:
        services.refuse_request(
            user=request.user, request=found, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("The request was refused."))
    return _back(request, "person-detail", pk=found.person_id)


@role_required(*VIEWING_ROLES)
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _scoped_document(request, pk)
    services.log_document_view(request.user, document)
    result = server_verifier().verify(document.qr_text, today=clock.today())
    chain = []
    link = document.supersedes
    while link is not None:
        chain.append(link)
        link = link.supersedes
    context = {
        "document": document,
        "qr_svg": qr_svg_data_uri(document.qr_text, module_size=3),
        "result": result,
        "verdict_label": VERDICT_LABELS[result.verdict],
        "today": clock.today(),
        "earlier": chain,
        "later": Document.objects.filter(supersedes=document).first(),
        "can_change": services.may_issue_at(request.staff, document.office),
        "reason_form": ReasonForm(),
    }
    return render(request, "documents/document_detail.html", context)


@role_required(*ISSUING_ROLES)
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = _scoped_document(request, pk)
    try:
        pdf = render_document_pdf(
            batches.printable(document), photos.current_photo(document.person_id)
        )
    except DocumentRenderError as error:
        messages.error(request, str(error))
        return redirect("documents:detail", pk=document.pk)
    services.log_document_view(request.user, document, AuditEntry.Action.EXPORT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    return response


def _change(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    document = _scoped_document(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("documents:detail", pk=document.pk)
    try:
        if action == "revoke":
            changes.revoke_document(
                user=request.user, document=document, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Revoked %(number)s.") % {"number": document.number})
            return redirect("documents:detail", pk=document.pk)
        replacement = changes.reissue_document(
            user=request.user, document=document, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
        return redirect("documents:detail", pk=document.pk)
    messages.success(
        request,
        _("Reissued as %(number)s; the lost one is revoked.") % {"number": replacement.number},
    )
    return redirect("documents:detail", pk=replacement.pk)


@require_POST
@role_required(*ISSUING_ROLES)
def document_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "revoke")


@require_POST
@role_required(*ISSUING_ROLES)
def document_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "reissue")


@role_required(*ISSUING_ROLES)
def batch_pdf(request: HttpRequest) -> HttpResponse:
    """The documents an office issued on one day as one PDF: laid out by the worker, followed
    on the batch's page (a day's two hundred take longer than a request may)."""
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        raise Http404 from None
    try:
        batch = batches.ask_for_batch(
            user=request.user,
            visible=visible_documents(request.staff),
            office_code=request.GET.get("office", ""),
            day=day,
        )
    except batches.NothingToPrint:
        raise Http404 from None
    return redirect("documents:batch", pk=batch.pk)


def _own_batch(request: HttpRequest, pk: int) -> BatchPrint:
    # only the officer who asked: the PDF holds the people's data
    return get_object_or_404(
        BatchPrint.objects.defer("pdf").select_related("office"), pk=pk, requested_by=request.user
    )


@role_required(*ISSUING_ROLES)
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "documents/batch.html", {"batch": _own_batch(request, pk)})


@role_required(*ISSUING_ROLES)
def batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    batch.refresh_from_db(fields=["pdf"])
    try:
        pdf = batches.download(user=request.user, batch=batch)
    except batches.NothingToPrint:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{batch.office.code}-{batch.day.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
