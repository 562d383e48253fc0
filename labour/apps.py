from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "labour"
    verbose_name = _("Labour")

    def ready(self) -> None:
        from documents.placement import register_placement_provider
        from labour.demo import load as load_demo
        from labour.panels import person_panel
        from labour.services.decisions import placed_guard, placement_guard
        from labour.services.documents import travel_placement
        from people.extensions import (
            NavLink,
            register_demo_loader,
            register_nav_link,
            register_person_panel,
            register_transition_guard,
        )
        from people.states import JourneyState
        from stations.roles import Role

        register_person_panel(person_panel)
        register_transition_guard(JourneyState.LEFT_JOB, placement_guard)
        register_transition_guard(JourneyState.PLACED, placed_guard)
        register_demo_loader(load_demo, writes_in_bulk=True)
        register_placement_provider(travel_placement)
        register_nav_link(
            NavLink(
                "labour-home",
                _("Labour"),
                frozenset({Role.LABOUR_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR}),
            )
        )
