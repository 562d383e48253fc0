"""Disease cases: recorded by a medical officer, counted by the outbreak watch."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from health.models import Disease, DiseaseCase
from health.rules import MEDICAL_ROLES, _clean_note
from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import require
from stations.models import Station
from waystation import clock


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def record_case(
    *,
    user: Any,
    disease: Disease | None,
    station: Station,
    county: str,
    onset_date: dt.date | None,
    isolated: bool,
    person: Person | None = None,
    notes: str = "",
) -> DiseaseCase:
    require(user, MEDICAL_ROLES, station=station)
    errors: dict[str, list[str]] = {}
    if disease is None or not disease.is_active:
        errors["disease"] = [_("Choose a disease from the list.")]
    county = " ".join((county or "").split())
    if not county or len(county) > 120:
        errors["county"] = [_("Give the county (at most 120 characters).")]
    if onset_date is None:
        errors["onset_date"] = [_("Give the date.")]
    elif onset_date > clock.today():
        errors["onset_date"] = [_("The date is in the future.")]
    elif onset_date.year < 1900:
        errors["onset_date"] = [_("The date is too long ago.")]
    if person is not None and person.station_id != station.pk:
        errors["person"] = [_("The person is registered at another station.")]
    notes = _clean_note(notes, "notes")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = DiseaseCase.objects.create(
            disease=disease,
            person=person,
            station=station,
            county=county,
            onset_date=onset_date,
            week=week_of(onset_date),
            isolated=isolated,
            notes=notes,
            recorded_by=user,
            recorded_at=clock.now(),
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=case,
            person=person,
            station=station,
            detail={"disease": disease.icd10, "county": county},
        )
    return case


def set_outcome(*, user: Any, case: DiseaseCase, outcome: str, isolated: bool) -> DiseaseCase:
    require(user, MEDICAL_ROLES, station=case.station)
    if outcome not in DiseaseCase.Outcome.values:
        raise ValidationError({"outcome": [_("Choose the outcome.")]})
    if outcome == case.outcome and isolated == case.isolated:
        raise ValidationError({"outcome": [_("Nothing changed.")]})
    with transaction.atomic():
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=case,
            person=case.person,
            station=case.station,
            detail={"outcome": [case.outcome, outcome], "isolated": [case.isolated, isolated]},
        )
        case.outcome, case.isolated = outcome, isolated
        case.save(update_fields=["outcome", "isolated"])
    return case
