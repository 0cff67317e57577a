"""Return home interviews: taking one on, giving it to someone, the offer and the child's
answer, deciding not to offer one, recording the interview and its findings, and placing the
report on the child's file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from haven.core.autosave import autosave_response, form_errors, is_autosave
from haven.core.http import AuthenticatedRequest
from haven.missing import forms, permissions, services
from haven.missing.models import ReturnInterview
from haven.missing.views.common import add_errors, episode_context, episode_page, open_episode

WHO_ALIASES = {
    "offered_by": "staff",
    "offered_by_name": "name",
    "done_by": "staff",
    "done_by_name": "name",
    "accepted": "answer",
}


def _check(request: AuthenticatedRequest, rule: str, obj: Model) -> None:
    if not request.user.has_perm(rule, obj):
        raise PermissionDenied


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_POST
@episode_page
def take(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """ "Assign to me" from a queue: the interview becomes the signed-in worker's to arrange."""
    found = open_episode(request, episode_id)
    _check(request, "missing.assign_interview_object", found.interview)
    services.interview_assign(actor=request.actor, interview=found.interview, worker=request.user)
    messages.success(request, f"You are arranging {found.name}'s return home interview")
    back = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(found.get_absolute_url())


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@episode_page
def assign(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    found = open_episode(
        request, episode_id, audit="missing-assign" if request.method == "GET" else ""
    )
    _check(request, "missing.assign_interview_object", found.interview)
    form = forms.AssignForm(request.POST or None, initial={"worker": found.interview.worker_id})
    if request.method == "POST" and form.is_valid():
        worker = form.cleaned_data.get("worker")
        try:
            services.interview_assign(actor=request.actor, interview=found.interview, worker=worker)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{worker.full_name} is arranging the interview"
                if worker
                else "The interview is unassigned",
            )
            return redirect(found.get_absolute_url())
    return render(request, "missing/assign.html", {**episode_context(found), "form": form})


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@episode_page
def offer(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """The offer: when, by whom, and what the child said."""
    found = open_episode(
        request, episode_id, audit="missing-offer" if request.method == "GET" else ""
    )
    interview = found.interview
    _check(request, "missing.offer_interview_object", interview)
    answer = ""
    if interview.offered_at is not None:
        answer = {True: "accepted", False: "declined", None: "not_yet"}[interview.accepted]
    initial = {
        "offered_at": interview.offered_at,
        "answer": answer,
        "declined_reason": interview.declined_reason,
        **forms.OfferForm.initial_who(
            request.user, interview.offered_by, interview.offered_by_name
        ),
    }
    form = forms.OfferForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        by, name = form.person()
        try:
            services.interview_offer(
                actor=request.actor,
                interview=interview,
                offer=services.Offer(
                    offered_at=form.cleaned_data["offered_at"],
                    offered_by=by,
                    offered_by_name=name,
                    accepted=form.accepted(),
                    declined_reason=form.cleaned_data.get("declined_reason") or "",
                ),
            )
        except ValidationError as error:
            add_errors(form, error, aliases=WHO_ALIASES)
        else:
            messages.success(request, "Offer recorded")
            return redirect(interview.get_absolute_url())
    return render(request, "missing/offer_form.html", {**episode_context(found), "form": form})


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@episode_page
def not_offered(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """No interview will be offered, and why."""
    found = open_episode(
        request, episode_id, audit="missing-not-offered" if request.method == "GET" else ""
    )
    interview = found.interview
    _check(request, "missing.offer_interview_object", interview)
    form = forms.NotOfferedForm(
        request.POST or None, initial={"reason": interview.not_offered_reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_not_offered(
                actor=request.actor, interview=interview, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Recorded that no interview will be offered")
            return redirect(interview.get_absolute_url())
    return render(
        request, "missing/not_offered_form.html", {**episode_context(found), "form": form}
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@episode_page
def record_interview(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:  # noqa: PLR0911 - page, draft and autosave answers
    """The interview: when, by whom, and what the child said. Exploitation concerns ask for a
    CSE screening. The findings are kept as they are typed (autosave, or "Save as draft")."""
    found = open_episode(
        request, episode_id, audit="missing-interview" if request.method == "GET" else ""
    )
    interview = found.interview
    _check(request, "missing.record_interview_object", interview)
    initial = {
        "done_at": interview.done_at,
        "push_factors": interview.push_factors,
        "pull_factors": interview.pull_factors,
        "where_and_with_whom": interview.where_and_with_whom,
        "exploitation_concerns": forms.as_yes_no(interview.exploitation_concerns),
        "exploitation_detail": interview.exploitation_detail,
        "next_steps": interview.next_steps,
        **forms.InterviewForm.initial_who(request.user, interview.done_by, interview.done_by_name),
    }
    autosave = is_autosave(request)
    # Until the interview is recorded, "Save as draft" and the autosave keep the findings typed
    # so far; once it is done, a correction is saved whole (and the autosave too, when valid).
    keeping = interview.done_at is None and (autosave or request.POST.get("action") == "save")
    form = forms.InterviewForm(
        request.POST or None, user=request.user, initial=initial, draft=keeping
    )
    if keeping:
        problem = _keep_findings(request, form, interview)
        if autosave:
            return problem or autosave_response()
        if problem is None:
            messages.success(request, "The findings are saved as a draft")
            return redirect("missing:interview-record", found.pk)
    elif autosave and not form.is_valid():
        return autosave_response(form_errors(form))
    elif request.method == "POST" and form.is_valid():
        by, name = form.person()
        data = form.cleaned_data
        requested_before = interview.cse_screening_request_id
        try:
            saved = services.interview_record(
                actor=request.actor,
                interview=interview,
                findings=services.Findings(
                    done_at=data["done_at"],
                    done_by=by,
                    done_by_name=name,
                    push_factors=data["push_factors"],
                    pull_factors=data["pull_factors"],
                    where_and_with_whom=data["where_and_with_whom"],
                    exploitation_concerns=forms.yes_no(data["exploitation_concerns"]),
                    exploitation_detail=data.get("exploitation_detail") or "",
                    next_steps=data.get("next_steps") or "",
                ),
            )
        except ValidationError as error:
            if autosave:
                return autosave_response({"__all__": error.messages})
            add_errors(form, error, aliases=WHO_ALIASES)
        else:
            if autosave:
                return autosave_response()
            text = "Interview recorded"
            if saved.done_in_time is False:
                text += ": it was done more than 72 hours after the child came back"
            if saved.cse_screening_request_id and not requested_before:
                text += ". A CSE screening has been asked for"
            messages.success(request, text)
            return redirect(interview.get_absolute_url())
    return render(request, "missing/interview_form.html", {**episode_context(found), "form": form})


def _keep_findings(
    request: AuthenticatedRequest, form: forms.InterviewForm, interview: ReturnInterview
) -> HttpResponse | None:
    """Keep the findings typed so far; None when kept, otherwise the autosave answer saying
    what cannot be read yet (the form keeps its errors for the page)."""
    if not form.is_valid():
        return autosave_response(form_errors(form))
    data = form.cleaned_data
    try:
        services.interview_findings_draft_save(
            actor=request.actor,
            interview=interview,
            draft=services.FindingsDraft(
                push_factors=data.get("push_factors") or "",
                pull_factors=data.get("pull_factors") or "",
                where_and_with_whom=data.get("where_and_with_whom") or "",
                exploitation_concerns=forms.yes_no(data.get("exploitation_concerns")),
                exploitation_detail=data.get("exploitation_detail") or "",
                next_steps=data.get("next_steps") or "",
            ),
        )
    except ValidationError as error:
        add_errors(form, error)
        return autosave_response({"__all__": error.messages})
    return None


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@episode_page
def place_on_file(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """Check the report, then put it on the child's file."""
    found = open_episode(
        request, episode_id, audit="missing-file" if request.method == "GET" else ""
    )
    interview = found.interview
    _check(request, "missing.file_interview_object", interview)
    error_message = ""
    if request.method == "POST":
        try:
            services.interview_place_on_file(actor=request.actor, interview=interview)
        except ValidationError as error:
            error_message = " ".join(error.messages)
        else:
            messages.success(request, f"The interview report is on {found.name}'s file")
            return redirect(interview.get_absolute_url())
    return render(
        request,
        "missing/place_on_file.html",
        {
            **episode_context(found),
            "hours_after_return": interview.hours_after_return(found.returned_at),
            "error_message": error_message,
        },
    )
