"""Printing a day's documents of one office as one PDF: asked for on the daily page, laid out
by the task queue's worker with its progress shown, downloaded by the officer who asked.
The PDF holds personal data, so it is erased a day after it was made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from documents import photos, services
from documents.models import Document
from documents.models_batches import BatchPrint
from documents.render.pdf import document_page, render_pages_pdf
from people.audit import AuditEntry
from waystation import clock

MAX_BATCH = 200
KEPT_FOR = dt.timedelta(days=1)
PROGRESS_EVERY = 10  # documents laid out between two saves of the progress


class NothingToPrint(Exception):
    """No document of the office on that day is visible to the officer, or more than a PDF
    may hold."""


def printable(document: Document) -> dict[str, str]:
    person = document.person
    return {
        "qr_text": document.qr_text,
        "name_hanzi": f"{person.family_name_hanzi}{person.given_name_hanzi}",
        "office_name": document.office.name_ko,
    }


def erase_old_batches() -> int:
    """Erase the PDFs made more than a day ago (one indexed update when there are none)."""
    return BatchPrint.objects.filter(
        finished_at__lt=clock.now() - KEPT_FOR, erased_at__isnull=True
    ).update(pdf=None, erased_at=clock.now())


def ask_for_batch(
    *, user: Any, visible: QuerySet[Document], office_code: str, day: dt.date
) -> BatchPrint:
    """The batch of the office's documents of the day that `visible` holds: one already
    under way or ready for this officer, else a new one queued for the worker."""
    erase_old_batches()
    ids = list(
        visible.filter(office__code=office_code, issued_on=day)
        .order_by("number")
        .values_list("pk", flat=True)[: MAX_BATCH + 1]
    )
    if not ids or len(ids) > MAX_BATCH:
        raise NothingToPrint
    office_id = Document.objects.filter(pk=ids[0]).values_list("office_id", flat=True).get()
    mine = BatchPrint.objects.filter(office_id=office_id, day=day, requested_by=user).defer("pdf")
    found = (
        mine.filter(status__in=(BatchPrint.Status.QUEUED, BatchPrint.Status.RUNNING)).first()
        or mine.filter(status=BatchPrint.Status.DONE, erased_at__isnull=True, document_ids=ids)
        .order_by("-finished_at")
        .first()
    )
    if found:
        return found
    try:
        with transaction.atomic():
            batch = BatchPrint.objects.create(
                office_id=office_id,
                day=day,
                requested_by=user,
                requested_at=clock.now(),
                document_ids=ids,
            )
    except IntegrityError:  # asked twice at once: the other request queued it
        return mine.get(status__in=(BatchPrint.Status.QUEUED, BatchPrint.Status.RUNNING))
    from documents.tasks import print_batch

    print_batch.enqueue(batch.pk)  # the queue is a table: the task commits with the batch
    return batch


def lay_out(batch_id: int) -> BatchPrint:
    """The worker's part: every document's page, then the one PDF."""
    batch = BatchPrint.objects.defer("pdf").get(pk=batch_id)
    if not batch.waiting:
        return batch
    batch.status = BatchPrint.Status.RUNNING
    batch.save(update_fields=["status"])
    documents = Document.objects.select_related("person", "office").in_bulk(batch.document_ids)
    taken = photos.current_photos([d.person_id for d in documents.values()])
    pages = []
    try:
        for number, pk in enumerate(batch.document_ids, start=1):
            document = documents[pk]
            pages.append(document_page(printable(document), taken.get(document.person_id)))
            if number % PROGRESS_EVERY == 0:
                BatchPrint.objects.filter(pk=batch.pk).update(done=number)
        batch.pdf = render_pages_pdf(pages, title=str(batch.day))
    except Exception as error:  # noqa: BLE001 - the officer is told, the worker goes on
        batch.status, batch.problem = BatchPrint.Status.FAILED, str(error)
    else:
        batch.status = BatchPrint.Status.DONE
    batch.done = len(pages)
    batch.finished_at = clock.now()
    batch.save(update_fields=["pdf", "status", "problem", "done", "finished_at"])
    return batch


def download(*, user: Any, batch: BatchPrint) -> bytes:
    """The PDF, for the officer who asked; each document's export is written to the log."""
    if batch.status != BatchPrint.Status.DONE or batch.pdf is None:
        raise NothingToPrint
    for document in Document.objects.filter(pk__in=batch.document_ids).select_related("person"):
        services.log_document_view(user, document, AuditEntry.Action.EXPORT)
    return bytes(batch.pdf)
