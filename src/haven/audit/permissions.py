"""Who reads the audit trail: quality auditors, and administrators for sign-in problems."""

from haven.accounts.roles import Role

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.QUALITY_AUDITOR: {"audit.view_audit_log", "audit.export_audit_log"},
    Role.ADMINISTRATOR: {"audit.view_audit_log", "audit.export_audit_log"},
}
