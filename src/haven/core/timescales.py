"""Timescale rules and the deadlines they give.

Every deadline in Haven comes from here: ``due_at("contact_decision", received_at)``. Records
store the result when they open; lists, reports and scorecards read the stored ``due_at``.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils import timezone

from haven.core import calendar


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    start_event: str
    length: int
    unit: str  # one of core.models.Timescale.Unit
    source: str = ""


# The defaults from DESIGN.md. A migration copies them into the database, where the council
# may change them; code that asks for a rule the database lacks falls back to these.
DEFAULTS: tuple[Rule, ...] = (
    Rule(
        "contact_decision",
        "Decision on a contact or referral",
        "the concern arriving",
        1,
        "working_days",
        "Working Together to Safeguard Children",
    ),
    Rule(
        "urgent_contact_decision",
        "Decision on an urgent contact",
        "the concern arriving",
        0,
        "hours",
        "Immediate risk of significant harm: at once",
    ),
    Rule(
        "initial_conference",
        "Initial child protection conference",
        "the strategy discussion that started the section 47 enquiry",
        15,
        "working_days",
        "Working Together to Safeguard Children",
    ),
    Rule(
        "assessment",
        "Child and family assessment",
        "the referral",
        45,
        "working_days",
        "Working Together to Safeguard Children",
    ),
    Rule(
        "first_review_conference",
        "First review child protection conference",
        "the initial conference",
        3,
        "months",
        "Working Together to Safeguard Children",
    ),
    Rule(
        "review_conference",
        "Later review child protection conferences",
        "the previous review conference",
        6,
        "months",
        "Working Together to Safeguard Children",
    ),
    Rule(
        "return_home_interview",
        "Return home interview",
        "the child's return",
        72,
        "hours",
        "Statutory guidance on children who run away or go missing from home or care",
    ),
    Rule(
        "mase_high",
        "MASE consideration, high risk",
        "the referral to MASE",
        7,
        "calendar_days",
        "Local",
    ),
    Rule(
        "mase_medium",
        "MASE consideration, medium risk",
        "the referral to MASE",
        14,
        "calendar_days",
        "Local",
    ),
    Rule(
        "medium_risk_meeting",
        "Medium-risk multi-agency meeting",
        "the referral to the meeting",
        5,
        "working_days",
        "Local",
    ),
    Rule("first_visit", "First visit after referral", "the referral", 5, "working_days", "Local"),
    Rule("first_visit_urgent", "First visit, urgent", "the referral", 24, "hours", "Local"),
)
_DEFAULTS_BY_KEY = {rule.key: rule for rule in DEFAULTS}


class Rag(StrEnum):
    """Red, amber, green: overdue, close to its deadline, in time."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def rule_get(key: str) -> Rule:
    """The council's rule for ``key``: the database row, or the default when there is none."""
    from haven.core.models import Timescale

    row = Timescale.objects.filter(key=key).first()
    if row is None:
        return _DEFAULTS_BY_KEY[key]
    return Rule(row.key, row.name, row.start_event, row.length, row.unit, row.source)


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, _calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def apply_rule(rule: Rule, start: datetime) -> datetime:
    """The deadline ``rule`` gives for a clock started at ``start``."""
    if rule.unit == "working_days":
        return calendar.add_working_days_to_datetime(start, rule.length)
    local = timezone.localtime(start, calendar.local_tz())
    if rule.unit == "calendar_days":
        return local + timedelta(days=rule.length)
    if rule.unit == "hours":
        return local + timedelta(hours=rule.length)
    if rule.unit == "months":
        return _add_months(local, rule.length)
    raise ValueError(f"unknown timescale unit {rule.unit!r}")


def due_at(key: str, start: datetime) -> datetime:
    """When something started at ``start`` is due under the council's rule ``key``."""
    return apply_rule(rule_get(key), start)


def rag(
    due: datetime | None,
    *,
    now: datetime | None = None,
    start: datetime | None = None,
    done: bool = False,
) -> Rag | None:
    """Red when overdue; amber in the last quarter of the time allowed (or the last
    24 hours when the start is not known); green otherwise. None when there is no deadline
    or the work is done."""
    if due is None or done:
        return None
    now = now or timezone.now()
    if now >= due:
        return Rag.RED
    warning = (due - start) / 4 if start is not None and due > start else timedelta(hours=24)
    if due - now <= warning:
        return Rag.AMBER
    return Rag.GREEN


def time_left(due: datetime, *, now: datetime | None = None) -> str:
    """A short, human phrase: "3 hours left", "2 days overdue"."""
    now = now or timezone.now()
    delta = due - now
    overdue = delta.total_seconds() < 0
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        amount, unit = max(1, round(seconds / 60)), "minute"
    elif seconds < 48 * 3600:
        amount, unit = round(seconds / 3600), "hour"
    else:
        amount, unit = round(seconds / 86400), "day"
    phrase = f"{amount} {unit}{'' if amount == 1 else 's'}"
    return f"{phrase} overdue" if overdue else f"{phrase} left"
