"""The duplicates list, comparing two records, merging them and undoing a merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.people import selectors, services
from haven.people.forms import MergeForm, MergeWithForm, UndoMergeForm
from haven.people.models import DuplicateCandidate, Person
from haven.people.views.common import (
    header_context,
    open_person,
    person_page,
    record_view,
    require_reason,
)

PAGE_SIZE = 25


@login_required
@permission_required("people.merge_persons", raise_exception=True)
def duplicates(request: AuthenticatedRequest) -> HttpResponse:
    """Pairs that may be the same person, most likely first, for a manager to work through."""
    status = request.GET.get("status") or DuplicateCandidate.Status.OPEN
    if status not in DuplicateCandidate.Status.values:
        status = DuplicateCandidate.Status.OPEN
    pairs = selectors.duplicate_candidates(user=request.user, status=status)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    # The list shows children's names and dates of birth: who saw which is recorded.
    event_record(
        actor=request.actor,
        action=Event.Action.SEARCH,
        object_type="people.duplicatecandidate",
        detail={
            "status": status,
            "people": sorted({pk for pair in page for pk in (pair.person_a_id, pair.person_b_id)}),
        },
    )
    return render(
        request,
        "people/duplicates.html",
        {"page": page, "status": status, "statuses": DuplicateCandidate.Status.choices},
    )


@login_required
@permission_required("people.merge_persons", raise_exception=True)
@require_http_methods(["GET", "POST"])
@person_page
def merge_with(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """From a person's page: name the other record by its LA ID to compare them."""
    person = open_person(request, person_id)
    form = MergeWithForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = (
            selectors.persons_visible(request.user).filter(la_id=form.cleaned_data["other"]).first()
        )
        if other is None:
            form.add_error("other", "No current record has that LA ID")
        elif other.pk == person.pk:
            form.add_error("other", "Enter the LA ID of a different record")
        else:
            return redirect(f"{reverse('people:compare')}?a={person.pk}&b={other.pk}")
    record_view(request, person, page="merge-with")
    return render(request, "people/merge_with.html", {**header_context(person), "form": form})


def _pair(request: AuthenticatedRequest) -> tuple[Person, Person, DuplicateCandidate | None]:
    candidate = None
    if request.GET.get("pair"):
        try:
            pair_id = int(request.GET["pair"])
        except ValueError:
            raise Http404("No such pair") from None
        candidate = selectors.duplicate_candidate_get(
            user=request.user,
            candidate_id=pair_id,
        )
        return candidate.person_a, candidate.person_b, candidate
    try:
        first_id, second_id = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404("Choose two records to compare") from None
    first = selectors.person_get(user=request.user, person_id=first_id)
    second = selectors.person_get(user=request.user, person_id=second_id)
    return first, second, None


@login_required
@permission_required("people.merge_persons", raise_exception=True)
@require_http_methods(["GET", "POST"])
@person_page
def compare(request: AuthenticatedRequest) -> HttpResponse:
    """Two records side by side. The manager keeps one and merges the other into it, or says
    they are different people. A restricted record asks for its reason first, as on its own
    page. Viewing both is audited."""
    first, second, candidate = _pair(request)
    for person in (first, second):
        require_reason(request, person)
    for person in (first, second):
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            target=person,
            child_id=person.pk,
            detail={"page": "compare"},
        )
    choices = [(str(p.pk), f"Keep {p.full_name}, LA ID {p.la_id}") for p in (first, second)]
    form = MergeForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        kept = first if form.cleaned_data["keep"] == str(first.pk) else second
        duplicate = second if kept == first else first
        try:
            services.person_merge(
                actor=request.actor,
                kept=kept,
                duplicate=duplicate,
                reason=form.cleaned_data["reason"],
                candidate=candidate,
            )
        except ValidationError as error:
            for problem in error.messages:
                form.add_error("reason" if "reason" in problem.lower() else None, problem)
        else:
            messages.success(
                request,
                f"Record {duplicate.la_id} merged into {kept.la_id}. "
                "You can undo this from the record's page.",
            )
            return redirect(kept.get_absolute_url())
    return render(
        request,
        "people/compare.html",
        {
            "first": first,
            "second": second,
            "candidate": candidate,
            "form": form,
            "rows": selectors.compare_rows(first, second),
            "first_relationships": selectors.relationships_of(first),
            "second_relationships": selectors.relationships_of(second),
        },
    )


@login_required
@permission_required("people.merge_persons", raise_exception=True)
@require_POST
def not_duplicate(request: AuthenticatedRequest, candidate_id: int) -> HttpResponse:
    candidate = selectors.duplicate_candidate_get(
        user=request.user,
        candidate_id=candidate_id,
    )
    services.duplicate_mark_not_duplicate(
        actor=request.actor,
        candidate=candidate,
    )
    messages.success(
        request,
        f"{candidate.person_a.full_name} and "
        f"{candidate.person_b.full_name} marked as different people",
    )
    return redirect("people:duplicates")


@login_required
@permission_required("people.merge_persons", raise_exception=True)
@require_http_methods(["GET", "POST"])
@person_page
def merge_undo(request: AuthenticatedRequest, merge_id: int) -> HttpResponse:
    """Undo a merge: every link moves back to the record it came from. A restricted kept
    record (a restricted duplicate makes it so) asks for its reason first."""
    merge = selectors.merge_get(user=request.user, merge_id=merge_id)
    require_reason(request, merge.kept)
    form = UndoMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not merge.is_undone:
        try:
            services.person_merge_undo(
                actor=request.actor,
                merge=merge,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, f"Merge undone: {merge.merged.la_id} is a separate record again"
            )
            return redirect(merge.kept.get_absolute_url())
    for person in (merge.kept, merge.merged):
        record_view(request, person, page="merge-undo")
    return render(request, "people/merge_undo.html", {"merge": merge, "form": form})
