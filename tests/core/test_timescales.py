from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from haven.core import timescales
from haven.core.models import Timescale

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def test_every_default_rule_is_seeded_and_editable() -> None:
    keys = set(Timescale.objects.values_list("key", flat=True))
    assert {rule.key for rule in timescales.DEFAULTS} <= keys


def test_contact_decision_is_due_one_working_day_later_across_a_bank_holiday() -> None:
    received = datetime(2026, 12, 24, 11, 0, tzinfo=LONDON)
    assert timescales.due_at("contact_decision", received) == datetime(
        2026, 12, 29, 11, 0, tzinfo=LONDON
    )


def test_initial_conference_is_fifteen_working_days_after_the_strategy_discussion() -> None:
    # 15 working days from Mon 14 Dec 2026 skips Christmas Day and the Boxing Day substitute
    # and New Year's Day: 17 Dec ... lands on Thursday 7 January 2027.
    discussion = datetime(2026, 12, 14, 10, 0, tzinfo=LONDON)
    assert timescales.due_at("initial_conference", discussion).date().isoformat() == "2027-01-07"


def test_a_council_change_to_a_rule_moves_new_deadlines_only() -> None:
    Timescale.objects.filter(key="medium_risk_meeting").update(length=3)
    start = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)  # Monday
    assert timescales.due_at("medium_risk_meeting", start).date().isoformat() == "2026-11-26"


def test_hours_and_months_rules() -> None:
    returned = datetime(2026, 11, 20, 22, 0, tzinfo=LONDON)
    assert timescales.due_at("return_home_interview", returned) == returned + timedelta(hours=72)
    conference = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
    assert timescales.due_at("first_review_conference", conference).date().isoformat() == (
        "2027-02-28"
    )


def test_a_missing_row_falls_back_to_the_default_rule() -> None:
    Timescale.objects.filter(key="assessment").delete()
    assert timescales.rule_get("assessment").length == 45


def test_rag_is_red_when_overdue_amber_in_the_last_quarter_green_before() -> None:
    start = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
    due = start + timedelta(hours=8)
    assert timescales.rag(due, start=start, now=start + timedelta(hours=1)) == timescales.Rag.GREEN
    assert timescales.rag(due, start=start, now=start + timedelta(hours=7)) == timescales.Rag.AMBER
    assert timescales.rag(due, start=start, now=due) == timescales.Rag.RED
    assert timescales.rag(due, start=start, now=due, done=True) is None
    assert timescales.rag(None) is None


def test_time_left_reads_naturally() -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
    assert timescales.time_left(now + timedelta(hours=3), now=now) == "3 hours left"
    assert timescales.time_left(now - timedelta(days=3), now=now) == "3 days overdue"
    assert timescales.time_left(now + timedelta(minutes=1), now=now) == "1 minute left"
