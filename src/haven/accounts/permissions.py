"""Who may manage accounts. Administrators manage people, teams, agencies and roles."""

from haven.accounts.roles import Role

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.ADMINISTRATOR: {
        "accounts.manage_users",
        "accounts.manage_teams",
        "accounts.manage_agencies",
        "accounts.view_user",
        "core.manage_configuration",
        "core.view_timescale",
        "core.change_timescale",
    },
}
