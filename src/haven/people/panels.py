"""The home page's search box, for staff who may look people up."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def search(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm("people.view_person"):
        return None
    return {
        "can_add": user.has_perm("people.add_person"),
        "can_merge": user.has_perm("people.merge_persons"),
    }
