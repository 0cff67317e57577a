"""Multi-agency meetings: the waiting list (who is waiting and for how long; the longest and
median waits for any period), referring a child, planning a meeting, recording it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core import timescales
from haven.core.http import AuthenticatedRequest
from haven.people import selectors as people_selectors
from haven.protection import forms, meetings, permissions, selectors, services
from haven.protection.models import Meeting, MeetingReferral
from haven.protection.views.common import (
    add_errors,
    audit_view,
    record_opened,
    restricted_redirect,
)


def _rag(referral: MeetingReferral, now: Any) -> str:
    found = timescales.rag(referral.due_at, now=now, start=referral.referred_at)
    return found.value if found else ""


@login_required
@permission_required(permissions.VIEW_MEETING, raise_exception=True)
@require_GET
def kinds(request: AuthenticatedRequest) -> HttpResponse:
    """The meetings the council runs; with one, straight to its waiting list."""
    found = list(selectors.meeting_kinds_visible(request.user))
    if len(found) == 1:
        return redirect("protection:meeting-kind", found[0].key)
    waiting = {
        kind.pk: selectors.waiting_list(user=request.user, kind=kind).count() for kind in found
    }
    return render(request, "protection/meeting_kinds.html", {"kinds": found, "waiting": waiting})


@login_required
@permission_required(permissions.VIEW_MEETING, raise_exception=True)
@require_GET
def kind_page(request: AuthenticatedRequest, key: str) -> HttpResponse:
    """Who is waiting and for how long, with the target date from the risk level; the
    longest and median waits for children referred in any period; the meetings."""
    kind = selectors.meeting_kind_get(user=request.user, key=key)
    today = timezone.localdate()
    waiting = list(selectors.waiting_list(user=request.user, kind=kind))
    now = timezone.now()
    rows = [
        {
            "referral": r,
            "days": r.days_waiting(today),
            "rag": _rag(r, now),
        }
        for r in waiting
    ]
    range_form = forms.WaitRangeForm(request.GET or None)
    date_from, date_to = today - timedelta(days=90), today
    if range_form.is_bound and range_form.is_valid():
        date_from = range_form.cleaned_data.get("date_from") or date_from
        date_to = range_form.cleaned_data.get("date_to") or date_to
    stats = selectors.wait_stats(user=request.user, kind=kind, date_from=date_from, date_to=date_to)
    if waiting:
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            target=kind,
            detail={"page": "waiting-list", "children": [r.child_id for r in waiting]},
        )
    upcoming = list(
        selectors.meetings_for(user=request.user, kind=kind).filter(
            recorded_at__isnull=True, cancelled_at__isnull=True
        )
    )
    recent = list(
        selectors.meetings_for(user=request.user, kind=kind).filter(recorded_at__isnull=False)[:10]
    )
    return render(
        request,
        "protection/meeting_kind.html",
        {
            "kind": kind,
            "rows": rows,
            "range_form": range_form,
            "stats": stats,
            "date_from": date_from,
            "date_to": date_to,
            "upcoming": upcoming,
            "recent": recent,
            "longest_now": max((r.days_waiting(today) for r in waiting), default=None),
            "can_refer": request.user.has_perm(permissions.REFER),
            "can_manage": request.user.has_perm(permissions.MANAGE_MEETING),
        },
    )


@login_required
@permission_required(permissions.REFER, raise_exception=True)
@require_http_methods(["GET", "POST"])
def refer(request: AuthenticatedRequest, key: str) -> HttpResponse:
    """Put a child on the waiting list: find them, then the risk level and why."""
    kind = selectors.meeting_kind_get(user=request.user, key=key)
    child_id = request.GET.get("child") or request.POST.get("child") or ""
    if not child_id.isdigit():
        search_form = forms.ChildSearchForm(request.GET or None)
        results: list[Any] = []
        if search_form.is_bound and search_form.is_valid():
            query = search_form.cleaned_data["q"]
            results = [
                m
                for m in people_selectors.person_search(user=request.user, query=query, limit=10)
                if m.person.kind == "child"
            ]
            event_record(
                actor=request.actor,
                action=Event.Action.SEARCH,
                object_type="people.person",
                detail={"query": query, "results": [m.person.pk for m in results], "for": kind.key},
            )
        return render(
            request,
            "protection/refer_search.html",
            {
                "kind": kind,
                "form": search_form,
                "results": results,
                "searched": search_form.is_bound,
            },
        )
    elsewhere = meetings.referral_page(kind.key, int(child_id))
    if elsewhere is not None:
        return redirect(elsewhere)
    child = people_selectors.person_get(user=request.user, person_id=int(child_id))
    redirect_to = restricted_redirect(request, [child])
    if redirect_to is not None:
        return redirect_to
    form = forms.ReferralForm(request.POST or None, levels=kind.risk_levels)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_referral_add(
                actor=request.actor,
                kind=kind,
                child=child,
                risk_level=form.cleaned_data["risk_level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{child.full_name} added to the waiting list")
            return redirect("protection:meeting-kind", kind.key)
    if request.method == "GET":
        audit_view(request, target=child, child_ids=[child.pk], page="meeting-refer")
    return render(
        request, "protection/refer_form.html", {"kind": kind, "child": child, "form": form}
    )


@login_required
@permission_required(permissions.MANAGE_MEETING, raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedRequest, key: str) -> HttpResponse:
    kind = selectors.meeting_kind_get(user=request.user, key=key)
    form = forms.MeetingForm(request.POST or None, initial={"chair": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.actor,
                kind=kind,
                data=services.MeetingInput(
                    scheduled_for=data["scheduled_for"],
                    method=data["method"],
                    location=data.get("location", ""),
                    chair=data.get("chair"),
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Meeting planned: now choose the children it will consider")
            return redirect("protection:meeting-schedule", meeting.pk)
    return render(
        request,
        "protection/form_page.html",
        {
            "form": form,
            "title": f"Plan a {kind.name.lower()}",
            "caption": kind.short_name,
            "back": reverse("protection:meeting-kind", args=[kind.key]),
            "submit": "Plan the meeting",
        },
    )


@login_required
@permission_required(permissions.VIEW_MEETING, raise_exception=True)
@require_GET
def meeting(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    """The meeting record: who attended; for each child, the outcome and actions."""
    record = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    considered = {c.referral_id for c in record.considerations.all()}
    waiting = [r for r in record.referrals.all() if r.pk not in considered and r.is_waiting]
    children = {r.child_id: r.child for r in record.referrals.all()}
    children.update({c.child_id: c.child for c in record.considerations.all()})
    stop = record_opened(request, target=record, children=children.values(), page="meeting")
    if stop is not None:
        return stop
    considerations = list(record.considerations.all())
    extra = meetings.attach_sections(record.kind.key, considerations, request.user)
    for consideration in considerations:
        consideration.sections = extra.get(consideration.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "protection/meeting.html",
        {
            "meeting": record,
            "waiting": waiting,
            "considerations": considerations,
            "attendees": list(record.attendees.all()),
            "attendee_form": forms.AttendeeForm(),
            "can_manage": request.user.has_perm(permissions.MANAGE_MEETING),
            "is_past": record.scheduled_for <= timezone.now(),
        },
    )


def _managed_meeting(request: AuthenticatedRequest, meeting_id: int) -> Meeting:
    record = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if record.is_recorded:
        raise PermissionDenied("This meeting's record is finished.")
    return record


@login_required
@permission_required(permissions.MANAGE_MEETING, raise_exception=True)
@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    """Choose waiting children for the meeting (longest waiting first)."""
    record = _managed_meeting(request, meeting_id)
    waiting = [
        r
        for r in selectors.waiting_list(user=request.user, kind=record.kind)
        if r.meeting_id is None
    ]
    today = timezone.localdate()
    choices = [
        (
            r.pk,
            f"{r.child.full_name} ({r.get_risk_level_display().lower()} risk), "
            f"waiting {r.days_waiting(today)} days, target {r.target_date:%-d %b %Y}",
        )
        for r in waiting
    ]
    form = forms.ScheduleForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["referrals"]}
        try:
            services.meeting_schedule_children(
                actor=request.actor,
                meeting=record,
                referrals=[r for r in waiting if r.pk in chosen],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{len(chosen)} children scheduled")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/schedule_form.html",
        {"form": form, "meeting": record, "has_waiting": bool(waiting)},
    )


@login_required
@permission_required(permissions.MANAGE_MEETING, raise_exception=True)
@require_POST
def attendee_add(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    record = _managed_meeting(request, meeting_id)
    form = forms.AttendeeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_attendee_add(
                actor=request.actor,
                meeting=record,
                data=services.AttendeeInput(
                    name=data["name"],
                    role=data["role"],
                    organisation=data.get("organisation", ""),
                    attendance=data["attendance"],
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{data['name']} added")
            return redirect(f"{record.get_absolute_url()}#attendees")
    return render(
        request,
        "protection/form_page.html",
        {
            "form": form,
            "title": "Add an attendee",
            "caption": str(record),
            "back": record.get_absolute_url(),
            "submit": "Add the attendee",
            "action": reverse("protection:meeting-attendee", args=[record.pk]),
        },
    )


@login_required
@permission_required(permissions.MANAGE_MEETING, raise_exception=True)
@require_http_methods(["GET", "POST"])
def consider(request: AuthenticatedRequest, meeting_id: int, referral_id: int) -> HttpResponse:
    """What the meeting decided for one child: risk level, outcome, summary, actions."""
    record = _managed_meeting(request, meeting_id)
    referral = get_object_or_404(
        MeetingReferral.objects.select_related("child"), pk=referral_id, kind=record.kind
    )
    stop = record_opened(request, target=referral, children=[referral.child], page="consider")
    if stop is not None:
        return stop
    form = forms.ConsiderationForm(
        request.POST or None, initial={"risk_level": referral.risk_level}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_consider_child(
                actor=request.actor,
                meeting=record,
                referral=referral,
                data=services.ConsiderationInput(
                    risk_level=data["risk_level"],
                    outcome=data["outcome"],
                    discussion_summary=data["discussion_summary"],
                    actions=tuple(
                        services.ActionInput(
                            description=a["description"],
                            owner_role=a["owner_role"],
                            owner_name=a["owner_name"],
                            owner_user=a["owner_user"],
                            due_on=a["due_on"],
                        )
                        for a in form.actions()
                    ),
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Outcome recorded for {referral.child.full_name}")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/consider_form.html",
        {"form": form, "meeting": record, "referral": referral},
    )


@login_required
@permission_required(permissions.MANAGE_MEETING, raise_exception=True)
@require_POST
def complete(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    record = _managed_meeting(request, meeting_id)
    try:
        services.meeting_complete(actor=request.actor, meeting=record)
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, "Meeting record finished")
    return redirect(record.get_absolute_url())


@login_required
@permission_required(permissions.MANAGE_MEETING, raise_exception=True)
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
    referral = selectors.referral_get(user=request.user, referral_id=referral_id)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_referral_withdraw(
                actor=request.actor, referral=referral, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{referral.child.full_name} taken off the waiting list")
            return redirect("protection:meeting-kind", referral.kind.key)
    return render(
        request,
        "protection/form_page.html",
        {
            "form": form,
            "title": f"Take {referral.child.full_name} off the waiting list",
            "caption": referral.kind.name,
            "back": reverse("protection:meeting-kind", args=[referral.kind.key]),
            "submit": "Take off the waiting list",
            "warning": True,
        },
    )


@login_required
@permission_required(permissions.MANAGE_MEETING, raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_done(request: AuthenticatedRequest, action_id: int) -> HttpResponse:
    action = selectors.meeting_action_get(user=request.user, action_id=action_id)
    record = action.consideration.meeting
    stop = record_opened(
        request, target=action, children=[action.consideration.child], page="meeting-action"
    )
    if stop is not None:
        return stop
    form = forms.ActionDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_action_complete(
                actor=request.actor,
                action=action,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Action marked done")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/action_done.html",
        {"form": form, "action": action, "back": record.get_absolute_url(), "meeting": record},
    )
