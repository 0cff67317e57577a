"""The deadlines of allocation and assessment, from the council's timescale rules.

``first_visit`` (5 working days from the referral, or ``first_visit_urgent``, 24 hours, when
the episode is urgent) and ``assessment`` (45 working days from the referral for a case's first
assessment, from its own start for a later one) are core rules;
this app adds ``cin_plan_review`` (seeded by its migration, changed by administrators like
every rule). Each deadline is worked out once, when its record opens, and stored.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from haven.core import calendar, timescales
from haven.core.timescales import Rule

PLAN_REVIEW = Rule(
    "cin_plan_review",
    "Child in need plan review",
    "the plan starting, then each review",
    3,
    "months",
    "Local: Working Together asks for child in need plans to be reviewed regularly",
)
OWN_RULES = {PLAN_REVIEW.key: PLAN_REVIEW}


def rule_for(key: str) -> Rule:
    """The council's rule, falling back to this app's default for its own keys."""
    try:
        return timescales.rule_get(key)
    except KeyError:
        return OWN_RULES[key]


def due_at(key: str, start: datetime) -> datetime:
    return timescales.apply_rule(rule_for(key), start)


def referral_moment(referral_date: date, received_at: datetime | None) -> datetime:
    """When the referral's clocks start: the moment the concern arrived when that was on the
    referral date, otherwise the office opening on the referral date."""
    tz = calendar.local_tz()
    if received_at is not None and timezone.localtime(received_at, tz).date() == referral_date:
        return received_at
    return day_opens(referral_date)


def day_opens(day: date) -> datetime:
    """The office opening on ``day``: where a clock starts when only its date is known."""
    opens, _ = calendar.office_hours()
    return datetime.combine(day, opens, tzinfo=calendar.local_tz())


def first_visit_due(
    referral_at: datetime, *, urgent: bool, rules: dict[str, Rule] | None = None
) -> datetime:
    """When the first visit is due. ``rules`` (from ``first_visit_rules``) saves a lookup per
    row when a list works out many."""
    key = "first_visit_urgent" if urgent else "first_visit"
    rule = rules[key] if rules is not None else rule_for(key)
    return timescales.apply_rule(rule, referral_at)


def rules_for(keys: tuple[str, ...]) -> dict[str, Rule]:
    """Several of the council's rules in one query (for lists that work out many deadlines)."""
    from haven.core.models import Timescale

    found = {
        row.key: Rule(row.key, row.name, row.start_event, row.length, row.unit, row.source)
        for row in Timescale.objects.filter(key__in=keys)
    }
    return {key: found[key] if key in found else rule_for(key) for key in keys}


def first_visit_rules() -> dict[str, Rule]:
    return rules_for(("first_visit", "first_visit_urgent"))


def assessment_due(referral_at: datetime) -> datetime:
    return due_at("assessment", referral_at)


def plan_review_due(start: date) -> tuple[date, datetime]:
    """The next review's date and moment (end of the working day) after ``start``."""
    moment = due_at(
        PLAN_REVIEW.key, datetime.combine(start, time(12, 0), tzinfo=calendar.local_tz())
    )
    day = timezone.localtime(moment, calendar.local_tz()).date()
    _, closes = calendar.office_hours()
    return day, datetime.combine(day, closes, tzinfo=calendar.local_tz())
