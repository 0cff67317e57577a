"""The child's page and the changes made from it: details, addresses, relationships."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.people import chronology, codes, identifiers, matching, sections, selectors, services
from haven.people.forms import (
    AddressForm,
    ChronologyFilterForm,
    PersonForm,
    PersonNameForm,
    ReasonForm,
    RelationshipForm,
)
from haven.people.models import Person, Relationship
from haven.people.views.common import (
    grant_restricted_access,
    header_context,
    open_person,
    person_page,
    record_view,
)

CHRONOLOGY_PAGE_SIZE = 25


@login_required
@permission_required("people.view_person", raise_exception=True)
@person_page
def person(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The child's page: who they are, their household (siblings first), school, addresses,
    alerts, and the chronology, filtered by kind and period. Every view is audited."""
    person = open_person(request, person_id, audit="person")
    filter_form = ChronologyFilterForm(request.GET or None)
    filters = selectors.ChronologyFilter()
    if filter_form.is_valid():
        data = filter_form.cleaned_data
        filters = selectors.ChronologyFilter(
            kinds=tuple(data.get("kind") or ()),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    entries = selectors.chronology_for(
        user=request.user,
        person=person,
        filters=filters,
    )
    page = Paginator(entries, CHRONOLOGY_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.kind_label = chronology.kind_label(entry.kind)  # type: ignore[attr-defined]
    relationships = selectors.relationships_of(person)
    user = request.user
    return render(
        request,
        "people/person.html",
        {
            **header_context(person),
            **_identity_details(person),
            "relationships": relationships,
            "siblings": [
                row for row in relationships if row.is_sibling and row.relationship.ended_on is None
            ],
            "addresses": selectors.addresses_of(person),
            "other_names": selectors.other_names_of(person),
            "merges": list(selectors.merges_of(user=user, person=person)),
            "filter_form": filter_form,
            "filtered": bool(filters.kinds or filters.date_from or filters.date_to),
            "page": page,
            "can_change": user.has_perm("people.change_person"),
            "can_merge": user.has_perm("people.merge_persons"),
            "sections": sections.sections_for(request, person),
        },
    )


def _identity_details(person: Person) -> dict[str, str]:
    """The coded and formatted details the page's summary list shows as words."""
    labels = dict(codes.Disability.choices)
    return {
        "nhs_number": identifiers.format_nhs_number(person.nhs_number),
        "disability_labels": ", ".join(
            str(labels.get(code, code)) for code in person.disabilities or ()
        ),
    }


@login_required
@permission_required("people.view_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
def restricted(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """A restricted record interrupts: the reason is asked for, enforced here and audited."""
    person = selectors.person_get(user=request.user, person_id=person_id)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.restricted_access_record(
                actor=request.actor,
                person=person,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
        else:
            grant_restricted_access(request, person)
            return redirect(next_url or person.get_absolute_url())
    return render(
        request, "people/restricted.html", {"person": person, "form": form, "next": next_url}
    )


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@person_page
def edit(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Change a person's details; a changed name is kept as a previous name."""
    person = open_person(request, person_id)
    initial = {name: getattr(person, name) for name in services.persons.PERSON_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            name: value
            for name, value in form.service_kwargs().items()
            if name in services.persons.PERSON_FIELDS
        }
        try:
            services.person_update(
                actor=request.actor,
                person=person,
                data=data,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"{person.full_name}'s details have been changed")
            return redirect(person.get_absolute_url())
    record_view(request, person, page="edit")
    return render(
        request,
        "people/person_form.html",
        {
            **header_context(person),
            "form": form,
            "creating": False,
            "languages": codes.COMMON_LANGUAGES,
        },
    )


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@person_page
def address_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """A new current address; the previous one ends the day they moved in."""
    person = open_person(request, person_id)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_add(
                actor=request.actor,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Address recorded for {person.full_name}")
            return redirect(person.get_absolute_url())
    record_view(request, person, page="address")
    return render(request, "people/address_form.html", {**header_context(person), "form": form})


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@person_page
def name_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Another name they are or were known by: a previous name, an alias, their birth name.
    Search finds them by it."""
    person = open_person(request, person_id)
    form = PersonNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            name = services.person_name_add(
                actor=request.actor,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"{name} recorded as another name for {person.full_name}")
            return redirect(f"{person.get_absolute_url()}#details")
    record_view(request, person, page="name")
    return render(request, "people/name_form.html", {**header_context(person), "form": form})


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@person_page
def relationship_add(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Link a relative: search for them (or add them first), then say how they are related."""
    person = open_person(request, person_id)
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:200]
    found: list[selectors.PersonMatch] = []
    if query:
        found = [
            m
            for m in selectors.person_search(
                user=request.user,
                query=query,
                limit=10,
            )
            if m.person.pk != person.pk
        ]
        # The results show other people's names (and, unless restricted, dates of birth).
        event_record(
            actor=request.actor,
            action=Event.Action.SEARCH,
            object_type="people.person",
            child_id=person.pk,
            detail={
                "query": query,
                "page": "relationship",
                "results": [m.person.pk for m in found],
            },
        )
    choices = [(m.person.pk, _choice_label(m.person)) for m in found]
    form = RelationshipForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        relative = selectors.person_get(
            user=request.user,
            person_id=form.cleaned_data["relative"],
        )
        try:
            services.relationship_add(
                actor=request.actor,
                person=person,
                relative=relative,
                kind=form.cleaned_data["kind"],
                lives_with=form.cleaned_data["lives_with"],
                started_on=form.cleaned_data.get("started_on"),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"{relative.full_name} linked to {person.full_name}")
            return redirect(person.get_absolute_url())
    record_view(request, person, page="relationship")
    return render(
        request,
        "people/relationship_form.html",
        {
            **header_context(person),
            "form": form,
            "query": query,
            "found": found,
            "parsed": matching.parse_query(query) if query else None,
        },
    )


def _choice_label(person: Person) -> str:
    born = person.date_of_birth.strftime("%-d %B %Y") if person.date_of_birth else "not known"
    if person.is_restricted:
        return f"{person.full_name} (restricted record)"
    return f"{person.full_name}, born {born}, LA ID {person.la_id}"


@login_required
@permission_required("people.change_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@person_page
def relationship_end(
    request: AuthenticatedRequest, person_id: int, relationship_id: int
) -> HttpResponse:
    """End a relationship (both ways). It stays in the history."""
    person = open_person(request, person_id)
    relationship = get_object_or_404(
        Relationship, pk=relationship_id, person=person, ended_on__isnull=True
    )
    if request.method == "POST":
        services.relationship_end(
            actor=request.actor,
            relationship=relationship,
        )
        messages.success(
            request,
            f"{relationship.relative.full_name} is no longer recorded as "
            f"{person.full_name}'s {relationship.get_kind_display().lower()}",
        )
        return redirect(person.get_absolute_url())
    record_view(request, person, page="relationship-end")
    context: dict[str, Any] = {**header_context(person), "relationship": relationship}
    return render(request, "people/relationship_end.html", context)
