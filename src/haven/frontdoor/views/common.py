"""What the front door views share: opening a contact the user may read (restricted records
interrupt first), auditing the view for each child on it, and the question-page order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.frontdoor import codes, selectors
from haven.frontdoor.models import Contact
from haven.people.models import Person
from haven.people.views.common import has_restricted_access

# The question pages, in order, for recording a contact or triaging one that arrived.
STEPS = [
    ("people", "Who is it about?"),
    ("referrer", "Who is referring?"),
    ("concerns", "What are the concerns?"),
    ("risk", "Immediate risk"),
    ("consent", "Parental consent"),
    ("check", "Check your answers"),
]
STEP_NAMES = [name for name, _ in STEPS]


class Interrupt(Exception):  # noqa: N818 - control flow
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def interruptible(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Interrupt as interrupt:
            return interrupt.response

    return wrapped


def open_contact(request: AuthenticatedRequest, contact_id: int, *, audit: str = "") -> Contact:
    """The contact, if the user may read it; a restricted person on it asks for the reason
    first. ``audit`` names the page: the view is recorded once for each person on it."""
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    people = [link.person for link in contact.people.all() if link.person is not None]
    require_reasons(request, people)
    if audit:
        targets: list[Person | None] = list(people) or [None]
        for target in targets:
            event_record(
                actor=request.actor,
                action=Event.Action.VIEW,
                target=contact,
                child_id=target.pk if target is not None else None,
                detail={"page": audit},
            )
    return contact


def require_reasons(request: AuthenticatedRequest, people: Iterable[Person]) -> None:
    """Before a page shows anything of a restricted person (on the contact, or a brother or
    sister whose history the decision page shows), the user gives the reason: they are sent
    to say why and brought back here."""
    for person in people:
        if person.is_restricted and not has_restricted_access(request, person):
            raise Interrupt(
                redirect(
                    f"{reverse('people:restricted', args=[person.pk])}?next={request.get_full_path()}"
                )
            )


def require_object(request: AuthenticatedRequest, permission: str, contact: Contact) -> None:
    if not request.user.has_perm(permission, contact):
        raise PermissionDenied


def next_step(current: str, request: HttpRequest) -> str:
    """Where "Continue" goes: back to check answers when the user came from there."""
    if request.GET.get("from") == "check" or request.POST.get("from") == "check":
        return "check"
    index = STEP_NAMES.index(current)
    return STEP_NAMES[min(index + 1, len(STEP_NAMES) - 1)]


def previous_url(current: str, contact: Contact) -> str:
    index = STEP_NAMES.index(current)
    if index == 0:
        return contact.get_absolute_url()
    return reverse(f"frontdoor:{STEP_NAMES[index - 1]}", args=[contact.pk])


def step_url(name: str, contact: Contact, *, from_check: bool = False) -> str:
    url = reverse(f"frontdoor:{name}", args=[contact.pk])
    return f"{url}?from=check" if from_check else url


def form_errors_from(form: Any, error: ValidationError) -> None:
    """Put a service's errors beside the form's fields (the rest at the top)."""
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def heading_for(contact: Contact) -> str:
    if contact.completed_at is None and contact.channel in (
        codes.Channel.EMAIL,
        codes.Channel.POLICE,
        codes.Channel.PARTNER_FORM,
        codes.Channel.API,
    ):
        return "Triage"
    return "Record a contact" if contact.completed_at is None else "Change the contact"
