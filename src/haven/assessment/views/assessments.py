"""The child and family assessment: started on a case, written part by part on a task list
(each part saved on continue, and as the worker types when JavaScript runs), checked,
submitted, and authorised or returned by the team manager."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from haven.assessment import codes, parts, permissions, selectors, services
from haven.assessment.forms import ReviewForm, StartAssessmentForm, part_form_class
from haven.assessment.models import Assessment
from haven.assessment.views.common import add_errors, interruptible, open_child, posted, require
from haven.core.autosave import autosave_response, is_autosave
from haven.core.http import AuthenticatedRequest
from haven.people.views.common import header_context


def _shown_value(assessment: Assessment | None, name: str, factors: list[str]) -> str:
    """A part's answer as words, for summaries and the side-by-side view."""
    if assessment is None:
        return ""
    if name == "factors":
        return "\n".join(codes.Factor(code).label for code in factors)
    if name == "outcome":
        return codes.Outcome(assessment.outcome).label if assessment.outcome else ""
    if name == "scale":
        return "" if assessment.scale is None else f"{assessment.scale} out of 10"
    return str(getattr(assessment, name) or "")


FIELD_LABELS = {
    "worries": "What are we worried about?",
    "working_well": "What is working well?",
    "needs_to_happen": "What needs to happen?",
    "scale": "Score",
    "scale_given_by": "Given by",
    "child_voice": "The child's own words",
    "analysis": "Analysis",
    "factors": "Assessment factors",
    "outcome": "Outcome",
}


