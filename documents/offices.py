"""Setting up a province's issuing offices, each with its first signing key."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from documents import keyring
from documents.models import IssuingOffice
from stations.models import Station


def station_office_code(prefix: str, station: Station) -> str:
    return f"{prefix}-{station.code.upper()[:10]}"


@transaction.atomic
def set_up_province_offices(
    *,
    province: str,
    prefix: str,
    stations: Iterable[Station],
    activated_on: dt.date,
    signs_lists: bool = True,
    province_names: tuple[str, str] | None = None,
) -> dict[str, IssuingOffice]:
    """The labour bureau (which signs the lists when `signs_lists`), the civil affairs bureau
    and one office per reception station, each with an active key; existing ones are kept."""
    province_ko, province_zh = province_names or (province, province)
    specs = [
        (
            f"{prefix}-LAB",
            IssuingOffice.Kind.LABOUR_BUREAU,
            None,
            (f"{province} Labour Bureau", f"{province_ko} 로동국", f"{province_zh}劳动局"),
        ),
        (
            f"{prefix}-CIV",
            IssuingOffice.Kind.CIVIL_AFFAIRS,
            None,
            (f"{province} Civil Affairs Bureau", f"{province_ko} 민정국", f"{province_zh}民政局"),
        ),
    ]
    for station in stations:
        specs.append(
            (
                station_office_code(prefix, station),
                IssuingOffice.Kind.STATION,
                station,
                (
                    f"{station.name_en} reception station",
                    f"{station.name_ko} 접수소",
                    f"{station.name_zh}接待站",
                ),
            )
        )
    offices = {}
    for code, kind, station, (name_en, name_ko, name_zh) in specs:
        office, created = IssuingOffice.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "station": station,
                "province": province,
                "name_en": name_en,
                "name_ko": name_ko,
                "name_zh": name_zh,
                "signs_lists": signs_lists and kind == IssuingOffice.Kind.LABOUR_BUREAU,
            },
        )
        if created:
            keyring.rotate_key(office, on=activated_on)
        offices[code] = office
    return offices
