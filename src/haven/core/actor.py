"""Who is acting, and from where: passed explicitly to every service (no thread-locals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from haven.accounts.models import User


@dataclass(frozen=True, slots=True)
class Actor:
    """The person (or the system itself) on whose behalf a service runs.

    Services take an ``Actor`` rather than a bare user so that the audit trail records the
    address and browser a change came from without reaching for the request.
    """

    user: User | None
    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        request_user = getattr(request, "user", None)
        user = request_user if request_user is not None and request_user.is_authenticated else None
        return cls(
            user=user,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        )

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        """Scheduled and background work: no person, named in the user agent field."""
        return cls(user=None, ip_address=None, user_agent=f"haven:{name}")

    @classmethod
    def for_user(cls, user: User) -> Actor:
        """A person acting outside a web request (a management command, a test)."""
        return cls(user=user, ip_address=None, user_agent="haven:command")

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.email
        return self.user_agent or "system"
