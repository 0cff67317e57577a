"""The twice-daily workflow report: every open contact at one moment, with its age in working
hours, status, owner and time to its deadline, kept as a snapshot and emailed to the managers
of front door teams."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from haven.accounts.models import Team, User
from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core import timescales
from haven.core.actor import Actor
from haven.core.calendar import working_hours_between
from haven.frontdoor import codes, selectors
from haven.frontdoor.models import Contact, WorkflowReport, WorkflowReportRow

OPEN_STATUSES = (
    codes.Status.NEEDS_TRIAGE,
    codes.Status.AWAITING_INFORMATION,
    codes.Status.AWAITING_DECISION,
)


def _row(report: WorkflowReport, c: Contact, as_of: datetime) -> WorkflowReportRow:
    """One contact (annotated by ``selectors.with_status``) as it stands at ``as_of``."""
    status = selectors.status_of(c)
    rag = timescales.rag(c.due_at, now=as_of, start=c.received_at)
    email = getattr(c, "email", None)
    delay = None
    if email is not None:
        delay = max(0.0, (c.created_at - email.arrived_at).total_seconds() / 60)
    children = [
        link.person.full_name if link.person else f"{link.given_name} (not linked)"
        for link in c.people.all()
        if link.role == codes.PersonRole.CHILD
    ]
    owner = c.assigned_to  # who holds it now: assignment history is not kept
    return WorkflowReportRow(
        report=report,
        contact=c,
        contact_reference=c.reference,
        children="; ".join(children)[:500],
        channel=c.channel,
        team=str(c.team or "")[:200],
        received_at=c.received_at,
        age_working_hours=round(working_hours_between(c.received_at, as_of), 2),
        status=status.value,
        owner=owner.full_name if owner else "",
        due_at=c.due_at,
        hours_to_deadline=round((c.due_at - as_of).total_seconds() / 3600, 2),
        rag=rag.value if rag else "",
        is_urgent=bool(c.immediate_risk),
        is_domestic_abuse=c.is_domestic_abuse,
        email_delay_minutes=round(delay, 1) if delay is not None else None,
    )


def workflow_report_make(
    *, actor: Actor, as_of: datetime | None = None, send: bool = True
) -> WorkflowReport:
    """Make and keep the report of every open contact as it stands at ``as_of`` (now), with
    totals by status, channel and RAG; then email the front door managers (after commit)."""
    as_of = as_of or timezone.now()
    trigger = (
        WorkflowReport.Trigger.SCHEDULED
        if actor.user is None
        else WorkflowReport.Trigger.ON_REQUEST
    )
    contacts = list(selectors.open_contacts_for_report(as_of=as_of))
    with transaction.atomic():
        report = WorkflowReport.objects.create(
            as_of=as_of, trigger=trigger, generated_by=actor.user
        )
        rows = [_row(report, contact, as_of) for contact in contacts]
        WorkflowReportRow.objects.bulk_create(rows, batch_size=500)
        report.contact_count = len(rows)
        report.totals = _totals(rows)
        report.save(update_fields=["contact_count", "totals"])
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=report,
            detail={"as_of": as_of.isoformat(), "contacts": len(rows)},
        )
        if send:
            transaction.on_commit(lambda: workflow_report_send(report=report))
    return report


def _totals(rows: list[WorkflowReportRow]) -> dict[str, object]:
    by_status = Counter(row.status for row in rows)
    by_channel = Counter(row.channel for row in rows)
    by_rag = Counter(row.rag or "none" for row in rows)
    delays = sorted(r.email_delay_minutes for r in rows if r.email_delay_minutes is not None)
    return {
        "status": {s.value: by_status.get(s.value, 0) for s in OPEN_STATUSES},
        "channel": {c.value: by_channel[c.value] for c in codes.Channel if by_channel.get(c.value)},
        "rag": {key: by_rag.get(key, 0) for key in ("red", "amber", "green")},
        "domestic_abuse": sum(1 for r in rows if r.is_domestic_abuse),
        "urgent": sum(1 for r in rows if r.is_urgent),
        "unassigned": sum(1 for r in rows if not r.owner),
        "email_delay_median_minutes": delays[len(delays) // 2] if delays else None,
        "email_delay_max_minutes": delays[-1] if delays else None,
    }


def report_recipients() -> list[User]:
    """The managers of the front door: each active front door team's manager and the team
    managers who work in those teams."""
    teams = Team.objects.filter(kind=Team.Kind.FRONT_DOOR, is_active=True)
    found = {
        user.pk: user
        for user in User.objects.filter(managed_teams__in=teams, is_active=True).distinct()
    }
    for user in User.objects.filter(
        team__in=teams, is_active=True, groups__name=Role.TEAM_MANAGER.label
    ).distinct():
        found[user.pk] = user
    return sorted(found.values(), key=lambda u: u.email)


def workflow_report_send(*, report: WorkflowReport) -> list[str]:
    """Email the report's totals and contact list (references, no names) to the managers."""
    recipients = [user.email for user in report_recipients()]
    if not recipients:
        return []
    base = getattr(settings, "HAVEN_BASE_URL", "http://127.0.0.1:8000")
    rows = list(report.rows.order_by("due_at", "id"))
    body = render_to_string(
        "frontdoor/email/workflow_report.txt",
        {
            "report": report,
            "rows": rows,
            "link": f"{base}{report.get_absolute_url()}",
            "service_name": settings.HAVEN_SERVICE_NAME,
            "statuses": dict(codes.Status.choices),
            "channels": dict(codes.Channel.choices),
        },
    )
    local = timezone.localtime(report.as_of)
    send_mail(
        f"Front door workflow report, {local:%-d %B %Y %H:%M}: {report.contact_count} open",
        body,
        None,
        recipients,
    )
    WorkflowReport.objects.filter(pk=report.pk).update(
        emailed_to=recipients, emailed_at=timezone.now()
    )
    return recipients
