from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from haven.api.models import ApiToken
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made with `haven create_api_token` (the secret is shown once); here they are
    listed and revoked."""

    list_display = ["name", "prefix", "user", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = [
        "name",
        "prefix",
        "user",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = Actor.from_request(request)
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=token,
                detail={"changes": {"revoked_at": {"old": None, "new": token.revoked_at}}},
            )
            count += 1
        self.message_user(
            request, f"{count} token{'s' if count != 1 else ''} revoked.", messages.SUCCESS
        )
