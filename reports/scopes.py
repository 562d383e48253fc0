"""The area a report covers: one station, a county or a province, and who may read it.

A scope is written ``kind:value`` in URLs (``station:onsong``, ``county:Musan County``,
``province:North Hamgyong``). A viewer may read a scope only when they may see every station
in it (stations.access), so station staff read their own station and nothing wider.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from stations.access import can_see_station, visible_stations
from stations.models import StaffProfile, Station
from stations.roles import GLOBAL_ROLES, PROVINCE_ROLES

SCOPE_KINDS = ("station", "county", "province")


class ScopeNotFound(ValueError):
    """The scope is malformed or names no station."""


@dataclass(frozen=True)
class Scope:
    kind: str
    value: str
    stations: tuple[Station, ...]

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def station_ids(self) -> list[int]:
        return [station.pk for station in self.stations]

    @property
    def label(self) -> str:
        if self.kind == "station":
            return _("%(name)s station") % {"name": self.stations[0].localized_name}
        if self.kind == "county":
            return _("%(name)s (county)") % {"name": self.value}
        return _("%(name)s Province") % {"name": self.value}


def parse_scope(text: str) -> Scope:
    """The scope named by ``kind:value``; ScopeNotFound when it is malformed or empty."""
    kind, _sep, value = (text or "").partition(":")
    value = value.strip()
    if kind not in SCOPE_KINDS or not value:
        raise ScopeNotFound(text)
    stations = Station.objects.all()
    if kind == "station":
        stations = stations.filter(code=value)
    elif kind == "county":
        stations = stations.filter(county=value)
    else:
        stations = stations.filter(province=value)
    found = tuple(stations.order_by("name_en"))
    if not found:
        raise ScopeNotFound(text)
    return Scope(kind, value, found)


def may_read_scope(profile: StaffProfile | None, scope: Scope) -> bool:
    return profile is not None and all(can_see_station(profile, s) for s in scope.stations)


def scope_choices(profile: StaffProfile | None) -> list[tuple[str, str]]:
    """(key, label) of every scope the viewer may read, widest first."""
    stations = list(visible_stations(profile).order_by("province", "county", "name_en"))
    if profile is None or not stations:
        return []
    choices: list[tuple[str, str]] = []
    if profile.role in GLOBAL_ROLES | PROVINCE_ROLES:
        for province in sorted({s.province for s in stations}):
            choices.append((f"province:{province}", _("%(name)s Province") % {"name": province}))
        for county in sorted({s.county for s in stations}):
            choices.append((f"county:{county}", _("%(name)s (county)") % {"name": county}))
    for station in stations:
        choices.append(
            (f"station:{station.code}", _("%(name)s station") % {"name": station.localized_name})
        )
    return choices


def default_scope_key(profile: StaffProfile | None) -> str | None:
    choices = scope_choices(profile)
    return choices[0][0] if choices else None
