"""Who may do what in child protection work.

Social workers record strategy discussions and the section 47 enquiries, conferences and
plans that follow; team managers chair and see overdue actions; out-of-hours workers record
discussions (and must always say whether each was a formal strategy discussion); CSE
coordinators attend, refer children to multi-agency meetings and run them. Auditors,
analysts and senior leaders read. Partner agency users hold only the two permissions for
records shared with their agency: what they may see is decided entirely by
``selectors.strategy_discussions_shared_with`` (never by ``people.sharing``), so a partner
reaches no child's page, chronology or other record. The administrator sees nothing.
"""

from __future__ import annotations

from typing import Any

import rules

from haven.accounts.roles import Role

VIEW = "protection.view_strategydiscussion"
RECORD = "protection.record_strategy_discussion"
CHAIR = "protection.chair_strategy_discussion"
VIEW_SHARED = "protection.view_shared_discussion"
PARTNER_ACTION = "protection.complete_partner_action"
VIEW_S47 = "protection.view_section47enquiry"
RECORD_CP = "protection.record_child_protection"
VIEW_PLAN = "protection.view_childprotectionplan"
VIEW_MEETING = "protection.view_meeting"
REFER = "protection.refer_to_meeting"
MANAGE_MEETING = "protection.manage_meeting"

_READERS = {VIEW, VIEW_S47, VIEW_PLAN, VIEW_MEETING}

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.SOCIAL_WORKER: _READERS | {RECORD, RECORD_CP, REFER},
    Role.TEAM_MANAGER: _READERS | {RECORD, CHAIR, RECORD_CP, REFER, MANAGE_MEETING},
    Role.OUT_OF_HOURS_WORKER: _READERS | {RECORD},
    Role.CSE_COORDINATOR: _READERS | {REFER, MANAGE_MEETING},
    Role.REFERRAL_AND_ADVICE_OFFICER: _READERS,
    Role.MISSING_CHILDREN_WORKER: _READERS,
    Role.QUALITY_AUDITOR: _READERS,
    Role.PERFORMANCE_ANALYST: _READERS,
    Role.SENIOR_LEADER: _READERS,
    Role.PARTNER: {VIEW_SHARED, PARTNER_ACTION},
}


def _discussion(obj: Any) -> Any:
    from haven.protection.models import StrategyDiscussion

    return obj if isinstance(obj, StrategyDiscussion) else None


@rules.predicate
def is_draft(user: Any, obj: Any) -> bool:
    """The discussion is still being written (not yet recorded and shared)."""
    discussion = _discussion(obj)
    return discussion is not None and discussion.completed_at is None


@rules.predicate
def is_recorded(user: Any, obj: Any) -> bool:
    discussion = _discussion(obj)
    return discussion is not None and discussion.completed_at is not None


@rules.predicate
def is_recorder_or_chair(user: Any, obj: Any) -> bool:
    """The user wrote the record or chairs the discussion."""
    discussion = _discussion(obj)
    user_id = getattr(user, "pk", None)
    return discussion is not None and user_id in (discussion.recorded_by_id, discussion.chair_id)


@rules.predicate
def is_invited_agency(user: Any, obj: Any) -> bool:
    """The user's agency was invited to this recorded discussion (the sharing rule)."""
    from haven.protection.selectors import strategy_discussions_shared_with

    discussion = _discussion(obj)
    if discussion is None:
        return False
    return strategy_discussions_shared_with(user).filter(pk=discussion.pk).exists()


def _has(permission: str) -> Any:
    return rules.predicate(
        lambda user, obj=None: bool(user.has_perm(permission)), name=f"has_{permission}"
    )


can_record = _has(RECORD)
can_chair = _has(CHAIR)

# Object rules, for views, the API and templates alike.
rules.add_perm("protection.edit_draft_discussion", can_record & is_draft)
# After recording, the recorder or chair (or any manager who may chair) may add late
# information and actions; each change makes a new version.
rules.add_perm(
    "protection.amend_discussion", is_recorded & ((can_record & is_recorder_or_chair) | can_chair)
)
rules.add_perm("protection.complete_staff_action", is_recorded & (can_record | can_chair))
rules.add_perm("protection.view_shared_discussion_object", _has(VIEW_SHARED) & is_invited_agency)
