"""The front door's council configuration, in the configuration screens: levels of need,
concern categories and the cumulative-harm pattern."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haven.frontdoor.models import ConcernCategory, CumulativeHarmPattern, LevelOfNeed
from haven.frontdoor.permissions import CONFIGURE


class ConfigurationAdmin(admin.ModelAdmin):
    """Council configuration: open to those who manage the configuration, who hold no
    permission over contacts or children (the administrator)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.has_perm(CONFIGURE))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


@admin.register(LevelOfNeed)
class LevelOfNeedAdmin(ConfigurationAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    fields = ["name", "key", "description", "order", "is_active"]
    prepopulated_fields = {"key": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A level used by a decision stays: switch it off instead.
        if obj is not None:
            from haven.frontdoor.models import ContactDecision

            if ContactDecision.objects.filter(level_of_need=obj).exists():
                return False
        return super().has_delete_permission(request, obj)


@admin.register(ConcernCategory)
class ConcernCategoryAdmin(ConfigurationAdmin):
    list_display = ["name", "order", "is_neglect", "marks_domestic_abuse", "is_active"]
    list_editable = ["order", "is_active"]
    fields = ["name", "key", "order", "is_neglect", "marks_domestic_abuse", "is_active"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(CumulativeHarmPattern)
class CumulativeHarmPatternAdmin(ConfigurationAdmin):
    """One row: the council's pattern. It can be changed, never added to or removed."""

    list_display = ["__str__", "history_months", "include_siblings", "updated_at"]
    fields = [
        "contact_threshold",
        "contact_window_months",
        "neglect_threshold",
        "neglect_window_months",
        "history_months",
        "include_siblings",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not CumulativeHarmPattern.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
