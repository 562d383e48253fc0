from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = _("Health")

    def ready(self) -> None:
        from health.demo import load as load_demo
        from health.panels import person_panel, station_panel, timeline_events
        from health.services import clearance_guard, end_stay_on_return
        from people.extensions import (
            NavLink,
            register_demo_loader,
            register_nav_link,
            register_person_panel,
            register_station_panel,
            register_transition_guard,
            register_transition_listener,
        )
        from people.states import JourneyState
        from people.timeline import register_timeline_source
        from stations.roles import Role

        register_transition_guard(JourneyState.MEDICALLY_CLEARED, clearance_guard)
        register_transition_listener(JourneyState.RETURNED, end_stay_on_return)
        register_person_panel(person_panel)
        register_station_panel(station_panel)
        register_timeline_source(timeline_events)
        register_demo_loader(load_demo)
        register_nav_link(
            NavLink("health-quarantine", _("Quarantine"), frozenset({Role.MEDICAL_OFFICER}))
        )
        register_nav_link(
            NavLink(
                "health-outbreaks",
                _("Outbreaks"),
                frozenset({Role.MEDICAL_OFFICER, Role.ADMINISTRATOR}),
            )
        )
