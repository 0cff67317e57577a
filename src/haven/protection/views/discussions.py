"""Strategy discussions for staff: start one (from a front door decision, a child's referral or
open case, or out of hours), record it step by step, finish it, print it, track its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.frontdoor.models import ContactDecision, Episode
from haven.people import selectors as people_selectors
from haven.people.models import Person
from haven.protection import codes, forms, pdf, permissions, selectors, services
from haven.protection.models import DiscussionAction, StrategyDiscussion
from haven.protection.views.common import (
    add_errors,
    audit_list,
    audit_view,
    record_opened,
    restricted_redirect,
)

PAGE_SIZE = 25


def _child_label(person: Person) -> str:
    born = f", born {person.date_of_birth:%-d %b %Y}" if person.date_of_birth else ""
    return f"{person.full_name}{born} (LA ID {person.la_id})"


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """Strategy discussions: those still to hold (asked for at the front door), drafts, and
    every recorded discussion, newest first, with overdue actions marked."""
    scope = request.GET.get("scope", "")
    if scope not in ("", selectors.MINE, selectors.TEAM):
        scope = ""
    filters = selectors.DiscussionFilters(scope=scope)
    page = Paginator(selectors.discussion_list(user=request.user, filters=filters), PAGE_SIZE)
    shown = page.get_page(request.GET.get("page"))
    to_hold = list(selectors.decisions_awaiting_discussion(request.user)[:50])
    # The list names children: one event naming them all, as other list pages do.
    audit_list(
        request,
        child_ids=[s.child_id for d in shown.object_list for s in d.subjects.all()]
        + [c.pk for d in to_hold for c in d.referred_children.all()],
        page="sd-list",
        extra={"discussions": [d.pk for d in shown.object_list]},
    )
    return render(
        request,
        "protection/discussions.html",
        {
            "page": shown,
            "scope": scope,
            "to_hold": to_hold,
            "can_record": request.user.has_perm(permissions.RECORD),
        },
    )


def _candidates(
    request: AuthenticatedRequest,
) -> tuple[list[Person], list[Person], ContactDecision | None]:
    """The children offered on the first step, and those ticked: from a front door decision
    (its referred children), or a child (with their brothers and sisters offered)."""
    user = request.user
    decision_id = request.GET.get("decision") or request.POST.get("decision")
    child_id = request.GET.get("child") or request.POST.get("child")
    visible = people_selectors.persons_visible(user)
    if decision_id and decision_id.isdigit():
        decision = (
            ContactDecision.objects.filter(pk=int(decision_id), outcome="strategy", is_current=True)
            .select_related("contact", "receiving_team__manager")
            .first()
        )
        if decision is None:
            raise Http404("No such decision")
        children = list(visible.filter(pk__in=decision.referred_children.values("pk")))
        return children, children, decision
    if child_id and child_id.isdigit():
        child = people_selectors.person_get(user=user, person_id=int(child_id))
        offered = [child] + [s for s in people_selectors.siblings_of(child) if s.kind == "child"]
        return offered, [child], None
    return [], [], None


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedRequest) -> HttpResponse:
    """Who the discussion is about (found by search, or from the decision or case that asked
    for it), then when, how, formal or not, and who chaired: saved as a draft."""
    user = request.user
    offered, ticked, decision = _candidates(request)
    out_of_hours = user.has_role(Role.OUT_OF_HOURS_WORKER)
    if not offered:
        search_form = forms.ChildSearchForm(request.GET or None)
        results: list[Any] = []
        if search_form.is_bound and search_form.is_valid():
            query = search_form.cleaned_data["q"]
            results = [
                m
                for m in people_selectors.person_search(user=user, query=query, limit=10)
                if m.person.kind == "child"
            ]
            event_record(
                actor=request.actor,
                action=Event.Action.SEARCH,
                object_type="people.person",
                detail={"query": query, "results": [m.person.pk for m in results], "for": "sd"},
            )
        return render(
            request,
            "protection/start_search.html",
            {"form": search_form, "results": results, "searched": search_form.is_bound},
        )
    redirect_to = restricted_redirect(request, offered)
    if redirect_to is not None:
        return redirect_to
    episodes = list(
        Episode.objects.open().filter(child__in=ticked).select_related("receiving_team__manager")
    )
    initial = {
        "children": [str(c.pk) for c in ticked],
        "chair": services.default_chair(episodes=episodes, decision=decision, recorder=user),
    }
    form = forms.DetailsForm(
        request.POST or None,
        initial=initial,
        children=[(c.pk, _child_label(c)) for c in offered],
        out_of_hours=out_of_hours,
    )
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["children"]}
        try:
            discussion = services.strategy_discussion_start(
                actor=request.actor,
                details=services.DiscussionDetails(
                    children=tuple(c for c in offered if c.pk in chosen),
                    held_at=form.cleaned_data["held_at"],
                    method=form.cleaned_data["method"],
                    is_formal=forms.yes_no(form.cleaned_data["is_formal"]),
                    chair=form.cleaned_data.get("chair"),
                ),
                decision=decision,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Draft saved: {discussion.reference}")
            return redirect(discussion.get_absolute_url())
    if request.method == "GET":
        audit_view(request, target=offered[0], child_ids=[c.pk for c in offered], page="sd-start")
    return render(
        request,
        "protection/details_form.html",
        {
            "form": form,
            "decision": decision,
            "child_param": request.GET.get("child", ""),
            "out_of_hours": out_of_hours,
            "creating": True,
        },
    )


def _open(request: AuthenticatedRequest, discussion_id: int) -> StrategyDiscussion:
    return selectors.discussion_get(user=request.user, discussion_id=discussion_id)


def _opened(
    request: AuthenticatedRequest, record: StrategyDiscussion, page: str
) -> HttpResponse | None:
    """Every page of a discussion, form pages included, asks a restricted child's reason and
    audits the view, as the record page does."""
    return record_opened(request, target=record, children=_children(record), page=page)


def _children(discussion: StrategyDiscussion) -> list[Person]:
    return [s.child for s in discussion.subjects.all()]


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_GET
def discussion(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    """The record: a task list while it is a draft; the shared record, its actions and its
    PDF once recorded. Every view is audited for each child."""
    record = _open(request, discussion_id)
    children = _children(record)
    redirect_to = restricted_redirect(request, children)
    if redirect_to is not None:
        return redirect_to
    audit_view(request, target=record, child_ids=[c.pk for c in children], page="sd")
    user = request.user
    return render(
        request,
        "protection/discussion.html",
        {
            "discussion": record,
            "subjects": list(record.subjects.all()),
            "agencies": list(record.agencies.all()),
            "actions": list(record.actions.all()),
            "state": services.completeness(record),
            "can_edit": user.has_perm("protection.edit_draft_discussion", record),
            "can_amend": user.has_perm("protection.amend_discussion", record),
            "can_complete_action": user.has_perm("protection.complete_staff_action", record),
            "enquiries": list(record.enquiries.select_related("child")),
            "shared_with": [a for a in record.agencies.all() if a.agency_id and a.is_invited],
            "today": timezone.localdate(),
        },
    )


def _editable(
    request: AuthenticatedRequest, discussion_id: int, *, draft_only: bool
) -> StrategyDiscussion:
    record = _open(request, discussion_id)
    user = request.user
    if user.has_perm("protection.edit_draft_discussion", record):
        return record
    if not draft_only and user.has_perm("protection.amend_discussion", record):
        return record
    raise PermissionDenied("This strategy discussion cannot be changed by you now.")


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def details(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    """Change the first step of a draft."""
    record = _editable(request, discussion_id, draft_only=True)
    stop = _opened(request, record, "sd-details")
    if stop is not None:
        return stop
    subjects = list(record.subjects.all())
    first = subjects[0].child if subjects else None
    offered = [s.child for s in subjects]
    if first is not None:
        offered += [
            s
            for s in people_selectors.siblings_of(first)
            if s.kind == "child" and s.pk not in {c.pk for c in offered}
        ]
    form = forms.DetailsForm(
        request.POST or None,
        initial={
            "children": [str(s.child_id) for s in subjects],
            "held_at": record.held_at,
            "method": record.method,
            "is_formal": forms.as_yes_no(record.is_formal),
            "chair": record.chair,
        },
        children=[(c.pk, _child_label(c)) for c in offered],
        out_of_hours=record.is_out_of_hours,
    )
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["children"]}
        try:
            services.strategy_discussion_update_details(
                actor=request.actor,
                discussion=record,
                details=services.DiscussionDetails(
                    children=tuple(c for c in offered if c.pk in chosen),
                    held_at=form.cleaned_data["held_at"],
                    method=form.cleaned_data["method"],
                    is_formal=forms.yes_no(form.cleaned_data["is_formal"]),
                    chair=form.cleaned_data.get("chair"),
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Details saved")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/details_form.html",
        {"form": form, "discussion": record, "out_of_hours": record.is_out_of_hours},
    )


def _agencies_initial(record: StrategyDiscussion) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for line in record.agencies.all():
        role = line.role
        initial[f"{role}_attendance"] = line.attendance
        initial[f"{role}_agency"] = line.agency_id
        initial[f"{role}_name"] = line.name
        initial[f"{role}_attendees"] = line.attendees
        initial[f"{role}_reason"] = line.not_invited_reason
    return initial


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def agencies(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    """Each agency: invited and took part, sent apologies, did not come, or not invited (and
    why). Choosing a partner organisation shares the finished record with its staff."""
    record = _editable(request, discussion_id, draft_only=False)
    stop = _opened(request, record, "sd-agencies")
    if stop is not None:
        return stop
    form = forms.AgenciesForm(request.POST or None, initial=_agencies_initial(record))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = [
            services.AgencyLine(
                role=role,
                attendance=data.get(f"{role}_attendance") or "",
                agency=data.get(f"{role}_agency"),
                name=data.get(f"{role}_name", "") or "",
                attendees=data.get(f"{role}_attendees", "") or "",
                not_invited_reason=data.get(f"{role}_reason", "") or "",
            )
            for role, _label in form.roles
            if data.get(f"{role}_attendance")
        ]
        try:
            services.discussion_agencies_save(actor=request.actor, discussion=record, lines=lines)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Agencies and attendance saved")
            return redirect(record.get_absolute_url())
    return render(request, "protection/agencies_form.html", {"form": form, "discussion": record})


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def information(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    """What each invited agency shared."""
    record = _editable(request, discussion_id, draft_only=False)
    stop = _opened(request, record, "sd-information")
    if stop is not None:
        return stop
    lines = [line for line in record.agencies.all() if line.is_invited]
    form = forms.InformationForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_information_save(
                actor=request.actor, discussion=record, shared=form.shared()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "What each agency shared has been saved")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/information_form.html",
        {"form": form, "discussion": record, "lines": lines},
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    """The decision (section 47 or not, the next step) and its rationale."""
    record = _editable(request, discussion_id, draft_only=True)
    stop = _opened(request, record, "sd-decision")
    if stop is not None:
        return stop
    initial = {
        "decision": record.decision,
        "rationale": record.rationale,
        "next_step": record.next_step,
        "next_step_detail": record.next_step_detail
        if record.decision == codes.Decision.NO_S47
        else "",
        "more_information_detail": record.next_step_detail
        if record.decision == codes.Decision.MORE_INFORMATION
        else "",
    }
    form = forms.DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        detail = (
            data.get("more_information_detail", "")
            if data["decision"] == codes.Decision.MORE_INFORMATION
            else data.get("next_step_detail", "")
        )
        try:
            services.discussion_decision_save(
                actor=request.actor,
                discussion=record,
                data=services.DecisionInput(
                    decision=data["decision"],
                    rationale=data["rationale"],
                    next_step=data.get("next_step") or "",
                    next_step_detail=detail or "",
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Decision saved")
            return redirect(record.get_absolute_url())
    return render(request, "protection/decision_form.html", {"form": form, "discussion": record})


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def actions(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    """The actions agreed: add one at a time, each with its owner agency, person and due date."""
    record = _editable(request, discussion_id, draft_only=False)
    stop = _opened(request, record, "sd-actions")
    if stop is not None:
        return stop
    form = forms.ActionForm(
        request.POST or None,
        invited=[a.agency_id for a in record.agencies.all() if a.is_invited and a.agency_id],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.discussion_action_add(
                actor=request.actor,
                discussion=record,
                data=services.ActionInput(
                    description=data["description"],
                    owner_role=data["owner_role"],
                    owner_agency=data.get("owner_agency"),
                    owner_name=data.get("owner_name", ""),
                    owner_user=data.get("owner_user"),
                    due_on=data.get("due_on"),
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Action added")
            if "add_another" in request.POST:
                return redirect("protection:discussion-actions", record.pk)
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/actions_form.html",
        {
            "form": form,
            "discussion": record,
            "actions": list(record.actions.all()),
            "can_remove": request.user.has_perm("protection.edit_draft_discussion", record),
        },
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_POST
def action_remove(
    request: AuthenticatedRequest, discussion_id: int, action_id: int
) -> HttpResponse:
    record = _editable(request, discussion_id, draft_only=True)
    action = get_object_or_404(DiscussionAction, pk=action_id, discussion=record)
    services.discussion_action_remove(actor=request.actor, action=action)
    messages.success(request, "Action removed")
    return redirect("protection:discussion-actions", record.pk)


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_done(request: AuthenticatedRequest, discussion_id: int, action_id: int) -> HttpResponse:
    """Mark an action done, with the date and a note of what was done."""
    record = _open(request, discussion_id)
    if not request.user.has_perm("protection.complete_staff_action", record):
        raise PermissionDenied("Only those who record or chair discussions mark actions done.")
    stop = _opened(request, record, "sd-action")
    if stop is not None:
        return stop
    action = get_object_or_404(DiscussionAction, pk=action_id, discussion=record)
    form = forms.ActionDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_action_complete(
                actor=request.actor,
                action=action,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Action marked done")
            return redirect(f"{record.get_absolute_url()}#actions")
    return render(
        request,
        "protection/action_done.html",
        {"form": form, "discussion": record, "action": action, "back": record.get_absolute_url()},
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def complete(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    """Check the record, then finish it: it is shared with the agencies invited, each child's
    chronology gets it, and a section 47 enquiry opens for each child when that was decided."""
    record = _editable(request, discussion_id, draft_only=True)
    stop = _opened(request, record, "sd-check")
    if stop is not None:
        return stop
    state = services.completeness(record)
    if request.method == "POST":
        try:
            services.strategy_discussion_complete(actor=request.actor, discussion=record)
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
            return redirect("protection:discussion-complete", record.pk)
        shared = [a.label for a in record.agencies.all() if a.agency_id and a.is_invited]
        text = "Strategy discussion recorded"
        if shared:
            text += f" and shared with {', '.join(shared)}"
        messages.success(request, text)
        return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/complete.html",
        {
            "discussion": record,
            "subjects": list(record.subjects.all()),
            "agencies": list(record.agencies.all()),
            "actions": list(record.actions.all()),
            "state": state,
        },
    )


def pdf_response(record: StrategyDiscussion, body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.pdf_filename(record)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_GET
def discussion_pdf(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    """The printable record (a recorded discussion), version and date on every page. Audited
    as printed, for each child."""
    record = _open(request, discussion_id)
    if not record.is_recorded:
        raise Http404("A draft is not printed: finish the record first")
    redirect_to = restricted_redirect(request, _children(record))
    if redirect_to is not None:
        return redirect_to
    body = pdf.discussion_pdf(record, printed_by=request.user, for_partner=False)
    services.discussion_print(actor=request.actor, discussion=record)
    return pdf_response(record, body)
