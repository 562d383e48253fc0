"""A day's documents print as one PDF laid out by the task queue's worker: the daily page's
link queues it, the officer follows it and downloads it, nobody else may."""

import pytest
from django.urls import reverse

from documents.models import BatchPrint
from people.audit import AuditEntry
from waystation import clock
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db


def ask(client, document):  # noqa: ANN001, ANN201
    day = document.issued_on.isoformat()
    return client.get(reverse("documents:batch-pdf") + f"?office=NH-ONSONG&day={day}")


def test_the_day_is_laid_out_by_the_worker_and_downloaded_by_the_officer(personas, document):
    client = personas.client_for("documents")
    asked = ask(client, document)
    batch = BatchPrint.objects.get()
    assert asked.status_code == 302 and asked.url == reverse("documents:batch", args=[batch.pk])
    waiting = client.get(asked.url).content.decode()
    assert "Waiting for the worker" in waiting and "hx-trigger" in waiting
    assert ask(client, document).url == asked.url  # asking again follows the same batch
    assert run_queued_tasks() == 1
    ready = client.get(asked.url).content.decode()
    assert "Download the PDF of 1 document" in ready and "hx-trigger" not in ready
    response = client.get(reverse("documents:batch-download", args=[batch.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    exported = AuditEntry.objects.filter(
        user=personas["documents"], action=AuditEntry.Action.EXPORT, object_id=str(document.pk)
    )
    assert exported.exists()


def test_another_officer_cannot_open_or_download_the_batch(personas, document):
    ask(personas.client_for("documents"), document)
    run_queued_tasks()
    batch = BatchPrint.objects.get()
    admin = personas.client_for("admin")
    assert admin.get(reverse("documents:batch", args=[batch.pk])).status_code == 404
    assert admin.get(reverse("documents:batch-download", args=[batch.pk])).status_code == 404


def test_a_pdf_is_erased_a_day_after_it_was_made(personas, document, settings):
    client = personas.client_for("documents")
    ask(client, document)
    run_queued_tasks()
    batch = BatchPrint.objects.get()
    BatchPrint.objects.filter(pk=batch.pk).update(
        finished_at=clock.now() - __import__("datetime").timedelta(days=2)
    )
    ask(client, document)  # any new request erases what is older than a day
    batch.refresh_from_db()
    assert batch.pdf is None and batch.erased_at is not None
    page = client.get(reverse("documents:batch", args=[batch.pk])).content.decode()
    assert "was erased a day after it was made" in page
    download = client.get(reverse("documents:batch-download", args=[batch.pk]))
    assert download.status_code == 404
    assert BatchPrint.objects.count() == 2  # the new request made a new batch


def test_nothing_to_print_is_not_found(personas, document):
    client = personas.client_for("documents")
    missing = reverse("documents:batch-pdf") + "?office=NH-LAB&day=2020-01-01"
    assert client.get(missing).status_code == 404
    assert client.get(reverse("documents:batch-pdf") + "?office=NH-ONSONG&day=x").status_code == 404
    assert not BatchPrint.objects.exists()
