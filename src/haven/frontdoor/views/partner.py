"""Partner agencies: refer a child through a GOV.UK form, and see the status of their own
agency's referrals (nothing more)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from haven.core.http import AuthenticatedRequest
from haven.frontdoor import permissions, selectors, services
from haven.frontdoor.forms import PartnerReferralForm
from haven.frontdoor.services.partner import referral_status
from haven.frontdoor.views.common import form_errors_from


@login_required
@permission_required(permissions.REFER, raise_exception=True)
@require_http_methods(["GET", "POST"])
def refer(request: AuthenticatedRequest) -> HttpResponse:
    """The referral form. A child in danger now needs 999 as well: the form says so."""
    form = PartnerReferralForm(
        request.POST or None,
        initial={"referrer_name": request.user.full_name, "referrer_role": request.user.job_title},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.partner_referral_submit(
                actor=request.actor,
                referral=services.PartnerReferral(
                    children=data["children"],
                    adults=data.get("adults", ""),
                    address=data.get("address", ""),
                    concern_summary=data["concern_summary"],
                    immediate_risk=data["immediate_risk"] == "yes",
                    consent=data["consent"],
                    consent_detail=data.get("consent_detail", ""),
                    referrer_name=data["referrer_name"],
                    referrer_role=data["referrer_role"],
                    referrer_phone=data["referrer_phone"],
                ),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect("frontdoor:referral", contact.pk)
    return render(request, "frontdoor/partner/refer.html", {"form": form})


@login_required
@permission_required(permissions.REFER, raise_exception=True)
def referrals(request: AuthenticatedRequest) -> HttpResponse:
    """The agency's referrals, newest first, each with its status."""
    page = Paginator(selectors.partner_referrals(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "frontdoor/partner/referrals.html",
        {"page": page, "rows": [referral_status(c) | {"pk": c.pk} for c in page]},
    )


@login_required
@permission_required(permissions.REFER, raise_exception=True)
def referral(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """One referral's status: received, being considered, or the decision in a word."""
    found = selectors.partner_referral_get(user=request.user, contact_id=contact_id)
    return render(request, "frontdoor/partner/referral.html", {"status": referral_status(found)})
