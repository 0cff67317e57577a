"""What the people views share: fetching a person the user may open, the restricted-record
rule, and the audited view of a record."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.people import alerts, selectors
from haven.people.models import Person

# How long a reason given for a restricted record lets the person keep it open.
RESTRICTED_ACCESS_SECONDS = 8 * 60 * 60
_SESSION_KEY = "people.restricted_access"


class Redirect(Exception):  # noqa: N818 - control flow, not an error
    """A view needs to send the person elsewhere first (a merged record, a restricted one)."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def has_restricted_access(request: AuthenticatedRequest, person: Person) -> bool:
    granted = request.session.get(_SESSION_KEY, {})
    until = granted.get(str(person.pk))
    return bool(until and until > time.time())


def grant_restricted_access(request: AuthenticatedRequest, person: Person) -> None:
    granted = {k: v for k, v in request.session.get(_SESSION_KEY, {}).items() if v > time.time()}
    granted[str(person.pk)] = time.time() + RESTRICTED_ACCESS_SECONDS
    request.session[_SESSION_KEY] = granted


def require_reason(request: AuthenticatedRequest, person: Person) -> None:
    """A restricted record opens only once the user has given a reason: otherwise they are
    sent to say why, and brought back to this page. Every page showing a restricted person's
    details calls this, whichever way it fetched the person."""
    if person.is_restricted and not has_restricted_access(request, person):
        next_url = quote(request.get_full_path(), safe="/")
        raise Redirect(
            redirect(f"{reverse('people:restricted', args=[person.pk])}?next={next_url}")
        )


def open_person(request: AuthenticatedRequest, person_id: int, *, audit: str = "") -> Person:
    """The person, if the user may see them and, for a restricted record, has given a reason.
    ``audit`` names the page, and the view is recorded. A merged record sends the user to
    the record it was merged into."""
    user = request.user
    try:
        person = selectors.person_get(user=user, person_id=person_id)
    except Http404:
        target = selectors.person_merged_into(user=user, person_id=person_id)
        if target is not None:
            raise Redirect(redirect(target.get_absolute_url())) from None
        raise
    require_reason(request, person)
    if audit:
        record_view(request, person, page=audit)
    return person


def record_view(request: AuthenticatedRequest, person: Person, *, page: str) -> None:
    """Audit that this page showed ``person``'s details. Views that may answer with a redirect
    (a form saved) call it only when they render, so a failed form shown again is recorded
    as the view it is."""
    event_record(
        actor=request.actor,
        action=Event.Action.VIEW,
        target=person,
        child_id=person.pk,
        detail={"page": page},
    )


def header_context(person: Person) -> dict[str, Any]:
    """What the identity bar shows on every page about a person."""
    return {"person": person, "person_alerts": alerts.alerts_for(person)}


def person_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Lets a view raise ``Redirect`` from ``open_person``."""

    @wraps(view)
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Redirect as redirect_to:
            return redirect_to.response

    return wrapped
