"""The twice-daily workflow report: ages in working hours (England bank holidays skipped),
time to deadline, totals, kept for reading later and emailed to front door managers."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from haven.core import scheduling
from haven.core.actor import Actor
from haven.frontdoor import codes, services
from haven.frontdoor.models import InboundEmail, WorkflowReport
from tests.factories.frontdoor import ContactFactory, InformationRequestFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
SYSTEM = Actor.system("tests")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def _contact_received(when: datetime, **kwargs):
    return ContactFactory(
        received_at=when,
        due_at=services.contact_due_at(received_at=when, urgent=False),
        **kwargs,
    )


def test_ages_in_working_hours_across_the_easter_bank_holidays(front_door, siblings):
    # Thursday before Good Friday, 15:00. Good Friday and Easter Monday are bank holidays.
    contact = _contact_received(at(2025, 4, 17, 15, 0), team=front_door, children=[siblings[0]])
    assert contact.due_at == at(2025, 4, 22, 15, 0)  # one working day: the Tuesday
    with time_machine.travel(at(2025, 4, 22, 8, 30), tick=False):
        report = services.workflow_report_make(actor=SYSTEM, send=False)
    row = report.rows.get()
    assert row.age_working_hours == 2.0  # 15:00 to 17:00 on the Thursday, nothing since
    assert row.hours_to_deadline == 6.5
    assert row.rag == "amber"
    assert row.status == codes.Status.AWAITING_DECISION
    assert row.children == "Amy Carter"


def test_ages_across_the_early_may_bank_holiday_and_overdue_ones(front_door):
    friday = _contact_received(at(2025, 5, 2, 16, 0), team=front_door)
    older = _contact_received(at(2025, 4, 30, 10, 0), team=front_door, completed_at=None)
    with time_machine.travel(at(2025, 5, 6, 13, 30), tick=False):
        report = services.workflow_report_make(actor=SYSTEM, send=False)
    rows = {row.contact_id: row for row in report.rows.all()}
    assert rows[friday.pk].age_working_hours == 5.5  # Fri 16-17, Tue 09-13:30
    assert rows[friday.pk].hours_to_deadline == 2.5
    # Wed 30 Apr 10:00: 7 + Thu 8 + Fri 8 + Tue 4.5 = 27.5 working hours; due Thu 1 May 10:00.
    assert rows[older.pk].age_working_hours == 27.5
    assert rows[older.pk].rag == "red"
    assert rows[older.pk].hours_to_deadline < 0
    assert rows[older.pk].status == codes.Status.NEEDS_TRIAGE
    assert report.totals["status"] == {
        "needs_triage": 1,
        "awaiting_information": 0,
        "awaiting_decision": 1,
    }
    assert report.totals["rag"] == {"red": 1, "amber": 1, "green": 0}


def test_totals_by_channel_domestic_abuse_and_email_delay(front_door):
    now = at(2025, 6, 10, 10, 0)
    with time_machine.travel(now, tick=False):
        _contact_received(
            now - timedelta(hours=1), team=front_door, channel="police", is_domestic_abuse=True
        )
        emailed = _contact_received(now - timedelta(minutes=50), team=front_door, channel="email")
        InformationRequestFactory(
            contact=_contact_received(now - timedelta(hours=2), team=front_door)
        )
        # The email reached the mailbox 3 minutes before its contact was made.
        InboundEmail.objects.create(
            message_key="k1",
            source="mailbox",
            arrived_at=emailed.created_at - timedelta(minutes=3),
            raw="frontdoor/email/x.eml",
            contact=emailed,
        )
        report = services.workflow_report_make(actor=SYSTEM, send=False)
    assert report.totals["channel"] == {"phone": 1, "email": 1, "police": 1}
    assert report.totals["domestic_abuse"] == 1
    assert report.totals["status"]["awaiting_information"] == 1
    assert report.rows.get(contact=emailed).email_delay_minutes == 3.0
    assert report.totals["email_delay_median_minutes"] == 3.0


def test_decided_and_withdrawn_contacts_are_not_in_it(front_door):
    _contact_received(at(2025, 6, 10, 9, 0), team=front_door, decided_at=at(2025, 6, 10, 9, 30))
    _contact_received(at(2025, 6, 10, 9, 0), team=front_door, withdrawn_at=at(2025, 6, 10, 9, 30))
    with time_machine.travel(at(2025, 6, 10, 13, 30), tick=False):
        assert services.workflow_report_make(actor=SYSTEM, send=False).contact_count == 0


def test_it_runs_at_the_set_times_on_working_days_and_emails_the_managers(
    front_door, team_manager, social_worker, django_capture_on_commit_callbacks
):
    _contact_received(at(2025, 4, 17, 15, 0), team=front_door)
    # 08:30 on Easter Monday: a bank holiday, so no report.
    with time_machine.travel(at(2025, 4, 21, 8, 31), tick=False):
        assert "frontdoor-workflow-report" not in scheduling.run_due()
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(at(2025, 4, 22, 8, 31), tick=False),
    ):
        assert "frontdoor-workflow-report" in scheduling.run_due()
    report = WorkflowReport.objects.get()
    assert report.trigger == WorkflowReport.Trigger.SCHEDULED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [team_manager.email]
    assert "1 open" in message.subject
    assert report.rows.get().contact_reference in message.body
    assert "Amy" not in message.body
    report.refresh_from_db()
    assert report.emailed_to == [team_manager.email]


def test_the_times_come_from_settings(settings):
    from haven.frontdoor.apps import report_times

    settings.HAVEN_WORKFLOW_REPORT_TIMES = ["07:45", "12:15", "16:00"]
    assert [t.strftime("%H:%M") for t in report_times()] == ["07:45", "12:15", "16:00"]


def test_managers_read_any_past_report_and_others_cannot(client, team_manager, rao, front_door):
    _contact_received(at(2025, 4, 17, 15, 0), team=front_door)
    with time_machine.travel(at(2025, 4, 22, 8, 30), tick=False):
        first = services.workflow_report_make(actor=SYSTEM, send=False)
    with time_machine.travel(at(2025, 4, 22, 13, 30), tick=False):
        services.workflow_report_make(actor=SYSTEM, send=False)
    client.force_login(team_manager)
    listing = client.get(reverse("frontdoor:reports")).content.decode()
    assert "Tuesday 22 April 2025, 08:30" in listing
    assert "Tuesday 22 April 2025, 13:30" in listing
    page = client.get(first.get_absolute_url()).content.decode()
    assert "2.0" in page
    assert "6.5 hours left" in page
    made = client.post(reverse("frontdoor:report-now"))
    assert made.status_code == 302
    client.force_login(rao)
    assert client.get(first.get_absolute_url()).status_code == 403
