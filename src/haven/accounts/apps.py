from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from django.apps import apps

    from haven.accounts.roles import sync_roles

    # post_migrate is sent once per app with models, after that app's permissions are
    # created; the last one's signal is the first moment every permission exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label == with_models[-1].label:
        sync_roles()


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from haven.accounts import signals  # noqa: F401
        from haven.core import home, navigation

        # Permissions are created per app after its migrations; syncing after the last app
        # means every role holds every permission the code grants it.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="haven.sync_roles")
        navigation.register(
            "Users",
            "accounts:user-list",
            permissions=("accounts.manage_users",),
            order=900,
            active_prefix="/account/users/",
        )
        navigation.register(
            "Teams",
            "accounts:team-list",
            permissions=("accounts.manage_teams",),
            order=910,
            active_prefix="/account/teams/",
        )
        navigation.register(
            "Agencies",
            "accounts:agency-list",
            permissions=("accounts.manage_agencies",),
            order=920,
            active_prefix="/account/agencies/",
        )
        from haven.accounts import panels

        home.register("profile", "accounts/panels/profile.html", panels.profile, order=10)
        home.register(
            "administration", "accounts/panels/administration.html", panels.administration, order=20
        )
