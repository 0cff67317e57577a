"""Sign-ins, failures, sign-outs and lockouts go into the audit trail."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor


def _actor(request: HttpRequest | None, user: Any = None) -> Actor:
    if request is None:
        return Actor(user=user)
    base = Actor.from_request(request)
    return Actor(user=user, ip_address=base.ip_address, user_agent=base.user_agent)


@receiver(user_logged_in, dispatch_uid="haven.audit_sign_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    event_record(actor=_actor(request, user), action=Event.Action.SIGN_IN, target=user)


@receiver(user_logged_out, dispatch_uid="haven.audit_sign_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        event_record(actor=_actor(request, user), action=Event.Action.SIGN_OUT, target=user)


@receiver(user_login_failed, dispatch_uid="haven.audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    event_record(
        actor=_actor(request),
        action=Event.Action.SIGN_IN_FAILED,
        object_type="accounts.user",
        detail={"email": attempted},
    )


@receiver(user_locked_out, dispatch_uid="haven.audit_locked_out")
def _locked_out(
    sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any
) -> None:
    event_record(
        actor=_actor(request),
        action=Event.Action.SIGN_IN_FAILED,
        object_type="accounts.user",
        detail={"email": (username or "")[:254], "locked_out": True},
    )
