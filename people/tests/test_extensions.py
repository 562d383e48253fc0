"""What other apps add to the people pages is declared in people/extensions.py: the panels
named there appear, each to the roles it is for."""

from django.utils.safestring import mark_safe

from people import extensions
from people.tests.factories import PersonFactory


def test_every_declared_panel_source_and_loader_exists() -> None:
    paths = (
        *extensions.PERSON_PANELS,
        *extensions.STATION_PANELS,
        *extensions.TIMELINE_SOURCES,
        *extensions.DEMO_ROW_BUILDERS,
        *extensions.BULK_LOAD_GUARDS,
        *(part.loader for part in extensions.DEMO_PARTS),
    )
    for path in paths:
        assert callable(extensions._resolved(path)), path


def person_extra(request, person):
    return mark_safe(f"<div id='extra'>{person.pk}</div>")


def station_extra(request, station):
    return "" if request.staff.role == "auditor" else mark_safe("<div id='beds'>beds</div>")


def test_declared_panels_appear_on_the_person_page_and_the_dashboard(personas, monkeypatch) -> None:
    monkeypatch.setattr(
        extensions, "PERSON_PANELS", (*extensions.PERSON_PANELS, f"{__name__}.person_extra")
    )
    monkeypatch.setattr(extensions, "STATION_PANELS", (f"{__name__}.station_extra",))
    person = PersonFactory(station=personas.onsong)
    page = personas.client_for("registrar-onsong").get(f"/people/{person.pk}/").content.decode()
    assert f"<div id='extra'>{person.pk}</div>" in page
    dashboard = personas.client_for("registrar-onsong").get("/stations/onsong/").content.decode()
    assert "<div id='beds'>" in dashboard
    dashboard = personas.client_for("auditor").get("/stations/onsong/").content.decode()
    assert "<div id='beds'>" not in dashboard


def test_nav_links_show_only_to_their_roles(personas) -> None:
    medical = personas.client_for("medical-onsong").get("/people/").content.decode()
    registrar = personas.client_for("registrar-onsong").get("/people/").content.decode()
    assert 'href="/health/quarantine/"' in medical and 'href="/health/quarantine/"' not in registrar
    assert 'href="/identity/review/"' in registrar and 'href="/identity/review/"' not in medical
