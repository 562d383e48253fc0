"""The one access module: who may act where, said in a sentence, and nowhere else."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from people.models import Person
from people.tests.factories import PersonFactory
from stations.access import require, roles_in_words, scoped_or_404, staff_profile_of
from stations.roles import Role

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_refusal_names_who_may_in_a_sentence(personas) -> None:
    with pytest.raises(PermissionDenied, match=r"^Only a medical officer may do this\.$"):
        require(personas["registrar-onsong"], {Role.MEDICAL_OFFICER})
    with pytest.raises(
        PermissionDenied, match=r"^Only a supplies clerk or an administrator may do this\.$"
    ):
        require(personas["auditor"], {Role.ADMINISTRATOR, Role.SUPPLIES_CLERK})
    assert roles_in_words({Role.ADMINISTRATOR, Role.REGISTRAR, Role.MEDICAL_OFFICER}) == (
        "a registrar, a medical officer or an administrator"
    )


def test_a_station_outside_the_scope_is_refused_and_named(personas) -> None:
    with pytest.raises(PermissionDenied, match="Musan is outside your scope: you work at Onsong"):
        require(personas["medical-onsong"], {Role.MEDICAL_OFFICER}, station=personas.musan)
    profile = require(personas["medical-onsong"], {Role.MEDICAL_OFFICER}, station=personas.onsong)
    assert profile.station == personas.onsong
    # a province officer works at every station of the province, and only there
    require(personas["labour"], {Role.LABOUR_OFFICER}, station=personas.musan)
    with pytest.raises(PermissionDenied):
        require(personas["labour"], {Role.LABOUR_OFFICER}, station=personas.hyesan)
    with pytest.raises(PermissionDenied):
        require(personas["labour"], {Role.LABOUR_OFFICER}, province="Ryanggang")
    require(personas["admin"], {Role.ADMINISTRATOR}, province="Ryanggang")


def test_a_record_out_of_scope_looks_absent(personas) -> None:
    musan_person = PersonFactory(station=personas.musan)
    onsong = staff_profile_of(personas["registrar-onsong"])
    musan = staff_profile_of(personas["registrar-musan"])
    assert scoped_or_404(Person.objects.all(), musan, musan_person.pk) == musan_person
    for pk in (musan_person.pk, 987654321, "1x", "99999999999999999999999"):
        with pytest.raises(Http404):
            scoped_or_404(Person.objects.all(), onsong, pk)


def _raises_permission_denied(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id == "PermissionDenied":
                lines.append(node.lineno)
    return lines


def test_only_the_access_module_refuses_for_role_or_scope() -> None:
    """Every check of who may do what goes through stations.access.require: a second way to
    refuse (a copy of require_role, a scope check of its own) is how the rules drifted apart."""
    offenders = []
    apps = [d for d in ROOT.iterdir() if (d / "__init__.py").exists()]
    for path in sorted(p for app in apps for p in app.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts:
            continue
        if relative == Path("stations/access.py"):
            continue
        offenders += [f"{relative}:{line}" for line in _raises_permission_denied(path)]
    assert not offenders, "use stations.access.require instead:\n" + "\n".join(offenders)


def test_records_held_by_people_are_scoped_by_their_holders_station(personas) -> None:
    """scope_to_holders sees what scope_to_stations(..., "person__station") sees, for
    every kind of role, and everyone once a province holds every station."""
    from documents.models import CitizenshipApplication
    from stations.access import scope_to_holders, scope_to_stations

    held = {
        station.code: CitizenshipApplication.objects.create(
            person=PersonFactory(station=station),
            kind="residency",
            lodged_at="Onsong",
            submitted_on="1961-11-01",
        )
        for station in (personas.onsong, personas.musan, personas.hyesan)
    }
    everything = CitizenshipApplication.objects.all()
    expected = {
        "registrar-onsong": {"onsong"},
        "documents": {"onsong", "musan"},
        "labour-ryanggang": {"hyesan"},
        "auditor": {"onsong", "musan", "hyesan"},
        "no-role": set(),
    }
    for name, codes in expected.items():
        profile = staff_profile_of(personas[name])
        seen = set(scope_to_holders(profile, everything))
        assert seen == {held[code] for code in codes}, name
        if profile is not None:
            assert seen == set(scope_to_stations(profile, everything, "person__station"))
    personas.hyesan.province = personas.onsong.province
    personas.hyesan.save()
    documents = staff_profile_of(personas["documents"])
    assert set(scope_to_holders(documents, everything)) == set(held.values())
