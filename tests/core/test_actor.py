"""Where a request came from, as the audit log records it, behind a reverse proxy or not."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from haven.core.actor import Actor, client_ip


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings) -> None:
    settings.HAVEN_TRUSTED_PROXIES = []
    assert client_ip(_request("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


def test_the_client_behind_a_trusted_proxy(settings) -> None:
    settings.HAVEN_TRUSTED_PROXIES = ["10.0.0.5/32"]
    request = _request("10.0.0.5", "203.0.113.9")
    assert client_ip(request) == "203.0.113.9"
    assert Actor.from_request(request).ip_address == "203.0.113.9"


def test_a_forged_header_from_an_untrusted_peer_is_ignored(settings) -> None:
    settings.HAVEN_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(_request("198.51.100.7", "192.0.2.1")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        # The client put a false address first; the proxy appended the real one.
        ("192.0.2.1, 203.0.113.9", "203.0.113.9"),
        # Two proxies in the council's network: skip both from the right.
        ("203.0.113.9, 10.0.0.7", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("not-an-address", "10.0.0.5"),
        ("", "10.0.0.5"),
    ],
)
def test_the_right_most_untrusted_hop_is_the_client(settings, forwarded, expected) -> None:
    settings.HAVEN_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(_request("10.0.0.5", forwarded)) == expected


@pytest.mark.django_db
def test_the_audit_log_records_the_client_not_the_proxy(settings, client, make_user) -> None:
    from haven.accounts.roles import Role
    from haven.audit.models import Event

    settings.HAVEN_TRUSTED_PROXIES = ["10.0.0.5"]
    user = make_user(Role.SOCIAL_WORKER)
    client.post(
        "/account/sign-in/",
        {"email": user.email, "password": "wrong password entirely"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    failed = Event.objects.filter(action=Event.Action.SIGN_IN_FAILED).latest("id")
    assert failed.ip_address == "203.0.113.9"
