"""Finding a person, and creating one after checking they are not already known."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.people import codes, matching, selectors, services
from haven.people.forms import PersonForm, SearchForm

SEARCH_LIMIT = 20
_PENDING = "people.pending_create"


@login_required
@permission_required("people.view_person", raise_exception=True)
def search(request: AuthenticatedRequest) -> HttpResponse:
    """One box: names, dates of birth, postcodes, NHS numbers, LA IDs. An identifier that
    finds one person opens their record."""
    form = SearchForm(request.GET or None)
    query = (request.GET.get("q") or "").strip()[:200]
    parsed = matching.parse_query(query) if query else None
    results: list[selectors.PersonMatch] = []
    if parsed is not None and not parsed.is_empty:
        results = selectors.person_search(
            user=request.user,
            query=parsed,
            limit=SEARCH_LIMIT,
        )
        event_record(
            actor=request.actor,
            action=Event.Action.SEARCH,
            object_type="people.person",
            detail={"query": query, "results": [m.person.pk for m in results]},
        )
        by_identifier = (parsed.nhs_number or parsed.identifier) and not (
            parsed.names or parsed.dates or parsed.postcode
        )
        if by_identifier and len(results) == 1:
            return redirect(results[0].person.get_absolute_url())
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "query": query,
            "parsed": parsed,
            "results": results,
            "can_add": request.user.has_perm("people.add_person"),
        },
    )


@login_required
@permission_required("people.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedRequest) -> HttpResponse:
    """Add a person. Before saving, people who may already be known are shown first; the
    user opens one of them or confirms that this is someone new."""
    if request.method == "POST" and request.POST.get("confirm") == "new":
        data = request.session.get(_PENDING)
        if not data:
            messages.info(request, "Enter the person's details again: the form had expired.")
            return redirect("people:create")
        posted = QueryDict(mutable=True)
        for key, values in data.items():
            posted.setlist(key, values)
        form = PersonForm(posted)
        if form.is_valid():
            return _create_and_open(request, form)
    elif request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            cleaned = form.cleaned_data
            matches = selectors.likely_matches(
                user=request.user,
                first_name=cleaned["first_name"],
                last_name=cleaned["last_name"],
                date_of_birth=cleaned.get("date_of_birth") or cleaned.get("expected_date_of_birth"),
                nhs_number=cleaned.get("nhs_number") or "",
            )
            if not matches:
                return _create_and_open(request, form)
            request.session[_PENDING] = {
                k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"
            }
            event_record(
                actor=request.actor,
                action=Event.Action.SEARCH,
                object_type="people.person",
                detail={
                    "duplicate_check": f"{cleaned['first_name']} {cleaned['last_name']}",
                    "results": [m.person.pk for m in matches],
                },
            )
            return render(
                request, "people/create_check.html", {"matches": matches, "cleaned": cleaned}
            )
    else:
        initial = _initial_from_query(request.GET.get("q", ""))
        form = PersonForm(initial=initial)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "creating": True, "languages": codes.COMMON_LANGUAGES},
    )


def _initial_from_query(query: str) -> dict[str, Any]:
    """Carry what was searched for into the new-person form."""
    initial: dict[str, Any] = {"kind": codes.PersonKind.CHILD}
    if not query:
        return initial
    parsed = matching.parse_query(query)
    words = [w for w in query.split() if matching.fold(w) in parsed.names]
    if len(words) >= 2:
        initial["first_name"], initial["last_name"] = words[0].title(), words[-1].title()
    elif words:
        initial["last_name"] = words[0].title()
    if parsed.dates:
        initial["date_of_birth"] = parsed.dates[0]
    if parsed.nhs_number:
        initial["nhs_number"] = parsed.nhs_number
    return initial


def _create_and_open(request: AuthenticatedRequest, form: PersonForm) -> HttpResponse:
    try:
        person = services.person_create(
            actor=request.actor,
            **form.service_kwargs(),
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return render(
            request,
            "people/person_form.html",
            {"form": form, "creating": True, "languages": codes.COMMON_LANGUAGES},
        )
    request.session.pop(_PENDING, None)
    messages.success(request, f"Record created for {person.full_name} (LA ID {person.la_id})")
    return redirect(person.get_absolute_url())
