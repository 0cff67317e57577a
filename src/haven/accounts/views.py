from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts import selectors, services
from haven.accounts.forms import (
    AgencyForm,
    GovukPasswordResetForm,
    GovukSetPasswordForm,
    SignInForm,
    TeamForm,
    TokenForm,
    UserForm,
)
from haven.accounts.middleware import LAST_SEEN_KEY
from haven.accounts.roles import ROLE_DESCRIPTIONS, Role, role_permissions
from haven.core.http import AuthenticatedRequest


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def sign_in(request: HttpRequest) -> HttpResponse:
    """Email and password; then, outside demo mode, the code from an authenticator app."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        if user is None:  # a valid form always has its user; never sign in nobody
            raise PermissionDenied
        login(request, user)
        request.session[LAST_SEEN_KEY] = time.time()
        if settings.HAVEN_DEMO_MODE:
            return redirect(_next_url(request))
        target = "accounts:two-factor" if user_has_device(user) else "accounts:two-factor-setup"
        return redirect(f"{reverse(target)}?next={_next_url(request)}")
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


def _confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@login_required
def two_factor(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of signing in: a code from the person's authenticator app."""
    device = _confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two-factor-setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """First sign-in: link an authenticator app by scanning a QR code, then confirm a code."""
    if _confirmed_device(request.user) is not None:
        return redirect("accounts:two-factor")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Your authenticator app is set up.")
        return redirect(_next_url(request))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code")
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        },
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    timed_out = request.POST.get("timeout") == "1"
    logout(request)
    return redirect(f"{reverse('accounts:signed-out')}{'?timeout=1' if timed_out else ''}")


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html", {"timed_out": request.GET.get("timeout")})


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds of inactivity left, for the timeout warning (does not count as activity)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    last_seen = request.session.get(LAST_SEEN_KEY, time.time())
    left = settings.HAVEN_IDLE_TIMEOUT_SECONDS - (time.time() - last_seen)
    return JsonResponse({"signed_in": True, "seconds_left": max(0, int(left))})


@require_POST
@login_required
def keep_alive(request: AuthenticatedRequest) -> JsonResponse:
    """'Stay signed in': the request itself resets the idle clock (see the middleware)."""
    return JsonResponse({"signed_in": True, "seconds_left": settings.HAVEN_IDLE_TIMEOUT_SECONDS})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = GovukPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")
    extra_email_context = {"service_name": settings.HAVEN_SERVICE_NAME}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = GovukSetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


# Administration: people, teams, agencies and roles --------------------------------------------


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    users = selectors.users_visible(user=request.user, search=search)
    return render(request, "accounts/user_list.html", {"users": users, "search": search})


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    form = UserForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            actor=request.actor,
            email=data["email"],
            full_name=data["full_name"],
            job_title=data["job_title"],
            team=data["team"],
            agency=data["agency"],
            roles=data["roles"],
        )
        messages.success(
            request,
            f"Account created for {user.full_name}. They have been "
            "emailed a link to choose a password.",
        )
        return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_edit(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    account = selectors.user_get_for_management(
        user=request.user,
        user_id=user_id,
    )
    form = UserForm(request.POST or None, instance=account, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        services.user_update(
            actor=request.actor,
            user=account,
            data=form.cleaned_data,
            roles=form.cleaned_data["roles"],
        )
        messages.success(request, f"Changes to {account.full_name}'s account saved.")
        return redirect("accounts:user-list")
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "account": account,
            "invited": not account.has_usable_password(),
            "has_two_factor": _confirmed_device(account) is not None,
            "is_self": account.pk == request.user.pk,
        },
    )


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_POST
def user_two_factor_reset(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """A lost phone: the person links a new authenticator app at their next sign-in."""
    account = selectors.user_get_for_management(user=request.user, user_id=user_id)
    try:
        services.user_two_factor_reset(actor=request.actor, user=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Two-factor sign-in reset for {account.full_name}. They will link a new "
            "authenticator app when they next sign in.",
        )
    return redirect("accounts:user-edit", user_id=account.pk)


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_POST
def user_invitation_resend(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """Send someone who has not chosen a password yet a fresh invitation."""
    account = selectors.user_get_for_management(user=request.user, user_id=user_id)
    try:
        services.user_invitation_resend(actor=request.actor, user=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A new invitation has been sent to {account.email}")
    return redirect("accounts:user-edit", user_id=account.pk)


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def role_list(request: AuthenticatedRequest) -> HttpResponse:
    from django.contrib.auth.models import Permission

    granted = role_permissions()
    names = {
        f"{p.content_type.app_label}.{p.codename}": p.name
        for p in Permission.objects.select_related("content_type")
    }
    roles = [
        {
            "role": role,
            "description": ROLE_DESCRIPTIONS[role],
            "permissions": sorted(names.get(p, p) for p in granted[role]),
        }
        for role in Role
    ]
    return render(request, "accounts/role_list.html", {"roles": roles})


@login_required
@permission_required("accounts.manage_teams", raise_exception=True)
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    teams = selectors.teams_with_counts(user=request.user)
    return render(request, "accounts/team_list.html", {"teams": teams})


@login_required
@permission_required("accounts.manage_teams", raise_exception=True)
def team_edit(request: AuthenticatedRequest, team_id: int | None = None) -> HttpResponse:
    team = (
        selectors.team_get_for_management(
            user=request.user,
            team_id=team_id,
        )
        if team_id
        else None
    )
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        saved = services.team_save(
            actor=request.actor,
            team=team,
            data=form.cleaned_data,
        )
        messages.success(request, f"{saved.name} saved.")
        return redirect("accounts:team-list")
    return render(request, "accounts/team_form.html", {"form": form, "team": team})


@login_required
@permission_required("accounts.manage_agencies", raise_exception=True)
def agency_list(request: AuthenticatedRequest) -> HttpResponse:
    agencies = selectors.agencies_visible(user=request.user)
    return render(request, "accounts/agency_list.html", {"agencies": agencies})


@login_required
@permission_required("accounts.manage_agencies", raise_exception=True)
def agency_edit(request: AuthenticatedRequest, agency_id: int | None = None) -> HttpResponse:
    agency = (
        selectors.agency_get_for_management(
            user=request.user,
            agency_id=agency_id,
        )
        if agency_id
        else None
    )
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        saved = services.agency_save(
            actor=request.actor,
            agency=agency,
            data=form.cleaned_data,
        )
        messages.success(request, f"{saved.name} saved.")
        return redirect("accounts:agency-list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})
