"""What the report pages hand to the export engine: the situation report's statistics as rows,
and the person list with its columns, field limiting and anonymisation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from people.models import Person
from reports.exports import (
    ColumnSpec,
    Pseudonymiser,
    anonymise_columns,
    coarsen_birth_date,
    select_columns,
)
from reports.situation import FIGURES, SituationReport

BIRTH_BAND_YEARS = 5
NAME_KEYS = (
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
)


def situation_columns() -> list[ColumnSpec]:
    """One row per station and one for the whole scope, HXL-tagged for humanitarian tools."""
    headers = {
        "arrivals": _("Arrivals to date"),
        "present": _("Present at the station"),
        "placed": _("Placed in work"),
        "higher_education": _("Three or more years of higher education"),
        "left_job": _("Left their jobs"),
        "returned": _("Went back across the border"),
        "repeat_crossers": _("Crossed more often than allowed"),
    }
    return [
        ColumnSpec("date", _("Date"), "#date+reported"),
        ColumnSpec("province", _("Province"), "#adm1+name"),
        ColumnSpec("county", _("County"), "#adm2+name"),
        ColumnSpec("station", _("Station"), "#loc+name"),
        ColumnSpec("station_code", _("Station code"), "#loc+code"),
        *(ColumnSpec(key, headers[key], tag) for key, tag in FIGURES),
    ]


def situation_rows(report: SituationReport) -> list[dict[str, Any]]:
    day = report.as_of.isoformat()
    rows = [
        {
            "date": day,
            "province": station.province,
            "county": station.county,
            "station": station.name,
            "station_code": station.code,
            **station.figures(),
        }
        for station in report.stations
    ]
    provinces = sorted({station.province for station in report.stations})
    counties = sorted({station.county for station in report.stations})
    rows.append(
        {
            "date": day,
            "province": ", ".join(provinces),
            "county": counties[0] if len(counties) == 1 else "",
            "station": _("Total: %(scope)s") % {"scope": report.scope.label},
            "station_code": "",
            **report.totals,
        }
    )
    return rows


def person_columns() -> list[ColumnSpec]:
    """Every column a person list export may carry; a request picks among them."""
    return [
        ColumnSpec("id", _("Person number"), "#indiv+id"),
        ColumnSpec("family_name_hangul", _("Family name (Hangul)"), "#indiv+name+family+ko"),
        ColumnSpec("given_name_hangul", _("Given name (Hangul)"), "#indiv+name+given+ko"),
        ColumnSpec("family_name_hanzi", _("Family name (Hanzi)"), "#indiv+name+family+zh"),
        ColumnSpec("given_name_hanzi", _("Given name (Hanzi)"), "#indiv+name+given+zh"),
        ColumnSpec("family_name_latin", _("Family name (Latin)"), "#indiv+name+family+en"),
        ColumnSpec("given_name_latin", _("Given name (Latin)"), "#indiv+name+given+en"),
        ColumnSpec("sex", _("Sex"), "#indiv+sex"),
        ColumnSpec("birth_date", _("Date of birth"), "#indiv+birth+date"),
        ColumnSpec("category", _("Category"), "#indiv+category"),
        ColumnSpec("education_level", _("Education"), "#indiv+education"),
        ColumnSpec("education_years", _("Years of education"), "#indiv+education+years+num"),
        ColumnSpec("occupation", _("Occupation"), "#indiv+occupation"),
        ColumnSpec("household_id", _("Household"), "#group+id"),
        ColumnSpec("station_code", _("Station"), "#loc+code"),
        ColumnSpec("state", _("Journey state"), "#status"),
        ColumnSpec("state_changed_at", _("State since"), "#date+status"),
    ]


PERSON_FIELD_KEYS = tuple(column.key for column in person_columns())
ANONYMISED_DEFAULT = ("id", "sex", "birth_date", "category", "station_code", "state")


def export_person_columns(fields: Sequence[str] | None, anonymise: bool) -> list[ColumnSpec]:
    """The chosen columns (all if None); anonymised: names and numbers pseudonymised, dates of
    birth banded to five years. Unknown fields raise UnknownColumnError."""
    columns = select_columns(person_columns(), fields)
    if not anonymise:
        return columns
    person = Pseudonymiser(prefix="P-")
    household = Pseudonymiser(prefix="H-")
    transforms = {
        **dict.fromkeys(NAME_KEYS, person),
        "id": person,
        "household_id": household,
        "birth_date": lambda value: coarsen_birth_date(value, band_years=BIRTH_BAND_YEARS),
    }
    chosen = {column.key for column in columns}
    return anonymise_columns(columns, {k: v for k, v in transforms.items() if k in chosen})


def person_rows(persons: QuerySet[Person], columns: Sequence[ColumnSpec]) -> Iterator[dict]:
    """Rows as dicts straight from the database cursor, only the columns asked for."""
    keys = [column.key for column in columns]
    database_fields = [key for key in keys if key != "station_code"]
    extra = {"station_code": F("station__code")} if "station_code" in keys else {}
    return persons.order_by("pk").values(*database_fields, **extra).iterator(chunk_size=2000)
