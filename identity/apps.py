from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Files check")

    def ready(self) -> None:
        from identity import hooks, keys
        from people.extensions import (
            NavLink,
            register_after_registration,
            register_demo_loader,
            register_demo_row_builder,
            register_list_filter,
            register_nav_link,
            register_new_persons_preparer,
            register_person_panel,
            register_persons_saved,
            register_registration_extra,
            register_search_expander,
            register_search_resolver,
        )
        from stations.roles import Role

        register_persons_saved(hooks.store_keys)
        register_new_persons_preparer(keys.prepare_keys)
        register_registration_extra(hooks.registration_extra)
        register_after_registration(hooks.apply_registration_decisions)
        register_list_filter(hooks.hide_merged)
        register_search_resolver(hooks.show_survivors)
        register_search_expander(hooks.survivors_of_matches)
        register_person_panel(hooks.person_panel)
        register_demo_row_builder(keys.demo_key_rows)
        register_demo_loader(hooks.load_demo)
        register_nav_link(
            NavLink(
                "identity-review",
                _("Files check"),
                frozenset({Role.REGISTRAR, Role.ADMINISTRATOR, Role.AUDITOR}),
            )
        )
