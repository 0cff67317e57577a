"""Missing episodes: the overview (interviews due with hours left, children missing now,
children to link, reports to place on file), one episode, recording one, the return,
corrections and linking the child the police named."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core import timescales
from haven.core.http import AuthenticatedRequest
from haven.missing import forms, permissions, selectors, services
from haven.missing.views.common import (
    add_errors,
    audit_list,
    episode_context,
    episode_page,
    open_episode,
)
from haven.people import selectors as people_selectors
from haven.people.views.common import has_restricted_access, header_context

QUEUE_PAGE_SIZE = 50
LIST_LIMIT = 50


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The queue of return home interviews due (hours left, overdue first by deadline), the
    children missing now, children named by the police to link, and reports to place on
    file. The children listed are recorded in the audit log."""
    user = request.user
    queue_form = forms.QueueForm(request.GET or None)
    filters = selectors.QueueFilters()
    if queue_form.is_bound and queue_form.is_valid():
        filters = selectors.QueueFilters(
            worker=queue_form.cleaned_data.get("worker") or "",
            overdue_only=bool(queue_form.cleaned_data.get("overdue")),
        )
    owed = selectors.interviews_owed(user=user, filters=filters)
    page = Paginator(owed, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    for interview in page:
        rag = timescales.rag(interview.due_at, now=now, start=interview.episode.returned_at)
        rows.append(
            {
                "interview": interview,
                "episode": interview.episode,
                "rag": rag.value if rag else "",
                "time_left": timescales.time_left(interview.due_at, now=now)
                if interview.due_at
                else "",
            }
        )
    missing_now = list(selectors.missing_now(user=user)[:LIST_LIMIT])
    to_link = list(selectors.awaiting_child(user=user)[:LIST_LIMIT])
    to_file = list(selectors.interviews_to_file(user=user)[:LIST_LIMIT])
    audit_list(
        request,
        child_ids=[r["episode"].child_id for r in rows]
        + [e.child_id for e in missing_now]
        + [i.episode.child_id for i in to_file],
        page="missing-overview",
    )
    return render(
        request,
        "missing/index.html",
        {
            "queue_form": queue_form,
            "filtered": bool(filters.worker or filters.overdue_only),
            "page": page,
            "rows": rows,
            "missing_now": missing_now,
            "missing_now_count": selectors.missing_now(user=user).count(),
            "to_link": to_link,
            "to_link_count": selectors.awaiting_child(user=user).count(),
            "to_file": to_file,
            "to_file_count": selectors.interviews_to_file(user=user).count(),
            "now": now,
            "can_record": user.has_perm(permissions.RECORD),
            "can_read_information": user.has_perm(permissions.VIEW_MI),
        },
    )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_GET
@episode_page
def episode(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """One episode and its return home interview: what happened, what is due, what was
    found. Every view is audited against the child."""
    found = open_episode(request, episode_id, audit="missing-episode")
    interview = found.interview
    user = request.user
    return render(
        request,
        "missing/episode.html",
        {
            **episode_context(found),
            "hours_after_return": interview.hours_after_return(found.returned_at),
            "can_change": user.has_perm("missing.change_episode_object", found),
            "can_link": user.has_perm("missing.link_child_object", found)
            and interview.placed_on_file_at is None,
            "can_offer": user.has_perm("missing.offer_interview_object", interview)
            and interview.done_at is None,
            "can_record_interview": user.has_perm("missing.record_interview_object", interview),
            "can_file": user.has_perm("missing.file_interview_object", interview),
            "can_assign": user.has_perm("missing.assign_interview_object", interview),
        },
    )


def _chosen_child(request: AuthenticatedRequest) -> Any:
    child_id = request.GET.get("child") or request.POST.get("child") or ""
    if not child_id.isdigit():
        return None
    return people_selectors.person_get(user=request.user, person_id=int(child_id))


def _search(request: AuthenticatedRequest, *, purpose: str) -> tuple[Any, list[Any]]:
    search_form = forms.ChildSearchForm(request.GET if "q" in request.GET else None)
    results: list[Any] = []
    if search_form.is_bound and search_form.is_valid():
        query = search_form.cleaned_data["q"]
        results = [
            match
            for match in people_selectors.person_search(user=request.user, query=query, limit=10)
            if match.person.kind == "child"
        ]
        event_record(
            actor=request.actor,
            action=Event.Action.SEARCH,
            object_type="people.person",
            detail={"query": query, "results": [m.person.pk for m in results], "for": purpose},
        )
    return search_form, results


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedRequest) -> HttpResponse:
    """Record a missing episode directly: find the child, then when they went missing and
    whether they are back."""
    child = _chosen_child(request)
    if child is None:
        search_form, results = _search(request, purpose="missing-episode")
        return render(
            request,
            "missing/record_search.html",
            {"form": search_form, "results": results, "searched": search_form.is_bound},
        )
    if child.is_restricted and not has_restricted_access(request, child):
        url = reverse("people:restricted", args=[child.pk])
        return redirect(f"{url}?next={request.get_full_path()}")
    form = forms.EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.episode_record(
                actor=request.actor,
                child=child,
                details=services.EpisodeDetails(**form.details_kwargs()),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Missing episode recorded for {child.full_name}")
            return redirect(made.get_absolute_url())
    elif request.method == "GET":
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            target=child,
            child_id=child.pk,
            detail={"page": "missing-episode-record"},
        )
    return render(
        request,
        "missing/episode_form.html",
        {**header_context(child), "form": form, "child": child, "creating": True},
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@episode_page
def edit(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """Correct an episode's details (a return can be corrected, not removed)."""
    found = open_episode(
        request, episode_id, audit="missing-episode-edit" if request.method == "GET" else ""
    )
    if not request.user.has_perm("missing.change_episode_object", found):
        raise PermissionDenied
    form = forms.EpisodeForm(request.POST or None, initial=forms.EpisodeForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_update(
                actor=request.actor,
                episode=found,
                details=services.EpisodeDetails(**form.details_kwargs()),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Missing episode changed")
            return redirect(found.get_absolute_url())
    return render(
        request,
        "missing/episode_form.html",
        {**episode_context(found), "form": form, "child": found.child, "creating": False},
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@episode_page
def record_return(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """The child is back: when, and where they were found."""
    found = open_episode(
        request, episode_id, audit="missing-return" if request.method == "GET" else ""
    )
    if not request.user.has_perm("missing.change_episode_object", found):
        raise PermissionDenied
    form = forms.ReturnForm(
        request.POST or None,
        initial={"returned_at": found.returned_at, "where_found": found.where_found},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_return(
                actor=request.actor,
                episode=found,
                returned_at=form.cleaned_data["returned_at"],
                where_found=form.cleaned_data.get("where_found") or "",
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            found.refresh_from_db()
            due = timezone.localtime(found.interview.due_at) if found.interview.due_at else None
            messages.success(
                request,
                f"Return recorded. The return home interview is due by {due:%-d %B %Y %H:%M}"
                if due
                else "Return recorded",
            )
            return redirect(found.get_absolute_url())
    return render(request, "missing/return_form.html", {**episode_context(found), "form": form})


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@episode_page
def link_child(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """Say which child the police meant: the front door's link and close matches first, then
    a search."""
    found = open_episode(request, episode_id, audit="")
    if not request.user.has_perm("missing.link_child_object", found):
        raise PermissionDenied
    error_message = ""
    if request.method == "POST":
        child = _chosen_child(request)
        if child is None:
            error_message = "Select the child this episode is about"
        else:
            try:
                services.episode_link_child(actor=request.actor, episode=found, child=child)
            except ValidationError as error:
                error_message = " ".join(error.messages)
            else:
                messages.success(request, f"Missing episode linked to {child.full_name}")
                return redirect(found.get_absolute_url())
    suggestions = selectors.link_suggestions(user=request.user, episode=found)
    search_form, results = _search(request, purpose="missing-link")
    event_record(
        actor=request.actor,
        action=Event.Action.VIEW,
        target=found,
        child_id=found.child_id,
        detail={
            "page": "missing-link",
            "children": sorted({p.pk for p in suggestions} | {m.person.pk for m in results}),
        },
    )
    return render(
        request,
        "missing/link_child.html",
        {
            **episode_context(found),
            "suggestions": suggestions,
            "form": search_form,
            "results": results,
            "searched": search_form.is_bound,
            "error_message": error_message,
        },
    )
