"""The threshold decision page: the children's and siblings' history with the cumulative-harm
alert, and the decision form (qualified staff only). Changing a decision, and a team
manager's oversight."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.autosave import autosave_response, is_autosave
from haven.core.http import AuthenticatedRequest
from haven.frontdoor import codes, harm, permissions, selectors, services
from haven.frontdoor.forms import DecisionChangeForm, DecisionForm, OversightForm
from haven.frontdoor.models import Contact, ContactDecision, ContactDraft
from haven.frontdoor.services.contacts import children_of
from haven.frontdoor.views.common import (
    form_errors_from,
    interruptible,
    open_contact,
    require_object,
    require_reasons,
)


def _input(form: DecisionForm, children: list[Any]) -> services.DecisionInput:
    data = form.cleaned_data
    chosen = {str(pk) for pk in data.get("referred_children") or []}
    if len(children) == 1:
        chosen = {str(children[0].pk)}
    return services.DecisionInput(
        level_of_need=data["level_of_need"],
        outcome=data["outcome"],
        rationale=data["rationale"],
        primary_need=data.get("primary_need") or "",
        receiving_team=data.get("receiving_team"),
        referred_children=tuple(c for c in children if str(c.pk) in chosen),
        history_weighing=data.get("history_weighing") or "",
    )


def _draft_data(request: AuthenticatedRequest) -> dict[str, Any]:
    """The form as typed, for its draft (the service keeps only the page's own fields)."""
    return {
        name: request.POST.getlist(name) if name == "referred_children" else request.POST.get(name)
        for name in request.POST
        if name != "csrfmiddlewaretoken"
    }


def _autosaved(request: AuthenticatedRequest, contact: Contact, page: str) -> HttpResponse:
    """The page's script keeps what is typed as a draft (``haven/autosave.js``)."""
    try:
        services.draft_save(
            actor=request.actor, contact=contact, page=page, data=_draft_data(request)
        )
    except ValidationError as error:
        return autosave_response({"__all__": error.messages})
    return autosave_response()


def _audit_history(
    request: AuthenticatedRequest, contact: Contact, assessment: harm.Assessment
) -> None:
    """The history shown is a read of every sibling's record too: audit each, and the flags."""
    shown = {h.person.pk for histories in assessment.histories.values() for h in histories}
    for person_id in sorted(shown):
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            target=contact,
            child_id=person_id,
            detail={
                "page": "decision-history",
                "flags": [f.summary for f in assessment.flags],
            },
        )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def decide(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Make the threshold decision. Only a social worker or team manager: anyone else gets
    403 here, as they would from the API."""
    if not request.user.has_perm(permissions.DECIDE):
        raise PermissionDenied
    contact = open_contact(request, contact_id)
    if not request.user.has_perm("frontdoor.decide_contact_object", contact):
        messages.info(
            request,
            "This contact is not waiting for a decision"
            if contact.completed_at is not None
            else "This contact needs triage before it can be decided",
        )
        return redirect(contact.get_absolute_url())
    if is_autosave(request):
        return _autosaved(request, contact, ContactDraft.Page.DECISION)
    assessment = harm.assess(contact)
    require_reasons(request, assessment.people_shown())
    if request.method == "GET":
        _audit_history(request, contact, assessment)
    children = children_of(contact)
    draft = selectors.contact_draft(
        user=request.user, contact=contact, page=ContactDraft.Page.DECISION
    )
    form = DecisionForm(
        request.POST or None,
        children=children,
        harm_met=assessment.is_met,
        initial=draft.data if draft else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_make(
                actor=request.actor, contact=contact, data=_input(form, children)
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                f"Decision recorded for {contact.reference}: {decision.get_outcome_display()}",
            )
            return redirect(contact.get_absolute_url())
    return render(
        request,
        "frontdoor/decide.html",
        {
            "contact": contact,
            "record": selectors.contact_record(contact),
            "assessment": assessment,
            "form": form,
            "children": children,
            "categories": list(contact.concern_categories.all()),
            "changing": False,
            "draft": draft,
        },
    )


@login_required
@permission_required(permissions.DECIDE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def change(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Review a decision and change it, with the reason; the old decision is kept."""
    contact = open_contact(request, contact_id)
    require_object(request, "frontdoor.review_decision_object", contact)
    current = contact.decisions.filter(is_current=True).select_related("level_of_need").first()
    if current is None:
        return redirect(contact.get_absolute_url())
    if is_autosave(request):
        return _autosaved(request, contact, ContactDraft.Page.CHANGE)
    assessment = harm.assess(contact)
    require_reasons(request, assessment.people_shown())
    if request.method == "GET":
        _audit_history(request, contact, assessment)
    children = children_of(contact)
    initial = {
        "level_of_need": current.level_of_need,
        "outcome": current.outcome,
        "primary_need": current.primary_need,
        "receiving_team": current.receiving_team,
        "referred_children": [
            str(pk) for pk in current.referred_children.values_list("pk", flat=True)
        ]
        or [str(c.pk) for c in children],
        "rationale": current.rationale,
        "history_weighing": current.history_weighing,
    }
    draft = selectors.contact_draft(
        user=request.user, contact=contact, page=ContactDraft.Page.CHANGE
    )
    if draft is not None:
        initial.update(draft.data)
    form = DecisionChangeForm(
        request.POST or None, children=children, harm_met=assessment.is_met, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_change(
                actor=request.actor,
                decision=current,
                data=_input(form, children),
                reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"The decision on {contact.reference} has been changed")
            return redirect(contact.get_absolute_url())
    return render(
        request,
        "frontdoor/decide.html",
        {
            "contact": contact,
            "record": selectors.contact_record(contact),
            "assessment": assessment,
            "form": form,
            "children": children,
            "categories": list(contact.concern_categories.all()),
            "changing": True,
            "current": current,
            "draft": draft,
        },
    )


@login_required
@permission_required(permissions.OVERSEE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def oversight(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """A team manager's oversight note, or countersignature of the decision. Showing the
    decision is a read of each child's record: audited."""
    contact = open_contact(
        request, contact_id, audit="oversight" if request.method == "GET" else ""
    )
    require_object(request, "frontdoor.oversee_contact_object", contact)
    decision: ContactDecision | None = (
        contact.decisions.filter(is_current=True)
        .select_related("decided_by", "level_of_need")
        .first()
    )
    if is_autosave(request):
        return _autosaved(request, contact, ContactDraft.Page.OVERSIGHT)
    draft = selectors.contact_draft(
        user=request.user, contact=contact, page=ContactDraft.Page.OVERSIGHT
    )
    form = OversightForm(
        request.POST or None,
        decided=decision is not None,
        initial=draft.data if draft else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = services.oversight_add(actor=request.actor, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"{note.get_kind_display()} recorded")
            return redirect(contact.get_absolute_url() + "#decision")
    return render(
        request,
        "frontdoor/oversight.html",
        {
            "contact": contact,
            "decision": decision,
            "form": form,
            "outcomes": codes.Outcome,
            "direction": selectors.contact_record(contact).direction,
            "draft": draft,
        },
    )
