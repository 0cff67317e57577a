"""The front door's sections of "My work" and "Team work": contacts that need triage, that
are awaiting information and that are awaiting a decision, urgent and overdue first, with
filters by channel, urgency, domestic abuse and worker kept in the URL, and assignment.

The three sections share one load (two queries) through the work request's cache.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from haven.core import worklists
from haven.core.forms import choice_field
from haven.frontdoor import codes, permissions, selectors
from haven.frontdoor.models import Contact, ContactPerson

GROUP = "frontdoor"


class QueueFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label="Channel",
        required=False,
        choices=[("", "Any channel"), *codes.Channel.choices],
    )
    urgent = forms.BooleanField(label="Only immediate risk of significant harm", required=False)
    domestic_abuse = forms.BooleanField(label="Only domestic abuse", required=False)
    worker = forms.ChoiceField(label="Worker", required=False, choices=[("", "Anyone")])

    def __init__(self, *args: Any, user: Any, scope: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if scope == worklists.TEAM:
            choice_field(self, "worker").choices = [
                ("", "Anyone"),
                ("unassigned", "Unassigned"),
                *[(str(w.pk), w.full_name) for w in selectors.queue_workers(user)],
            ]
        else:
            del self.fields["worker"]

    def queue_filters(self) -> selectors.QueueFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return selectors.QueueFilters(
            channel=data.get("channel") or "",
            urgent_only=bool(data.get("urgent")),
            domestic_abuse_only=bool(data.get("domestic_abuse")),
            worker=data.get("worker") or "",
        )


# What a row shows (``_row``), and nothing more: a manager's page loads up to 300 contacts.
_ROW_FIELDS = (
    "id",
    "channel",
    "immediate_risk",
    "is_domestic_abuse",
    "due_at",
    "received_at",
    "assigned_to_id",
    "assigned_to__id",
    "assigned_to__full_name",
)


def _row_people() -> Prefetch:
    return Prefetch(
        "people",
        queryset=ContactPerson.objects.select_related("person")
        .only(
            "id",
            "contact_id",
            "role",
            "given_name",
            "person__id",
            "person__first_name",
            "person__last_name",
        )
        .order_by("-role", "id"),
    )


def _load(work: worklists.WorkRequest) -> tuple[list[Contact], dict[str, int]]:
    """The queue's open contacts, at most ``LOADED_ROWS`` of each status in queue order
    (urgent, then by deadline), with how many there are of each status. Three queries for the
    three sections, whatever the size of the queue."""
    if "contacts" not in work.cache:
        filters = selectors.QueueFilters(
            channel=work.filters.get("channel") or "",
            urgent_only=bool(work.filters.get("urgent")),
            domestic_abuse_only=bool(work.filters.get("domestic_abuse")),
            worker=work.filters.get("worker") or "",
        )
        contacts = selectors.open_contacts(user=work.user, scope=work.scope, filters=filters)
        counts = {
            row["status"]: row["n"]
            for row in contacts.values("status").annotate(n=Count("id")).order_by()  # type: ignore[misc]
        }
        in_queue_order = [F("urgent_first").asc(), F("due_at").asc(), F("id").asc()]
        ranked = (
            contacts.only(*_ROW_FIELDS)
            .select_related(None)
            .select_related("assigned_to")
            .prefetch_related(None)
            .prefetch_related(_row_people())
            .annotate(rank=Window(RowNumber(), partition_by=[F("status")], order_by=in_queue_order))
            .filter(rank__lte=worklists.LOADED_ROWS)
        )
        work.cache["contacts"] = (list(ranked), counts)
    return work.cache["contacts"]


def _row(
    contact: Contact, *, user: Any, can_decide: bool, can_assign: bool, can_record: bool
) -> worklists.WorkRow:
    status = codes.Status(getattr(contact, "status", codes.Status.NEEDS_TRIAGE))
    children = tuple(
        worklists.Link(link.person.full_name, link.person.get_absolute_url())
        if link.person is not None
        else worklists.Link(f"{link.given_name} (not linked)", "")
        for link in contact.people.all()
        if link.role == codes.PersonRole.CHILD
    )
    tags: list[worklists.Tag] = []
    if contact.immediate_risk:
        tags.append(worklists.Tag("Immediate risk", "red"))
    if contact.is_domestic_abuse:
        tags.append(worklists.Tag("Domestic abuse", "purple"))
    url = contact.get_absolute_url()
    actions: list[worklists.Action] = []
    links: list[worklists.Link] = []
    if can_record and contact.assigned_to_id is None:
        actions.append(
            worklists.Action(
                "Assign to me", reverse("frontdoor:take", args=[contact.pk]), contact.reference
            )
        )
    if can_decide and status in (
        codes.Status.AWAITING_DECISION,
        codes.Status.AWAITING_INFORMATION,
    ):
        links.append(
            worklists.Link(
                "Decide", reverse("frontdoor:decide", args=[contact.pk]), contact.reference
            )
        )
    elif can_record and status == codes.Status.NEEDS_TRIAGE:
        links.append(
            worklists.Link(
                "Triage" if contact.channel != codes.Channel.PHONE else "Continue",
                reverse("frontdoor:people", args=[contact.pk]),
                contact.reference,
            )
        )
    if can_assign:
        links.append(
            worklists.Link(
                "Reassign" if contact.assigned_to_id else "Assign",
                reverse("frontdoor:assign", args=[contact.pk]),
                contact.reference,
            )
        )
    return worklists.WorkRow(
        item=worklists.Link(f"{contact.reference} {contact.get_channel_display().lower()}", url),
        children=children,
        status=worklists.Tag(status.label, codes.STATUS_COLOURS[status]),
        owner=contact.assigned_to.full_name if contact.assigned_to else "",
        due_at=contact.due_at,
        started_at=contact.received_at,
        tags=tuple(tags),
        detail=f"Arrived {_when(contact)}",
        actions=tuple(actions),
        links=tuple(links),
    )


def _when(contact: Contact) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(contact.received_at):%-d %b %H:%M}"


def _rows_with(statuses: tuple[codes.Status, ...], *, urgent_only: bool = False) -> Any:
    def rows(work: worklists.WorkRequest) -> list[worklists.WorkRow]:
        user = work.user
        can_decide = user.has_perm(permissions.DECIDE)
        can_assign = user.has_perm(permissions.ASSIGN)
        can_record = user.has_perm(permissions.RECORD)
        contacts, counts = _load(work)
        rows = [
            _row(c, user=user, can_decide=can_decide, can_assign=can_assign, can_record=can_record)
            for c in contacts
            if getattr(c, "status", "") in statuses and (not urgent_only or c.immediate_risk)
        ]
        if urgent_only:
            return rows
        return worklists.Rows(rows, total=sum(counts.get(status, 0) for status in statuses))

    return rows


def _urgent_rows(work: worklists.WorkRequest) -> list[worklists.WorkRow]:
    """For a decision maker: every urgent contact in their teams, whoever holds it."""
    user = work.user
    contacts = selectors.open_contacts(
        user=user, scope=worklists.TEAM, filters=selectors.QueueFilters(urgent_only=True)
    )
    return [
        _row(
            c,
            user=user,
            can_decide=True,
            can_assign=user.has_perm(permissions.ASSIGN),
            can_record=user.has_perm(permissions.RECORD),
        )
        for c in contacts
    ]


def register() -> None:
    common = {"group": GROUP, "group_title": "Front door", "filter_form": QueueFilterForm}
    worklists.register(
        worklists.Section(
            key="frontdoor-urgent",
            title="Immediate risk: decide now",
            permission=permissions.DECIDE,
            rows=_urgent_rows,
            order=10,
            scopes=(worklists.MINE,),
            description="Contacts in your teams saying a child is at immediate risk of "
            "significant harm, whoever holds them.",
            empty_text="No contact in your teams says a child is at immediate risk.",
            **common,  # type: ignore[arg-type]
        )
    )
    worklists.register(
        worklists.Section(
            key="frontdoor-triage",
            title="Contacts that need triage",
            permission=permissions.VIEW,
            rows=_rows_with((codes.Status.NEEDS_TRIAGE,)),
            order=20,
            description="Emails, police notifications and partner referrals to link to the "
            "right people and complete, and contacts still being recorded.",
            empty_text="No contacts need triage.",
            **common,  # type: ignore[arg-type]
        )
    )
    worklists.register(
        worklists.Section(
            key="frontdoor-information",
            title="Contacts awaiting information",
            permission=permissions.VIEW,
            rows=_rows_with((codes.Status.AWAITING_INFORMATION,)),
            order=30,
            description="Asked of other agencies and not yet answered. The deadline does not move.",
            empty_text="No contacts are waiting for information.",
            **common,  # type: ignore[arg-type]
        )
    )
    worklists.register(
        worklists.Section(
            key="frontdoor-decision",
            title="Contacts awaiting a decision",
            permission=permissions.VIEW,
            rows=_rows_with((codes.Status.AWAITING_DECISION,)),
            order=40,
            description="Complete and ready for a qualified social worker's threshold decision.",
            empty_text="No contacts are waiting for a decision.",
            **common,  # type: ignore[arg-type]
        )
    )
