"""The daily counts of issued documents kept by database triggers must always equal a direct
count of the documents by their holder's current station: the situation report's travel
documents a day are read from them."""

import datetime as dt
from collections import Counter

from django.db.models import Count, F
from django.utils import timezone

from documents import changes, services
from documents.models import Document
from documents.stats import issued_per_day
from documents.tests.placing import placed_person
from people.models import Person


def _direct(station_ids: list[int]) -> Counter:
    rows = (
        Document.objects.filter(person__station_id__in=station_ids)
        .values("issued_on", "document_type", station_key=F("person__station_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter({(r["station_key"], r["document_type"], r["issued_on"]): r["n"] for r in rows})


def _kept(station_ids: list[int], first: dt.date, last: dt.date) -> Counter:
    kept: Counter = Counter()
    for station_id in station_ids:
        for document_type in ("TP", "PE", "RD"):
            for day in issued_per_day([station_id], document_type, first, last):
                kept[station_id, document_type, day.day] += day.count
    return +kept


def _issue(personas, offices, person) -> Document:
    request = services.request_document(
        user=personas["registrar-onsong"],
        person=person,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="청진 제철소",
    )
    return services.issue_request(user=personas["documents"], request=request)


def test_counts_follow_issues_reissues_and_the_holders_transfer(personas, offices) -> None:
    ids = [personas.onsong.pk, personas.musan.pk, personas.hyesan.pk]
    today = timezone.localdate()
    window = (today - dt.timedelta(days=29), today)
    holders = [placed_person(personas.onsong) for _ in range(3)]
    passes = [_issue(personas, offices, holder) for holder in holders]
    assert _kept(ids, *window) == _direct(ids)
    assert _kept(ids, *window)[personas.onsong.pk, "TP", today] == 3

    # A lost pass is replaced: the new number is one more document issued that day.
    changes.reissue_document(user=personas["documents"], document=passes[0], reason="lost")
    assert _kept(ids, *window)[personas.onsong.pk, "TP", today] == 4

    # A holder whose station changes (a transfer, a corrected record) takes their documents'
    # counts along: the trigger follows the row, whatever wrote it.
    Person.objects.filter(pk=holders[0].pk).update(station=personas.musan)
    kept = _kept(ids, *window)
    assert kept == _direct(ids)
    assert kept[personas.onsong.pk, "TP", today] == 2
    assert kept[personas.musan.pk, "TP", today] == 2


def test_a_day_without_documents_counts_zero(personas, offices) -> None:
    today = timezone.localdate()
    _issue(personas, offices, placed_person(personas.onsong))
    days = issued_per_day([personas.onsong.pk], "TP", today - dt.timedelta(days=2), today)
    assert [day.count for day in days] == [0, 0, 1]
    assert issued_per_day([personas.musan.pk], "TP", today, today)[0].count == 0
