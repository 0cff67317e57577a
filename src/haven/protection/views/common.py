"""What the protection views share: errors from services onto forms, the restricted-record
rule for pages that show children, and the audited view of a record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from haven.audit.models import Event
from haven.audit.services import children_listed, event_record
from haven.core.http import AuthenticatedRequest
from haven.people.models import Person
from haven.people.views.common import has_restricted_access


def add_errors(
    form: forms.Form, error: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's errors beside the fields they name (or at the top of the form)."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, problems)


def restricted_redirect(
    request: AuthenticatedRequest, children: Iterable[Person]
) -> HttpResponse | None:
    """A restricted child's records interrupt: ask the reason first (the people app's page,
    which audits it), then come back here."""
    for child in children:
        if child.is_restricted and not has_restricted_access(request, child):
            url = reverse("people:restricted", args=[child.pk])
            return redirect(f"{url}?next={request.get_full_path()}")
    return None


def audit_list(
    request: AuthenticatedRequest,
    *,
    child_ids: Iterable[int],
    page: str,
    object_type: str = "protection.strategydiscussion",
    extra: dict[str, Any] | None = None,
) -> None:
    """A list that names children was shown: one event naming them all (a list is not a
    record, so not one event per child). Nothing is written for an empty list."""
    children_listed(
        actor=request.actor,
        object_type=object_type,
        child_ids=child_ids,
        detail={"page": page, **(extra or {})},
    )


def audit_view(
    request: AuthenticatedRequest,
    *,
    target: Model,
    child_ids: Iterable[int],
    page: str,
    action: str = Event.Action.VIEW,
    extra: dict[str, Any] | None = None,
) -> None:
    """Every read of a child's record is audited: one event per child shown."""
    for child_id in dict.fromkeys(child_ids):
        event_record(
            actor=request.actor,
            action=action,
            target=target,
            child_id=child_id,
            detail={"page": page, **(extra or {})},
        )


def record_opened(
    request: AuthenticatedRequest, *, target: Model, children: Iterable[Person], page: str
) -> HttpResponse | None:
    """A page that shows a child's record, form pages included: a restricted child first asks
    the reason (a redirect, returned), then a GET is audited for each child shown. A POST is
    audited by the service that it calls."""
    shown = list(children)
    redirect_to = restricted_redirect(request, shown)
    if redirect_to is not None:
        return redirect_to
    if request.method == "GET":
        audit_view(request, target=target, child_ids=[c.pk for c in shown], page=page)
    return None
