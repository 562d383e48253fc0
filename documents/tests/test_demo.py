import io

import pytest
from django.core.management import call_command

from documents import demo
from documents.models import CitizenshipApplication, Document, NumberCounter
from documents.revocations import server_verifier
from documents.signing import Verdict
from people.extensions import DemoPart


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_documents_are_signed_numbered_and_verifiable(monkeypatch):
    # Only this app's part of the demo, through the hook load_demo calls.
    monkeypatch.setattr(
        "people.extensions.DEMO_PARTS", (DemoPart("documents.demo.load", writes_in_bulk=True),)
    )
    out = io.StringIO()
    call_command("load_demo", "--persons", "1000", "--seed", "7", stdout=out)
    passes = Document.objects.filter(document_type="TP")
    assert passes.count() > 10 and "travel passes" in out.getvalue()
    first = demo.F.CABLE_DATE - demo.dt.timedelta(days=demo.WINDOW_DAYS - 1)
    assert not passes.filter(issued_on__lt=first).exists()
    verifier = server_verifier()
    for document in Document.objects.order_by("?")[:40]:
        verdict = verifier.verify(document.qr_text, today=document.valid_from).verdict
        expected = Verdict.REVOKED if document.status == "revoked" else Verdict.VALID
        assert verdict is expected, document.number
    # Documents signed before the station keys were rotated stay valid.
    assert Document.objects.filter(key__retired_on__isnull=False).exists()
    assert Document.objects.filter(key__retired_on__isnull=True, document_type="TP").exists()
    for counter in NumberCounter.objects.all():
        issued = Document.objects.filter(
            office=counter.office, document_type=counter.document_type, issued_on__year=counter.year
        ).count()
        assert counter.last == issued
    assert Document.objects.filter(status="issued").exists()
    assert CitizenshipApplication.objects.filter(state="undecided").exists()
    again = io.StringIO()
    call_command("load_documents_demo", "--seed", "7", stdout=again)
    assert again.getvalue().strip() == "skipped: 1"
