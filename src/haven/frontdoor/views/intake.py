"""Email and police intake in the browser: upload a saved email, the quarantine list of
messages that could not be read, the police notifications import and its bad rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.frontdoor import codes, permissions, selectors, services
from haven.frontdoor.forms import PoliceRowForm, PoliceUploadForm, ReasonForm, UploadEmailForm
from haven.frontdoor.models import ContactPerson
from haven.frontdoor.views.common import form_errors_from


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def email_upload(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a saved .eml or Outlook .msg: it becomes a contact needing triage, just as if it
    had arrived in the front door mailbox."""
    form = UploadEmailForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            taken = services.email_upload(
                actor=request.actor, filename=upload.name, data=upload.read()
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            email = taken.email
            if not taken.created and email.contact is not None:
                messages.info(
                    request,
                    f"This email was already taken as contact {email.contact.reference}: "
                    "nothing new was made",
                )
                return redirect(email.contact.get_absolute_url())
            if email.contact is None:
                messages.info(
                    request,
                    "The email could not be read, so it is on the quarantine list with the reason",
                )
                return redirect("frontdoor:email", email.pk)
            messages.success(request, f"Contact {email.contact.reference} made from the email")
            return redirect("frontdoor:people", email.contact.pk)
    return render(request, "frontdoor/email_upload.html", {"form": form})


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
def quarantine(request: AuthenticatedRequest) -> HttpResponse:
    """Messages that could not be read, with the reason, for someone to deal with."""
    page = Paginator(selectors.quarantined_emails(request.user), 50).get_page(
        request.GET.get("page")
    )
    shown = [email.pk for email in page.object_list]
    if shown:  # senders and subjects may name children
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            object_type="frontdoor.inboundemail",
            detail={"page": "quarantine", "emails": shown},
        )
    return render(request, "frontdoor/quarantine.html", {"page": page})


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
def email(request: AuthenticatedRequest, email_id: int) -> HttpResponse:
    """One message from the mailbox. A quarantined one can be made into a contact by hand
    (after reading the original) or dismissed with a reason."""
    found = selectors.email_get(user=request.user, email_id=email_id)
    if found.contact_id and not found.is_in_quarantine:
        return redirect(found.contact.get_absolute_url())  # type: ignore[union-attr]
    make_form = ReasonForm(
        request.POST if request.POST.get("action") == "contact" else None, prefix="contact"
    )
    make_form.fields["reason"].label = "What is the concern in the message?"
    make_form.fields["reason"].help_text = "Read the original first. This starts the contact."
    dismiss_form = ReasonForm(
        request.POST if request.POST.get("action") == "dismiss" else None, prefix="dismiss"
    )
    dismiss_form.fields["reason"].label = "Why is this message not a contact?"
    if request.method == "POST":
        try:
            if request.POST.get("action") == "contact" and make_form.is_valid():
                contact = services.quarantine_make_contact(
                    actor=request.actor, email=found, note=make_form.cleaned_data["reason"]
                )
                messages.success(request, f"Contact {contact.reference} made from the message")
                return redirect("frontdoor:people", contact.pk)
            if request.POST.get("action") == "dismiss" and dismiss_form.is_valid():
                services.quarantine_dismiss(
                    actor=request.actor, email=found, reason=dismiss_form.cleaned_data["reason"]
                )
                messages.success(request, "The message has been taken off the quarantine list")
                return redirect("frontdoor:quarantine")
        except ValidationError as error:
            target = make_form if request.POST.get("action") == "contact" else dismiss_form
            target.add_error("reason", error.messages)
    event_record(
        actor=request.actor,
        action=Event.Action.VIEW,
        target=found,
        detail={"page": "quarantined-email"},
    )
    return render(
        request,
        "frontdoor/email.html",
        {"email": found, "make_form": make_form, "dismiss_form": dismiss_form},
    )


