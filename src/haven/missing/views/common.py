"""What the missing-children views share: fetching an episode the user may open (with the
restricted-record rule for its child, and the audited view), and a service's errors onto a
form."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from haven.audit.models import Event
from haven.audit.services import children_listed, event_record
from haven.core.http import AuthenticatedRequest
from haven.missing import selectors
from haven.missing.models import MissingEpisode
from haven.people.views.common import has_restricted_access, header_context


class Redirect(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def episode_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Lets a view raise ``Redirect`` from ``open_episode``."""

    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Redirect as redirect_to:
            return redirect_to.response

    return wrapped


def open_episode(
    request: AuthenticatedRequest, episode_id: int, *, audit: str = ""
) -> MissingEpisode:
    """The episode, if the user may see it and, for a restricted child, has given a reason
    (asked on the people app's page, which audits it). ``audit`` names the page, and the view
    is recorded against the child."""
    episode = selectors.episode_get(user=request.user, episode_id=episode_id)
    child = episode.child
    if child is not None and child.is_restricted and not has_restricted_access(request, child):
        url = reverse("people:restricted", args=[child.pk])
        raise Redirect(redirect(f"{url}?next={request.get_full_path()}"))
    if audit:
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            target=episode,
            child_id=episode.child_id,
            detail={"page": audit},
        )
    return episode


def episode_context(episode: MissingEpisode) -> dict[str, Any]:
    """The episode and, once it is linked, the child's identity bar."""
    context: dict[str, Any] = {"episode": episode, "interview": episode.interview}
    if episode.child is not None:
        context.update(header_context(episode.child))
    return context


def audit_list(
    request: AuthenticatedRequest, *, child_ids: Iterable[int | None], page: str, **detail: Any
) -> None:
    """A list of children was shown: one event naming them all."""
    children_listed(
        actor=request.actor,
        object_type="missing.missingepisode",
        child_ids=child_ids,
        detail={"page": page, **detail},
    )


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
