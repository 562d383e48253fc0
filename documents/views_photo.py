"""The holder's photo: taken (uploaded) from the person page, shown to those who see the
person's documents. Every look at a photo is audited like a look at the record."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import photos
from documents.rules import VIEWING_ROLES
from documents.views import _errors
from people.audit import AuditEntry, record_audit
from people.queries import scoped_person
from stations.access import role_required


@require_POST
@role_required(*photos.PHOTO_TAKERS)
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo to upload."))
        return redirect("person-detail", pk=person.pk)
    try:
        photos.take_photo(
            user=request.user, person=person, upload=upload.read(photos.MAX_UPLOAD_BYTES + 1)
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("Photo saved; it is printed on the person's documents."))
    return redirect("person-detail", pk=person.pk)


@role_required(*VIEWING_ROLES)
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    person = scoped_person(request.staff, pk)
    jpeg = photos.current_photo(person.pk)
    if jpeg is None:
        raise Http404
    record_audit(
        user=request.user, action=AuditEntry.Action.VIEW, obj=person, person=person, reason="photo"
    )
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
