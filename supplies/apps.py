from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        from people.extensions import (
            NavLink,
            register_demo_loader,
            register_nav_link,
            register_person_panel,
            register_station_panel,
            register_transition_listener,
        )
        from people.states import JourneyState
        from stations.roles import Role
        from supplies.beds import release_on_return
        from supplies.demo import load
        from supplies.panels import person_panel, station_panel

        register_transition_listener(JourneyState.RETURNED, release_on_return)
        register_person_panel(person_panel)
        register_station_panel(station_panel)
        register_nav_link(
            NavLink(
                "supplies-home",
                _("Supplies"),
                frozenset({Role.SUPPLIES_CLERK, Role.ADMINISTRATOR, Role.AUDITOR}),
            )
        )
        register_nav_link(
            NavLink("supplies-planning", _("Planning"), frozenset({Role.LABOUR_OFFICER}))
        )
        register_demo_loader(load, writes_in_bulk=True)
