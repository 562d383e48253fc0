"""Holder photos: taken at the desk, scaled to print size, printed on every document."""

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from documents.models import HolderPhoto
from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import require
from stations.roles import Role
from waystation import clock

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Twice the printed 30 x 40 mm at 300 dpi is more than any printer here needs.
STORED_SIZE = (708, 944)
PHOTO_TAKERS = frozenset({Role.REGISTRAR, Role.DOCUMENTS_OFFICER, Role.ADMINISTRATOR})


def _normalised_jpeg(upload: bytes) -> bytes:
    if len(upload) > MAX_UPLOAD_BYTES:
        raise ValidationError({"photo": [_("The photo is larger than 10 MB.")]})
    try:
        with Image.open(io.BytesIO(upload)) as opened:
            opened.draft("RGB", STORED_SIZE)
            upright = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            {"photo": [_("This file is not a photo that can be read.")]}
        ) from error
    upright.thumbnail(STORED_SIZE)
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=85)
    return out.getvalue()


def take_photo(*, user: Any, person: Person, upload: bytes) -> HolderPhoto:
    require(user, PHOTO_TAKERS, station=person.station)
    jpeg = _normalised_jpeg(upload)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        HolderPhoto.objects.filter(person=person, is_current=True).update(is_current=False)
        photo = HolderPhoto.objects.create(
            person=person, jpeg=jpeg, taken_at=clock.now(), taken_by=user
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=photo,
            person=person,
            detail={"photo": len(jpeg)},
        )
    return photo


def current_photo(person_id: int) -> bytes | None:
    jpeg = (
        HolderPhoto.objects.filter(person_id=person_id, is_current=True)
        .values_list("jpeg", flat=True)
        .first()
    )
    return bytes(jpeg) if jpeg is not None else None


def current_photos(person_ids: list[int]) -> dict[int, bytes]:
    rows = HolderPhoto.objects.filter(person_id__in=person_ids, is_current=True).values_list(
        "person_id", "jpeg"
    )
    return {person_id: bytes(jpeg) for person_id, jpeg in rows}
