from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Offline intake")

    def ready(self) -> None:
        from intake.panels import person_panel
        from people.extensions import NavLink, register_nav_link, register_person_panel
        from stations.roles import Role

        register_person_panel(person_panel)
        register_nav_link(
            NavLink(
                "intake-outbox",
                _("Waiting to send"),
                frozenset({Role.REGISTRAR, Role.ADMINISTRATOR}),
            )
        )
