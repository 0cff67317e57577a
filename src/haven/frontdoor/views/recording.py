"""Recording a contact as GOV.UK question pages (and triaging one that arrived by email,
police notification or partner referral): who it is about, who is referring, the concerns,
immediate risk, parental consent, check answers, submit. Each page saves as it goes, so
nothing typed is lost; the clock started when the concern arrived."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.autosave import autosave_response, form_errors, is_autosave
from haven.core.http import AuthenticatedRequest
from haven.frontdoor import codes, permissions, services
from haven.frontdoor.forms import (
    ConcernsForm,
    ConsentForm,
    ReferrerForm,
    RiskForm,
    SearchForm,
    StartForm,
    now_initial,
)
from haven.frontdoor.models import Contact, ContactPerson, InboundEmail
from haven.frontdoor.services.contacts import completion_problems
from haven.frontdoor.views.common import (
    STEPS,
    form_errors_from,
    heading_for,
    interruptible,
    next_step,
    open_contact,
    previous_url,
    require_object,
    step_url,
)
from haven.people import codes as people_codes
from haven.people import selectors as people_selectors
from haven.people import services as people_services
from haven.people.forms import PersonForm

CHANGE = "frontdoor.change_contact_object"
_PENDING_PERSON = "frontdoor.pending_person"


def _context(contact: Contact, step: str, **extra: Any) -> dict[str, Any]:
    """What every question page shows; while triaging, the email or police notification it
    came from, so the questions can be answered from it without leaving the page."""
    triaging = contact.completed_at is None
    return {
        "source_email": (
            InboundEmail.objects.filter(contact=contact).prefetch_related("attachments").first()
            if triaging and contact.channel == codes.Channel.EMAIL
            else None
        ),
        "source_police": (
            getattr(contact, "police_notification", None)
            if triaging and contact.channel == codes.Channel.POLICE
            else None
        ),
        "contact": contact,
        "step": step,
        "steps": STEPS,
        "heading": heading_for(contact),
        "back_url": previous_url(step, contact),
        **extra,
    }


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedRequest) -> HttpResponse:
    """How and when the concern arrived. Saving starts the clock and the contact."""
    form = StartForm(request.POST or None, initial=now_initial())
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_start(
                actor=request.actor,
                channel=form.cleaned_data["channel"],
                received_at=form.cleaned_data["received_at"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect("frontdoor:people", contact.pk)
    return render(request, "frontdoor/record/start.html", {"form": form})


def arrival_editable(contact: Contact) -> bool:
    """Whether how and when the concern arrived may still be corrected: only while it is being
    recorded, and only when a person gave them (the mailbox, the police file and partner
    systems give their own times)."""
    return (
        contact.completed_at is None
        and contact.channel in codes.RECORDED_CHANNELS
        and not InboundEmail.objects.filter(contact=contact).exists()
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def arrival(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Correct how and when the concern arrived, before the contact is submitted: the
    deadline follows the corrected time."""
    contact = open_contact(
        request, contact_id, audit="contact-arrival" if request.method == "GET" else ""
    )
    require_object(request, CHANGE, contact)
    check_url = reverse("frontdoor:check", args=[contact.pk])
    if not arrival_editable(contact):
        messages.info(request, "How and when this concern arrived can no longer be changed")
        return redirect(check_url)
    form = StartForm(
        request.POST or None,
        initial={"channel": contact.channel, "received_at": contact.received_at},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(
                actor=request.actor,
                contact=contact,
                data={
                    "channel": form.cleaned_data["channel"],
                    "received_at": form.cleaned_data["received_at"],
                },
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect(check_url)
    return render(
        request,
        "frontdoor/record/arrival.html",
        {
            "contact": contact,
            "form": form,
            "heading": heading_for(contact),
            "back_url": check_url,
            "from_check": False,
        },
    )


def _audit_search(request: AuthenticatedRequest, query: str, found: list[Any]) -> None:
    event_record(
        actor=request.actor,
        action=Event.Action.SEARCH,
        object_type="people.person",
        detail={"query": query, "results": [m.person.pk for m in found], "page": "contact"},
    )


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if len(parts) < 2:
        return "", name
    return " ".join(parts[:-1]), parts[-1]


def _suggestions(request: AuthenticatedRequest, links: list[ContactPerson]) -> dict[int, list[Any]]:
    """Likely records for each person named by the source but not linked yet."""
    found: dict[int, list[Any]] = {}
    for link in links:
        if link.person_id is not None:
            continue
        first, last = _split_name(link.given_name)
        matches = people_selectors.likely_matches(
            user=request.user,
            first_name=first,
            last_name=last,
            date_of_birth=link.given_date_of_birth,
        )
        if matches:
            _audit_search(request, link.given_name, matches)
        found[link.pk] = matches
    return found


def _offered_relatives(contact: Contact, links: list[ContactPerson]) -> list[dict[str, Any]]:
    """Brothers, sisters, parents and carers of the children added, not on the contact yet."""
    on_contact = {link.person_id for link in links if link.person_id}
    offered: dict[int, dict[str, Any]] = {}
    for link in links:
        person = link.person
        if person is None or link.role != codes.PersonRole.CHILD:
            continue
        for row in people_selectors.relationships_of(person):
            relative = row.relative
            if row.relationship.ended_on is not None or relative.pk in on_contact:
                continue
            if not (row.is_sibling or row.relationship.kind in people_codes.PARENT_KINDS):
                continue
            word = row.label
            if row.is_sibling:
                word = {"M": "Brother", "F": "Sister"}.get(relative.sex, row.label)
                if row.relationship.kind == people_codes.RelationshipKind.HALF_SIBLING:
                    word = f"Half-{word.lower()}"
            offered.setdefault(
                relative.pk,
                {
                    "person": relative,
                    "label": f"{word} of {person.first_name}",
                    "role": codes.PersonRole.CHILD
                    if relative.kind == people_codes.PersonKind.CHILD
                    else codes.PersonRole.ADULT,
                    "lives_with": row.relationship.lives_with,
                },
            )
    return list(offered.values())


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def people(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Who the contact is about: search and add, link people the source named, add brothers
    and sisters offered from relationships, create a record when someone is new."""
    contact = open_contact(
        request, contact_id, audit="contact-people" if request.method == "GET" else ""
    )
    require_object(request, CHANGE, contact)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            response = _people_action(request, contact, action)
        except ValidationError as problem:
            error = "; ".join(problem.messages)
        else:
            if response is not None:
                return response
        contact = open_contact(request, contact_id)
    links = list(contact.people.all())
    search_form = SearchForm(request.GET if "q" in request.GET else None)
    results: list[Any] = []
    if search_form.is_bound and search_form.is_valid():
        query = search_form.cleaned_data["q"].strip()
        on_contact = {link.person_id for link in links}
        results = [
            m
            for m in people_selectors.person_search(user=request.user, query=query, limit=10)
            if m.person.pk not in on_contact
        ]
        _audit_search(request, query, results)
    suggestions = _suggestions(request, links)
    for link in links:
        link.matches = suggestions.get(link.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "frontdoor/record/people.html",
        _context(
            contact,
            "people",
            links=links,
            offered=_offered_relatives(contact, links),
            search_form=search_form,
            results=results,
            error=error,
            from_check=request.GET.get("from") == "check",
        ),
    )


def _people_action(
    request: AuthenticatedRequest, contact: Contact, action: str
) -> HttpResponse | None:
    post = request.POST
    here = step_url("people", contact, from_check=post.get("from") == "check")
    if action == "add":
        person = people_selectors.person_get(
            user=request.user, person_id=int(post.get("person", 0))
        )
        services.contact_person_add(
            actor=request.actor, contact=contact, person=person, role=post.get("role") or None
        )
        messages.success(request, f"{person.full_name} added to the contact")
        return redirect(here)
    if action in ("remove", "link"):
        link = contact.people.filter(pk=int(post.get("link", 0) or 0)).first()
        if link is None:
            raise ValidationError("That person is no longer on this contact")
        if action == "remove":
            services.contact_person_remove(actor=request.actor, link=link)
            messages.success(request, f"{link} taken off the contact")
        else:
            person = people_selectors.person_get(
                user=request.user, person_id=int(post.get("person", 0) or 0)
            )
            services.contact_person_link(actor=request.actor, link=link, person=person)
            messages.success(request, f"{link.given_name} linked to {person.full_name}'s record")
        return redirect(here)
    if action == "continue":
        links = list(contact.people.all())
        if not any(link.person_id and link.role == codes.PersonRole.CHILD for link in links):
            raise ValidationError("Add at least one child the concern is about")
        if any(link.person_id is None for link in links):
            raise ValidationError(
                "Link everyone named to their record, or take them off the contact"
            )
        return redirect(step_url(next_step("people", request), contact))
    raise ValidationError("Choose what to do")


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@permission_required("people.add_person", raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def person_new(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Create a record for someone new and add them (or link them, for someone the source
    named). People who may already be known are shown first. Opening the page shows the
    contact's people: audited."""
    contact = open_contact(
        request, contact_id, audit="person-new" if request.method == "GET" else ""
    )
    require_object(request, CHANGE, contact)
    link_id = request.GET.get("link") or request.POST.get("link") or ""
    link = (
        contact.people.filter(pk=int(link_id), person__isnull=True).first()
        if link_id.isdigit()
        else None
    )
    matches: list[Any] = []
    if request.method == "POST" and request.POST.get("confirm") == "new":
        data = request.session.get(_PENDING_PERSON) or {}
        posted = QueryDict(mutable=True)
        for key, values in data.items():
            posted.setlist(key, values)
        form = PersonForm(posted)
        if form.is_valid():
            return _create_person(request, contact, link, form)
    elif request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            cleaned = form.cleaned_data
            matches = people_selectors.likely_matches(
                user=request.user,
                first_name=cleaned["first_name"],
                last_name=cleaned["last_name"],
                date_of_birth=cleaned.get("date_of_birth") or cleaned.get("expected_date_of_birth"),
                nhs_number=cleaned.get("nhs_number") or "",
            )
            if not matches:
                return _create_person(request, contact, link, form)
            request.session[_PENDING_PERSON] = {
                k: v for k, v in request.POST.lists() if k not in ("csrfmiddlewaretoken", "link")
            }
            _audit_search(request, f"{cleaned['first_name']} {cleaned['last_name']}", matches)
    else:
        initial: dict[str, Any] = {"kind": people_codes.PersonKind.CHILD}
        if link is not None:
            first, last = _split_name(link.given_name)
            initial.update(
                first_name=first,
                last_name=last,
                date_of_birth=link.given_date_of_birth,
                kind=people_codes.PersonKind.CHILD
                if link.role == codes.PersonRole.CHILD
                else people_codes.PersonKind.ADULT,
            )
        form = PersonForm(initial=initial)
    return render(
        request,
        "frontdoor/record/person_new.html",
        {
            "contact": contact,
            "form": form,
            "link": link,
            "matches": matches,
            "languages": people_codes.COMMON_LANGUAGES,
            "back_url": step_url("people", contact),
        },
    )


def _create_person(
    request: AuthenticatedRequest, contact: Contact, link: ContactPerson | None, form: PersonForm
) -> HttpResponse:
    try:
        person = people_services.person_create(actor=request.actor, **form.service_kwargs())
        if link is not None:
            services.contact_person_link(actor=request.actor, link=link, person=person)
        else:
            services.contact_person_add(actor=request.actor, contact=contact, person=person)
    except ValidationError as error:
        form_errors_from(form, error)
        return render(
            request,
            "frontdoor/record/person_new.html",
            {
                "contact": contact,
                "form": form,
                "link": link,
                "matches": [],
                "languages": people_codes.COMMON_LANGUAGES,
                "back_url": step_url("people", contact),
            },
        )
    request.session.pop(_PENDING_PERSON, None)
    messages.success(request, f"Record created for {person.full_name} and added to the contact")
    return redirect("frontdoor:people", contact.pk)


def _question(
    request: AuthenticatedRequest,
    contact_id: int,
    *,
    step: str,
    form_class: Any,
    initial: Any,
    to_data: Any,
    template: str,
) -> HttpResponse:
    contact = open_contact(
        request, contact_id, audit=f"contact-{step}" if request.method == "GET" else ""
    )
    require_object(request, CHANGE, contact)
    form = form_class(request.POST or None, initial=initial(contact))
    if is_autosave(request):
        # The page's script saves the answer as it is typed (``haven/autosave.js``): the
        # contact is the draft, so what is valid goes straight onto it.
        if not form.is_valid():
            return autosave_response(form_errors(form))
        try:
            services.contact_update(actor=request.actor, contact=contact, data=to_data(form))
        except ValidationError as error:
            return autosave_response(error.message_dict)
        return autosave_response()
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.actor, contact=contact, data=to_data(form))
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect(step_url(next_step(step, request), contact))
    return render(
        request,
        template,
        _context(contact, step, form=form, from_check=request.GET.get("from") == "check"),
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def referrer(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Who is referring: the CIN referral source, their name, organisation and how to reach them."""
    fields = [
        "source",
        "referrer_name",
        "referrer_role",
        "referrer_organisation",
        "referrer_phone",
        "referrer_email",
    ]
    return _question(
        request,
        contact_id,
        step="referrer",
        form_class=ReferrerForm,
        initial=lambda c: {name: getattr(c, name) for name in fields},
        to_data=lambda form: {name: form.cleaned_data.get(name, "") for name in fields},
        template="frontdoor/record/referrer.html",
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def concerns(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """The concerns: the council's categories and the concerns in words."""
    return _question(
        request,
        contact_id,
        step="concerns",
        form_class=ConcernsForm,
        initial=lambda c: {
            "concern_categories": list(c.concern_categories.all()),
            "concern_summary": c.concern_summary,
        },
        to_data=lambda form: {
            "concern_categories": list(form.cleaned_data["concern_categories"]),
            "concern_summary": form.cleaned_data["concern_summary"],
        },
        template="frontdoor/record/concerns.html",
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def risk(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Immediate risk of significant harm: yes makes the contact urgent."""
    return _question(
        request,
        contact_id,
        step="risk",
        form_class=RiskForm,
        initial=lambda c: {
            "immediate_risk": {True: "yes", False: "no"}.get(c.immediate_risk, ""),
            "immediate_risk_detail": c.immediate_risk_detail,
        },
        to_data=lambda form: form.service_data(),
        template="frontdoor/record/risk.html",
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def consent(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Parental consent: given, refused, or not sought with the reason."""
    return _question(
        request,
        contact_id,
        step="consent",
        form_class=ConsentForm,
        initial=lambda c: {
            "consent": c.consent,
            "refused_detail": c.consent_detail if c.consent == codes.Consent.REFUSED else "",
            "not_sought_reason": c.consent_detail if c.consent == codes.Consent.NOT_SOUGHT else "",
        },
        to_data=lambda form: form.service_data(),
        template="frontdoor/record/consent.html",
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def check(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Check your answers, then submit: the contact is complete and goes for a decision."""
    contact = open_contact(
        request, contact_id, audit="contact-check" if request.method == "GET" else ""
    )
    require_object(request, CHANGE, contact)
    problems: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.contact_complete(actor=request.actor, contact=contact)
        except ValidationError as error:
            problems = {name: "; ".join(msgs) for name, msgs in error.message_dict.items()}
        else:
            return redirect("frontdoor:done", contact.pk)
    elif request.GET.get("show") == "problems":
        problems = completion_problems(contact)
    return render(
        request,
        "frontdoor/record/check.html",
        _context(
            contact,
            "check",
            problems=[
                (message, step_url(_problem_step(name), contact, from_check=True))
                for name, message in problems.items()
            ],
            categories=list(contact.concern_categories.all()),
            change_arrival=arrival_editable(contact),
        ),
    )


def _problem_step(name: str) -> str:
    return {
        "people": "people",
        "source": "referrer",
        "concern_summary": "concerns",
        "immediate_risk": "risk",
        "immediate_risk_detail": "risk",
        "consent": "consent",
        "consent_detail": "consent",
    }.get(name, "check")


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@interruptible
def done(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """The confirmation panel, with what happens next."""
    contact = open_contact(request, contact_id)
    if contact.completed_at is None:
        return redirect("frontdoor:check", contact.pk)
    return render(
        request,
        "frontdoor/record/done.html",
        {"contact": contact, "my_work": reverse("core:my-work")},
    )
