"""Who may do what at the front door.

Referral and advice officers (and the out-of-hours worker) record contacts, triage email,
import police notifications and gather information, but never decide: only social workers and
team managers hold ``frontdoor.decide_contact``. Team managers add oversight notes and
countersign. Partner agency users refer children and see only the status of their own
agency's referrals. Administrators configure levels of need, concern categories and the
cumulative-harm pattern, and see no contacts.
"""

from __future__ import annotations

from typing import Any

import rules

from haven.accounts.roles import Role

VIEW = "frontdoor.view_contact"
RECORD = "frontdoor.record_contact"
DECIDE = "frontdoor.decide_contact"
OVERSEE = "frontdoor.oversee_decision"
ASSIGN = "frontdoor.assign_contact"
IMPORT_POLICE = "frontdoor.import_police_notifications"
VIEW_REPORT = "frontdoor.view_workflow_report"
REFER = "frontdoor.refer_child"
VIEW_EPISODE = "frontdoor.view_episode"

_RECORDERS = {VIEW, RECORD, IMPORT_POLICE, VIEW_EPISODE}
_READERS = {VIEW, VIEW_EPISODE}

# The configuration screens for levels of need, concern categories and the cumulative-harm
# pattern are opened with ``core.manage_configuration`` (see ``admin.ConfigurationAdmin``), so
# the administrator holds no front-door permission at all: nothing about children.
CONFIGURE = "core.manage_configuration"

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.REFERRAL_AND_ADVICE_OFFICER: _RECORDERS,
    Role.OUT_OF_HOURS_WORKER: _RECORDERS,
    Role.SOCIAL_WORKER: _RECORDERS | {DECIDE, ASSIGN},
    Role.TEAM_MANAGER: _RECORDERS | {DECIDE, ASSIGN, OVERSEE, VIEW_REPORT},
    Role.CSE_COORDINATOR: _READERS,
    Role.MISSING_CHILDREN_WORKER: _READERS,
    Role.QUALITY_AUDITOR: _READERS,
    Role.PERFORMANCE_ANALYST: _READERS | {VIEW_REPORT},
    Role.SENIOR_LEADER: _READERS | {VIEW_REPORT},
    Role.PARTNER: {REFER},
}


def _contact(obj: Any) -> Any:
    from haven.frontdoor.models import Contact

    return obj if isinstance(obj, Contact) else None


@rules.predicate
def is_contact(user: Any, obj: Any) -> bool:
    return _contact(obj) is not None


@rules.predicate
def is_open_contact(user: Any, obj: Any) -> bool:
    """The contact is still waiting for its threshold decision (not decided or withdrawn)."""
    contact = _contact(obj)
    return contact is not None and contact.is_open


@rules.predicate
def is_completed_contact(user: Any, obj: Any) -> bool:
    """The question pages (or triage) are finished, so there is something to decide on."""
    contact = _contact(obj)
    return contact is not None and contact.completed_at is not None


@rules.predicate
def is_decided_contact(user: Any, obj: Any) -> bool:
    contact = _contact(obj)
    return contact is not None and contact.decided_at is not None and contact.withdrawn_at is None


@rules.predicate
def is_incomplete_own_contact(user: Any, obj: Any) -> bool:
    """A contact this user started in the browser and has not finished (started in error)."""
    contact = _contact(obj)
    return (
        contact is not None
        and contact.is_open
        and contact.completed_at is None
        and contact.created_by_id == getattr(user, "pk", None)
    )


@rules.predicate
def is_referrers_agency(user: Any, obj: Any) -> bool:
    """A partner's own agency made this referral."""
    contact = _contact(obj)
    agency_id = getattr(user, "agency_id", None)
    return contact is not None and agency_id is not None and contact.referrer_agency_id == agency_id


can_view = rules.predicate(lambda user, obj=None: bool(user.has_perm(VIEW)), name="can_view")
can_record = rules.predicate(lambda user, obj=None: bool(user.has_perm(RECORD)), name="can_record")
can_decide_perm = rules.predicate(
    lambda user, obj=None: bool(user.has_perm(DECIDE)), name="can_decide_perm"
)
can_oversee_perm = rules.predicate(
    lambda user, obj=None: bool(user.has_perm(OVERSEE)), name="can_oversee_perm"
)
can_refer_perm = rules.predicate(
    lambda user, obj=None: bool(user.has_perm(REFER)), name="can_refer_perm"
)

# Object rules, checked with ``user.has_perm("frontdoor.decide_contact_object", contact)``
# by views, the API and templates alike.
rules.add_perm("frontdoor.change_contact_object", can_record & is_open_contact)
rules.add_perm(
    "frontdoor.decide_contact_object", can_decide_perm & is_open_contact & is_completed_contact
)
# An agency's answer may come after the decision or after the contact was closed: it still
# belongs on the record, so answering needs only the right to record, not an open contact.
rules.add_perm("frontdoor.answer_information_object", can_record & is_contact)
rules.add_perm("frontdoor.review_decision_object", can_decide_perm & is_decided_contact)
# A manager may direct the work before the decision (management oversight of an open
# contact) as well as oversee or countersign it after.
rules.add_perm(
    "frontdoor.oversee_contact_object",
    can_oversee_perm & (is_decided_contact | is_open_contact),
)
rules.add_perm(
    "frontdoor.withdraw_contact_object",
    is_open_contact & (can_decide_perm | (can_record & is_incomplete_own_contact)),
)
rules.add_perm("frontdoor.view_referral_status_object", can_refer_perm & is_referrers_agency)
