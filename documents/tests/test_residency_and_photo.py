import io

import numpy as np
import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from documents import photos, services
from documents.models import HolderPhoto
from people import services as people_services
from people.journey import TransitionRefused
from people.models import JourneyTransition
from people.states import JourneyState
from people.tests.factories import PersonFactory
from people.tests.personas import assert_access

PHOTO_VIEWERS = {
    "registrar-onsong",
    "labour",
    "documents",
    "admin",
    "auditor",
}


def _residency(personas, offices, worker):  # noqa: ANN001, ANN202
    request = services.request_document(
        user=personas["documents"],
        person=worker,
        document_type="RD",
        office=offices["NH-CIV"],
        destination="청진시 포항구역 3",
    )
    return services.issue_request(user=personas["documents"], request=request)


def test_issuing_a_residency_document_grants_residency_on_the_journey(personas, offices) -> None:
    worker = PersonFactory(station=personas.onsong, state=JourneyState.AT_WORK)
    document = _residency(personas, offices, worker)
    worker.refresh_from_db()
    assert worker.state == JourneyState.RESIDENCY_GRANTED
    step = JourneyTransition.objects.get(person=worker, to_state=JourneyState.RESIDENCY_GRANTED)
    assert not step.is_override and document.number in step.reason


def test_residency_is_granted_only_by_the_document_or_an_override_with_a_reason(personas) -> None:
    from documents.residency import take_granted_step
    from documents.rules import rule_for

    worker = PersonFactory(station=personas.onsong, state=JourneyState.AT_WORK)
    rule = rule_for("RD")
    no_document = type("Unsaved", (), {"number": "RD-NONE"})()
    with pytest.raises(TransitionRefused, match="residency document"):
        take_granted_step(personas["documents"], rule, worker, no_document)
    people_services.override(
        user=personas["documents"],
        person=worker,
        target=JourneyState.RESIDENCY_GRANTED,
        reason="Document issued on paper by the bureau during the outage",
    )
    assert JourneyTransition.objects.get(person=worker, to_state="residency_granted").is_override


def _jpeg(colour: tuple[int, int, int], size: tuple[int, int] = (1200, 1600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def test_a_new_photo_supersedes_the_old_one_which_is_kept(personas, placed) -> None:
    first = photos.take_photo(user=personas["documents"], person=placed, upload=_jpeg((200, 0, 0)))
    second = photos.take_photo(
        user=personas["registrar-onsong"], person=placed, upload=_jpeg((0, 0, 200))
    )
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    stored = Image.open(io.BytesIO(photos.current_photo(placed.pk)))
    assert max(stored.size) <= 944 and stored.getpixel((5, 5))[2] > 150
    assert HolderPhoto.objects.filter(person=placed).count() == 2


def test_a_file_that_is_not_a_photo_is_refused_and_changes_nothing(personas, placed) -> None:
    with pytest.raises(ValidationError, match="not a photo"):
        photos.take_photo(
            user=personas["documents"], person=placed, upload=b"<script>alert(1)</script>"
        )
    assert not HolderPhoto.objects.exists()


def test_photo_upload_and_viewing_follow_roles_and_scope(personas, placed) -> None:
    upload_url = reverse("documents:photo-upload", args=[placed.pk])
    client = personas.client_for("registrar-onsong")
    response = client.post(upload_url, {"photo": SimpleUploadedFile("me.jpg", _jpeg((0, 120, 0)))})
    assert response.status_code == 302 and photos.current_photo(placed.pk)
    refused = personas.client_for("registrar-musan").post(
        upload_url, {"photo": SimpleUploadedFile("me.jpg", _jpeg((0, 0, 0)))}
    )
    assert refused.status_code in (403, 404)
    assert HolderPhoto.objects.filter(person=placed).count() == 1
    assert_access(personas, reverse("documents:photo", args=[placed.pk]), PHOTO_VIEWERS)


@pytest.mark.parametrize("without_photo", [False, True])
def test_the_printed_document_carries_the_holders_photo(
    personas, offices, placed, without_photo
) -> None:
    if not without_photo:
        photos.take_photo(user=personas["documents"], person=placed, upload=_jpeg((220, 20, 20)))
    request = services.request_document(
        user=personas["documents"],
        person=placed,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="청진 제철소",
    )
    document = services.issue_request(user=personas["documents"], request=request)
    pdf = personas.client_for("documents").get(reverse("documents:pdf", args=[document.pk]))
    page = np.asarray(pypdfium2.PdfDocument(pdf.content)[0].render(scale=1).to_pil().convert("RGB"))
    red = int(((page[..., 0] > 180) & (page[..., 1] < 80) & (page[..., 2] < 80)).sum())
    # 30 x 40 mm at 72 dpi is about 85 x 113 points: the photo is there, in colour.
    assert (red > 5000) is not without_photo
