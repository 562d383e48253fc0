from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from documents import demo, panels
        from documents.residency import residency_guard
        from people.extensions import (
            register_demo_loader,
            register_nav_link,
            register_person_panel,
            register_station_panel,
            register_transition_guard,
        )
        from people.states import JourneyState
        from people.timeline import register_timeline_source

        register_transition_guard(JourneyState.RESIDENCY_GRANTED, residency_guard)
        register_person_panel(panels.person_panel)
        register_timeline_source(panels.timeline_events)
        register_station_panel(panels.station_panel)
        register_nav_link(panels.NAV_LINK)
        register_demo_loader(demo.load, writes_in_bulk=True)
