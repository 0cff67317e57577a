"""Session rules: sign out after inactivity; two-factor before anything else."""

from collections.abc import Callable
from time import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from haven.core.http import two_factor_verified

LAST_SEEN_KEY = "haven_last_seen"


class IdleTimeoutMiddleware:
    """Ends a session left idle longer than ``HAVEN_IDLE_TIMEOUT_SECONDS``.

    The page warns before the end (see haven.js) and offers to stay signed in; forms keep
    drafts, so nothing typed is lost when the session does end.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time()
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > settings.HAVEN_IDLE_TIMEOUT_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:signed-out')}?timeout=1")
            # The warning dialog's own status check must not count as activity.
            if request.path != reverse("accounts:session-status"):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Outside demo mode, a signed-in user must confirm a code from their authenticator app
    (and set one up on first sign-in) before they can open anything else."""

    allowed_url_names = (
        "accounts:two-factor",
        "accounts:two-factor-setup",
        "accounts:sign-out",
        "accounts:signed-out",
        "accounts:session-status",
        "accounts:keep-alive",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not settings.HAVEN_DEMO_MODE
            and not two_factor_verified(user)
            and not request.path.startswith(settings.STATIC_URL)
            # The API answers 401 for itself rather than redirecting to a page.
            and not request.path.startswith("/api/")
            and request.path not in {reverse(name) for name in self.allowed_url_names}
        ):
            from django_otp import user_has_device

            target = "accounts:two-factor" if user_has_device(user) else "accounts:two-factor-setup"
            return redirect(target)
        return self.get_response(request)
