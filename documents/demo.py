"""Demo documents for the data set of the cable: the province's issuing offices and keys, a
travel pass for every placement in the month before the cable (about eighty a day at full
size), a residency document for every grant of residency in that month, and renunciation
applications that stay undecided, as the cable's question of citizenship did.

Registered as a demo loader (documents/apps.py), so `load_demo` runs it after the people;
`load_documents_demo(seed)` or `manage.py load_documents_demo` runs it alone. Documents are
signed for real (about 0.2 ms each) and written in chunks, so memory stays flat for a
million persons: only the documents still valid on the cable's date are held to the end.
"""

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from documents import keyring
from documents.models import (
    ApplicationEvent,
    CitizenshipApplication,
    Document,
    DocumentType,
    IssuingOffice,
    KeyRecord,
    NumberCounter,
)
from documents.offices import set_up_province_offices, station_office_code
from documents.revocations import publish_revocation_list
from documents.rules import rule_for
from documents.signing import DocumentPayload, SigningKey, sign_document
from people.audit import record_audit
from people.demo import figures as F
from people.models import JourneyTransition, Person
from people.states import JourneyState
from stations.models import Station
from waystation import clock
from waystation.rows import insert_instances

PREFIX = "NH"
WINDOW_DAYS = 31  # the month before the cable
KEY_ROTATION_DAY = dt.date(1961, 10, 25)  # station keys rotate mid-month: both sign documents
WORKPLACES = (
    "청진 로동국",
    "무산 광산",
    "김책 제철소",
    "회령 협동농장",
    "아오지 탄광",
    "길주 펄프공장",
    "라진 항만",
    "경성 협동농장",
)
ADDRESSES = ("청진시", "회령시", "무산군", "온성군", "경성군", "김책시", "길주군")
EMBASSY = "Embassy of the People's Republic of China, Pyongyang"
RENUNCIATION_SHARE = 0.02
BATCH = 5000


class _Issuer:
    """Numbers and signatures for the demo, without a query per document."""

    def __init__(self, offices: dict[str, IssuingOffice]) -> None:
        self.offices = offices
        self.counters: dict[tuple[int, str, int], int] = defaultdict(int)
        self.keys: dict[int, list[tuple[KeyRecord, SigningKey]]] = defaultdict(list)
        for record in KeyRecord.objects.filter(office__in=offices.values()).select_related(
            "office"
        ):
            self.keys[record.office_id].append((record, keyring.signing_key(record)))

    def key_for(self, office: IssuingOffice, day: dt.date) -> tuple[KeyRecord, SigningKey]:
        for record, key in self.keys[office.pk]:
            if record.activated_on <= day and (
                record.retired_on is None or day <= record.retired_on
            ):
                return record, key
        raise LookupError(f"no key of {office.code} on {day}")

    def document(
        self,
        person: dict[str, Any],
        office: IssuingOffice,
        document_type: str,
        day: dt.date,
        scope: str,
        issued_by: Any,
    ) -> Document:
        rule = rule_for(document_type)
        series = (office.pk, document_type, day.year)
        self.counters[series] += 1
        number = rule.number(office.code, day.year, self.counters[series])
        valid_until = day + dt.timedelta(days=rule.validity_days - 1)
        payload = DocumentPayload(
            document_type=document_type,
            number=number,
            name_hangul=person["hangul"],
            name_latin=person["latin"],
            date_of_birth=person["birth"],
            issued_on=day,
            valid_from=day,
            valid_until=valid_until,
            scope=scope,
            office=office.code,
        )
        record, key = self.key_for(office, day)
        issued_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        expired = valid_until < F.CABLE_DATE
        return Document(
            number=number,
            document_type=document_type,
            office=office,
            key=record,
            person_id=person["id"],
            name_hangul=payload.name_hangul,
            name_latin=payload.name_latin,
            date_of_birth=payload.date_of_birth,
            scope=payload.scope,
            issued_on=day,
            valid_from=day,
            valid_until=valid_until,
            qr_text=sign_document(payload, key),
            issued_by=issued_by,
            issued_at=issued_at,
            status=Document.Status.EXPIRED if expired else Document.Status.ISSUED,
            status_reason="Expired" if expired else "",
        )

    def save_counters(self) -> None:
        NumberCounter.objects.bulk_create(
            NumberCounter(office_id=office_id, document_type=kind, year=year, last=last)
            for (office_id, kind, year), last in self.counters.items()
        )


def _holders(person_ids: list[int], stations: dict[int, Station]) -> dict[int, dict[str, Any]]:
    holders = {}
    for row in Person.objects.filter(pk__in=person_ids).values(
        "id",
        "family_name_hangul",
        "given_name_hangul",
        "family_name_latin",
        "given_name_latin",
        "birth_date",
        "birth_date_precision",
        "station_id",
    ):
        if row["birth_date"] is None or row["birth_date_precision"] == "unknown":
            continue  # a document needs at least the year of birth
        hangul = f"{row['family_name_hangul']}{row['given_name_hangul']}"
        latin = " ".join(p for p in (row["family_name_latin"], row["given_name_latin"]) if p)
        if not hangul or not latin or row["station_id"] not in stations:
            continue
        birth = row["birth_date"].isoformat()
        birth = {"year": birth[:4], "month": birth[:7]}.get(row["birth_date_precision"], birth)
        holders[row["id"]] = {
            "id": row["id"],
            "hangul": hangul,
            "latin": latin,
            "birth": birth,
            "station": stations[row["station_id"]],
        }
    return holders


