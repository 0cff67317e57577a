"""Administrators see and revoke partner systems' API tokens."""

from haven.accounts.roles import Role

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.ADMINISTRATOR: {"api.view_apitoken", "api.change_apitoken"},
}
