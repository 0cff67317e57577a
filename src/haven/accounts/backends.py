"""Permissions come from roles alone (ADR 0011).

Django gives an account with ``is_superuser`` every permission, which would let a
``createsuperuser`` account open every child's record. Haven grants nothing for the flag: an
account can do exactly what its roles (groups) allow, and the first administrator is made with
``haven create_administrator``, which gives the Administrator role.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class RolePermissionBackend(ModelBackend):
    """Django's model backend, with the superuser shortcut taken out."""

    def _get_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            perms = getattr(self, f"_get_{from_name}_permissions")(user_obj)
            perms = perms.values_list("content_type__app_label", "codename").order_by()
            setattr(user_obj, cache_name, {f"{app}.{codename}" for app, codename in perms})
        found: set[str] = getattr(user_obj, cache_name)
        return found

    async def _aget_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            perms = getattr(self, f"_get_{from_name}_permissions")(user_obj)
            perms = perms.values_list("content_type__app_label", "codename").order_by()
            setattr(user_obj, cache_name, {f"{app}.{codename}" async for app, codename in perms})
        found: set[str] = getattr(user_obj, cache_name)
        return found
