"""Who is acting, and from where: passed explicitly to every service (no thread-locals)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from haven.accounts.models import User


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. Behind the council's reverse proxy, ``REMOTE_ADDR``
    is the proxy's: then, and only then (``REMOTE_ADDR`` is in ``HAVEN_TRUSTED_PROXIES``), the
    client is the right-most ``X-Forwarded-For`` address that is not itself a trusted proxy.
    Anyone can send the header, so it is never read from an untrusted peer."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies: list[str] = getattr(settings, "HAVEN_TRUSTED_PROXIES", [])
    if remote is None or not proxies or not _trusted(remote, proxies):
        return remote
    forwarded = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    for hop in reversed(forwarded):
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed header: keep what we know for certain
    return forwarded[0] if forwarded else remote


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
            ip_address=client_ip(request),
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