def _steps(first: dt.date, last: dt.date) -> Iterator[list[tuple[int, str, dt.date]]]:
    """(person, target state, local day) of placements and residency grants, in chunks."""
    local = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), local)
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min), local)
    rows = (
        JourneyTransition.objects.filter(
            to_state__in=[JourneyState.PLACED, JourneyState.RESIDENCY_GRANTED],
            at__gte=start,
            at__lt=end,
        )
        .order_by("at", "id")
        .values_list("person_id", "to_state", "at")
    )
    chunk: list[tuple[int, str, dt.date]] = []
    for person_id, state, at in rows.iterator(chunk_size=BATCH):
        chunk.append((person_id, state, at.astimezone(local).date()))
        if len(chunk) == BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _one_current_per_type(documents: list[Document]) -> None:
    """A person placed twice within a pass's validity keeps only the newer pass current."""
    current: dict[tuple[int, str], Document] = {}
    for document in documents:
        if document.status != Document.Status.ISSUED:
            continue
        key = (document.person_id, document.document_type)
        earlier = current.get(key)
        if earlier is not None:
            earlier.status = Document.Status.REVOKED
            earlier.status_reason = "Replaced by a new placement"
            earlier.revoked_on = document.issued_on
        current[key] = document


def _applications(rng: random.Random, officer: Any) -> list[CitizenshipApplication]:
    border_crossers = list(
        Person.objects.filter(category="border_crosser").order_by("id").values_list("id", flat=True)
    )
    chosen = rng.sample(border_crossers, int(len(border_crossers) * RENUNCIATION_SHARE))
    applications = []
    for index, person_id in enumerate(chosen):
        submitted = F.CABLE_DATE - dt.timedelta(days=rng.randint(0, 120))
        undecided = index % 5 != 0  # most are left undecided by policy; some still in review
        applications.append(
            CitizenshipApplication(
                person_id=person_id,
                kind=CitizenshipApplication.Kind.RENUNCIATION,
                lodged_at=EMBASSY,
                submitted_on=submitted,
                state=CitizenshipApplication.State.UNDECIDED
                if undecided
                else CitizenshipApplication.State.UNDER_REVIEW,
                decision="No decision yet on the citizenship of the border crossers."
                if undecided
                else "",
                decided_by=officer if undecided else None,
                decided_on=F.CABLE_DATE if undecided else None,
                recorded_by=officer,
            )
        )
    return applications


def _documents(
    issuer: _Issuer,
    offices: dict[str, IssuingOffice],
    stations: dict[int, Station],
    rng: random.Random,
    officer: Any,
) -> Counter[str]:
    """Sign and write the month's documents chunk by chunk; returns counts by type."""
    counts: Counter[str] = Counter()
    current: list[Document] = []  # still valid on the cable's date: written last
    first = F.CABLE_DATE - dt.timedelta(days=WINDOW_DAYS - 1)
    for chunk in _steps(first, F.CABLE_DATE):
        holders = _holders([person_id for person_id, _state, _day in chunk], stations)
        made = []
        for person_id, state, day in chunk:
            holder = holders.get(person_id)
            if holder is None:
                continue
            if state == JourneyState.PLACED:
                station = holder["station"]
                office = offices[station_office_code(PREFIX, station)]
                kind, scope = (
                    DocumentType.TRAVEL_PASS,
                    f"{station.name_ko} → {rng.choice(WORKPLACES)}",
                )
            else:
                office = offices[f"{PREFIX}-CIV"]
                kind, scope = DocumentType.RESIDENCY_DOCUMENT, rng.choice(ADDRESSES)
            document = issuer.document(holder, office, kind, day, scope, officer)
            counts[kind] += 1
            (current if document.status == Document.Status.ISSUED else made).append(document)
        insert_instances(Document, made)
    _one_current_per_type(current)
    insert_instances(Document, current)
    return counts


@transaction.atomic
def load_documents_demo(seed: int = 1961) -> dict[str, int]:
    """Offices, keys, documents and applications for the loaded people; run once."""
    if IssuingOffice.objects.filter(code=f"{PREFIX}-LAB").exists():
        return {"skipped": 1}
    rng = random.Random(seed)
    stations = {station.pk: station for station in Station.objects.filter(province=F.PROVINCE)}
    offices = set_up_province_offices(
        province=F.PROVINCE,
        prefix=PREFIX,
        stations=stations.values(),
        activated_on=F.FIRST_ARRIVALS,
        province_names=("함경북도", "咸镜北道"),
    )
    for station in stations.values():
        keyring.rotate_key(offices[station_office_code(PREFIX, station)], on=KEY_ROTATION_DAY)
    officer = get_user_model().objects.filter(username="documents").first()
    issuer = _Issuer(offices)
    counts = _documents(issuer, offices, stations, rng, officer)
    issuer.save_counters()
    applications = CitizenshipApplication.objects.bulk_create(
        _applications(rng, officer), batch_size=BATCH
    )
    now = clock.now()
    ApplicationEvent.objects.bulk_create(
        (
            ApplicationEvent(
                application=application,
                from_state=CitizenshipApplication.State.SUBMITTED,
                to_state=application.state,
                at=now,
                by=officer,
                note=application.decision,
            )
            for application in applications
        ),
        batch_size=BATCH,
    )
    publish_revocation_list()
    record_audit(
        user=officer,
        action="create",
        reason="demo documents",
        detail={"documents": sum(counts.values()), "applications": len(applications)},
    )
    passes = counts[DocumentType.TRAVEL_PASS]
    return {
        "documents offices": len(offices),
        "travel passes": passes,
        "travel passes a day": round(passes / WINDOW_DAYS),
        "residency documents": counts[DocumentType.RESIDENCY_DOCUMENT],
        "citizenship applications": len(applications),
    }


def load(seed: int, factor: float) -> dict[str, int]:
    """The demo loader hook (people.extensions.register_demo_loader); the counts follow the
    people already loaded, so the scale needs no separate use."""
    return load_documents_demo(seed)