@login_required
@permission_required(permissions.IMPORT_POLICE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def police(request: AuthenticatedRequest) -> HttpResponse:
    """Import a police notifications CSV; the imports so far and the rows still to correct."""
    form = PoliceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.police_import(
                actor=request.actor, filename=upload.name, data=upload.read()
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect("frontdoor:police-import", record.pk)
    return render(
        request,
        "frontdoor/police.html",
        {
            "form": form,
            "imports": selectors.police_imports(request.user)[:20],
            "problems": selectors.police_problems(request.user)[:200],
        },
    )


@login_required
@permission_required(permissions.IMPORT_POLICE, raise_exception=True)
def police_import(request: AuthenticatedRequest, import_id: int) -> HttpResponse:
    """What one import did: contacts made, rows already imported, bad rows with their reasons."""
    record = get_object_or_404(selectors.police_imports(request.user), pk=import_id)
    notifications = list(record.notifications.select_related("contact").order_by("line_number"))
    contacts = [n.contact for n in notifications if n.contact is not None]
    children = sorted(
        set(
            ContactPerson.objects.filter(contact__in=contacts, person__isnull=False).values_list(
                "person_id", flat=True
            )
        )
    )
    # The rows name children as the police gave them (linked or not): the read is audited.
    event_record(
        actor=request.actor,
        action=Event.Action.VIEW,
        target=record,
        detail={
            "page": "police-import",
            "contacts": [c.pk for c in contacts],
            "children": children,
        },
    )
    # Each contact made, with its status now and the time left to decide (as on every list).
    current = {
        c.pk: c
        for c in selectors.with_status(
            selectors.contacts_visible(request.user).filter(pk__in=[c.pk for c in contacts])
        )
    }
    rows = []
    for n in notifications:
        contact = current.get(n.contact_id) if n.contact_id else None
        status = selectors.status_of(contact) if contact is not None else None
        rows.append(
            {
                "notification": n,
                "contact": contact,
                "status": status,
                "colour": codes.STATUS_COLOURS[status] if status else "grey",
            }
        )
    return render(
        request,
        "frontdoor/police_import.html",
        {
            "record": record,
            "problems": record.problems.order_by("line_number"),
            "notifications": rows,
        },
    )


@login_required
@permission_required(permissions.IMPORT_POLICE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def police_problem(request: AuthenticatedRequest, problem_id: int) -> HttpResponse:
    """Correct a bad row and import it, or dismiss it with a reason."""
    problem = get_object_or_404(
        selectors.police_problems(request.user, open_only=False), pk=problem_id
    )
    action = request.POST.get("action", "")
    form = PoliceRowForm(request.POST if action == "import" else None, initial=problem.raw)
    dismiss_form = ReasonForm(request.POST if action == "dismiss" else None, prefix="dismiss")
    dismiss_form.fields["reason"].label = "Why is this row not being imported?"
    reasons: list[str] = list(problem.reasons)
    if request.method == "POST" and problem.is_open:
        try:
            if action == "import" and form.is_valid():
                notification = services.problem_correct(
                    actor=request.actor, problem=problem, values=form.cleaned_data
                )
                messages.success(
                    request,
                    f"Line {problem.line_number} imported as contact "
                    f"{notification.contact.reference}",
                )
                return redirect("frontdoor:police-import", problem.police_import_id)
            if action == "dismiss" and dismiss_form.is_valid():
                services.problem_dismiss(
                    actor=request.actor, problem=problem, reason=dismiss_form.cleaned_data["reason"]
                )
                messages.success(request, f"Line {problem.line_number} dismissed")
                return redirect("frontdoor:police-import", problem.police_import_id)
        except ValidationError as error:
            if action == "import":
                reasons = error.messages
                form_errors_from(form, error)
            else:
                form_errors_from(dismiss_form, error)
    if request.method == "GET":
        # The raw row holds children's names and dates of birth as the police sent them.
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            target=problem,
            detail={
                "page": "police-problem",
                "import": problem.police_import_id,
                "line": problem.line_number,
            },
        )
    return render(
        request,
        "frontdoor/police_problem.html",
        {"problem": problem, "form": form, "dismiss_form": dismiss_form, "reasons": reasons},
    )
