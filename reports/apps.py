from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from people.extensions import (
            NavLink,
            register_bulk_load_guard,
            register_demo_loader,
            register_nav_link,
            register_person_panel,
        )
        from reports import demo, panels, step_counts
        from stations.roles import Role

        register_nav_link(
            NavLink("reports:situation", _("Reports"), frozenset(role.value for role in Role))
        )
        register_person_panel(panels.person_panel)
        register_person_panel(panels.grievance_panel)
        register_demo_loader(demo.load, writes_in_bulk=True)
        register_bulk_load_guard(step_counts.counted_once_afterwards)
