"""What the assessment views share: the restricted-record rule for pages that show a child,
the audited view of a record or a list of children, object permissions, and service errors
onto forms."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from haven.audit.models import Event
from haven.audit.services import children_listed, event_record
from haven.core.http import AuthenticatedRequest
from haven.people.models import Person
from haven.people.views.common import has_restricted_access


class Interrupt(Exception):  # noqa: N818 - control flow, not an error
    """A view must send the person elsewhere first (a restricted record asks a reason)."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def interruptible(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Interrupt as interrupt:
            return interrupt.response

    return wrapped


def open_child(
    request: AuthenticatedRequest, child: Person, *, target: Model | None, page: str
) -> None:
    """A restricted child's record asks the reason first (the people app's page, which audits
    it). ``page`` names what is shown: the view is audited against the child."""
    if child.is_restricted and not has_restricted_access(request, child):
        url = reverse("people:restricted", args=[child.pk])
        raise Interrupt(redirect(f"{url}?next={request.get_full_path()}"))
    if page and request.method == "GET":
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            target=target or child,
            child_id=child.pk,
            detail={"page": page},
        )


def audit_list(
    request: AuthenticatedRequest, *, child_ids: Iterable[int | None], page: str, **detail: Any
) -> None:
    """A page listing children was shown: one event naming every child on it (none when the
    list is empty), so "who looked at this child" finds list pages too."""
    children_listed(
        actor=request.actor,
        object_type="assessment.case",
        child_ids=child_ids,
        detail={"page": page, **detail},
    )


def posted(request: AuthenticatedRequest) -> Any:
    """The submitted data on a POST (even an empty one), None on a GET: binds forms."""
    return request.POST if request.method == "POST" else None


def require(request: AuthenticatedRequest, permission: str, obj: Any = None) -> None:
    allowed = (
        request.user.has_perm(permission, obj)
        if obj is not None
        else request.user.has_perm(permission)
    )
    if not allowed:
        raise PermissionDenied


def add_errors(
    form: forms.Form, error: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's errors beside the fields they name (or at the top of the form)."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        field = aliases.get(name, name)
        form.add_error(field if field in form.fields else None, problems)