def word_diff(old: str, new: str) -> SafeString:
    """What changed between two answers, word by word: removed words struck through, added
    words marked (``<del>`` and ``<ins>``), everything escaped."""
    before, after = old.split(), new.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(escape(" ".join(before[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(before[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(after[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 - every word is escaped above


def summary_rows(
    assessment: Assessment, *, with_changes: bool, editable: bool
) -> list[dict[str, Any]]:
    """Each part's answers, for "check your answers" and the manager's page; for a
    reassessment, what changed since the previous one."""
    factors = selectors.factor_codes(assessment)
    previous = assessment.previous
    previous_factors = selectors.factor_codes(previous) if previous else []
    rows = []
    for part in parts.PARTS:
        for name in part.fields:
            value = _shown_value(assessment, name, factors)
            row: dict[str, Any] = {
                "key": FIELD_LABELS[name],
                "value": value,
                "part": part,
                "href": reverse("assessment:part", args=[assessment.pk, part.key])
                if editable
                else "",
            }
            if with_changes and previous is not None:
                old = _shown_value(previous, name, previous_factors)
                row["changed"] = old != value
                row["diff"] = word_diff(old, value) if old != value else ""
            rows.append(row)
    return rows


def _assessment(request: AuthenticatedRequest, assessment_id: int, page: str) -> Assessment:
    found = selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    open_child(request, found.child, target=found, page=page)
    return found


@login_required
@permission_required(permissions.WRITE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def start(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Start the child and family assessment on a case."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    require(request, "assessment.work_on_case_object", case)
    open_child(request, case.child, target=case, page="assessment-start")
    form = StartAssessmentForm(posted(request), initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                actor=request.actor, case=case, start_date=form.cleaned_data["start_date"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(assessment.get_absolute_url())
    return render(
        request,
        "assessment/form_page.html",
        {
            **header_context(case.child),
            "case": case,
            "form": form,
            "title": "Start the child and family assessment",
            "intro": "The assessment is due 45 working days from the referral. You can write "
            "it part by part; each part saves as you go.",
            "button": "Start the assessment",
        },
    )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_http_methods(["GET"])
@interruptible
def detail(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    """The assessment: a task list while it is being written, the whole of it once submitted."""
    assessment = _assessment(request, assessment_id, "assessment")
    user = request.user
    editable = user.has_perm("assessment.edit_assessment_object", assessment)
    factors = selectors.factor_codes(assessment)
    tasks = [
        {"part": part, "progress": part.progress(assessment, factors).value} for part in parts.PARTS
    ]
    reviews = list(assessment.reviews.all())
    return render(
        request,
        "assessment/assessment.html",
        {
            **header_context(assessment.child),
            "assessment": assessment,
            "case": assessment.case,
            "tasks": tasks,
            "completed": sum(1 for t in tasks if t["progress"] == parts.Progress.COMPLETED),
            "editable": editable,
            "rows": summary_rows(assessment, with_changes=False, editable=False),
            "reviews": reviews,
            "last_return": next(
                (r for r in reversed(reviews) if r.decision == codes.ReviewDecision.RETURNED),
                None,
            ),
            "can_review": user.has_perm("assessment.authorise_assessment_object", assessment),
            "check_url": reverse("assessment:check", args=[assessment.pk]),
        },
    )


def _save_valid(
    request: AuthenticatedRequest, assessment: Assessment, form: Any, part: parts.Part
) -> dict[str, list[str]]:
    """Save what in the form is valid (nothing typed is lost), and say what was not."""
    form.is_valid()
    values = {name: form.cleaned_data[name] for name in part.fields if name in form.cleaned_data}
    errors: dict[str, list[str]] = {name: list(e) for name, e in form.errors.items()}
    if values:
        try:
            services.assessment_save(actor=request.actor, assessment=assessment, values=values)
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                errors.setdefault(name, []).extend(problems)
                if name in form.fields:
                    form.add_error(name, problems)
    return errors


def _after_save(
    request: AuthenticatedRequest, assessment: Assessment, found: parts.Part
) -> HttpResponse:
    """Continue goes to the next part (or "check your answers" after the last); the other
    button goes back to the task list."""
    if request.POST.get("action") == "continue":
        after = parts.part_after(found.key)
        if after is not None:
            return redirect("assessment:part", assessment_id=assessment.pk, key=after.key)
        return redirect("assessment:check", assessment_id=assessment.pk)
    messages.success(request, f"{found.title} is saved")
    return redirect(assessment.get_absolute_url())


@login_required
@permission_required(permissions.WRITE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def part(request: AuthenticatedRequest, assessment_id: int, key: str) -> HttpResponse:
    """One part of the assessment, beside the previous assessment's answer when there is one.
    Continue saves it; with JavaScript it also saves a few seconds after typing stops."""
    autosave = is_autosave(request)
    assessment = _assessment(request, assessment_id, "" if autosave else f"assessment-{key}")
    found = parts.PARTS_BY_KEY.get(key)
    if found is None:
        raise Http404("No such part of the assessment")
    if not request.user.has_perm("assessment.edit_assessment_object", assessment):
        if autosave:
            return autosave_response(
                {"__all__": ["This assessment can no longer be changed"]}, status=409
            )
        raise PermissionDenied
    form_class = part_form_class(found)
    factors = selectors.factor_codes(assessment)
    initial = found.values(assessment, factors)
    if request.method == "POST" and "copy" in request.POST:
        try:
            services.assessment_copy_previous(
                actor=request.actor, assessment=assessment, part_key=found.key
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The previous assessment's answers are copied: check them")
        return redirect("assessment:part", assessment_id=assessment.pk, key=found.key)
    form = form_class(
        request.POST if request.method == "POST" else None, initial=initial, part=found
    )
    if request.method == "POST":
        errors = _save_valid(request, assessment, form, found)
        if autosave:
            return autosave_response(errors)
        if not errors:
            return _after_save(request, assessment, found)
    previous = assessment.previous
    previous_factors = selectors.factor_codes(previous) if previous else []
    return render(
        request,
        "assessment/part.html",
        {
            **header_context(assessment.child),
            "assessment": assessment,
            "case": assessment.case,
            "part": found,
            "form": form,
            "factor_groups": codes.FACTOR_GROUPS if found.key == "factors" else (),
            "previous": previous,
            "previous_rows": [
                {"key": FIELD_LABELS[name], "value": _shown_value(previous, name, previous_factors)}
                for name in found.fields
            ]
            if previous
            else [],
            "next_part": parts.part_after(found.key),
        },
    )


@login_required
@permission_required(permissions.WRITE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def check(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    """Check your answers, then send the assessment to the team manager."""
    assessment = _assessment(
        request, assessment_id, "assessment-check" if request.method == "GET" else ""
    )
    require(request, "assessment.edit_assessment_object", assessment)
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            services.assessment_submit(actor=request.actor, assessment=assessment)
        except ValidationError as error:
            problems = [
                (message, reverse("assessment:part", args=[assessment.pk, key]))
                for key, messages_ in error.message_dict.items()
                for message in messages_
            ]
        else:
            messages.success(
                request,
                "The assessment is sent to your team manager for authorisation",
            )
            return redirect(assessment.get_absolute_url())
    else:
        factors = selectors.factor_codes(assessment)
        problems = [
            (
                parts.factor_problem(factors) or p.missing if p.key == "factors" else p.missing,
                reverse("assessment:part", args=[assessment.pk, p.key]),
            )
            for p in parts.missing_parts(assessment, factors)
        ]
    return render(
        request,
        "assessment/check.html",
        {
            **header_context(assessment.child),
            "assessment": assessment,
            "case": assessment.case,
            "rows": summary_rows(assessment, with_changes=True, editable=True),
            "problems": problems,
            "submitted": request.method == "POST",
        },
    )


@login_required
@permission_required(permissions.AUTHORISE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def review(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    """The team manager reads the assessment and authorises it or returns it with comments."""
    assessment = _assessment(
        request, assessment_id, "assessment-review" if request.method == "GET" else ""
    )
    require(request, "assessment.authorise_assessment_object", assessment)
    form = ReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == codes.ReviewDecision.RETURNED:
                services.assessment_return(
                    actor=request.actor, assessment=assessment, comments=data["comments"]
                )
                messages.success(request, f"The assessment is returned to {assessment.worker}")
            else:
                services.assessment_authorise(
                    actor=request.actor, assessment=assessment, comments=data["comments"]
                )
                messages.success(request, "The assessment is authorised")
        except ValidationError as error:
            add_errors(form, error, aliases={"decision": "decision"})
        else:
            return redirect(assessment.get_absolute_url())
    return render(
        request,
        "assessment/review.html",
        {
            **header_context(assessment.child),
            "assessment": assessment,
            "case": assessment.case,
            "rows": summary_rows(assessment, with_changes=True, editable=False),
            "reviews": list(assessment.reviews.all()),
            "form": form,
        },
    )
