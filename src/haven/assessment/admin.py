"""This app's council configuration, in the configuration screens: the kinds of service the
council records. (Timescales, including the child in need plan review, are core's.)"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haven.assessment.models import Service, ServiceType
from haven.frontdoor.admin import ConfigurationAdmin


@admin.register(ServiceType)
class ServiceTypeAdmin(ConfigurationAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    fields = ["name", "key", "order", "is_active"]
    prepopulated_fields = {"key": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A kind of service already recorded stays: switch it off instead.
        if obj is not None and Service.objects.filter(service_type=obj).exists():
            return False
        return super().has_delete_permission(request, obj)
