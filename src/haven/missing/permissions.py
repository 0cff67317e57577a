"""Who may do what with missing children's records.

Missing-children workers record missing episodes and return home interviews; so do social
workers and team managers. CSE coordinators read the records and the management information
(the exploitation risk of children who go missing is theirs to act on). Analysts, quality
auditors and senior leaders read the records and the management information. Partner agency
users, referral and advice officers, out-of-hours workers and administrators see nothing here.
"""

from __future__ import annotations

from typing import Any

import rules

from haven.accounts.roles import Role

VIEW = "missing.view_missingepisode"
RECORD = "missing.record_missing"
VIEW_MI = "missing.view_missing_information"

_READERS = {VIEW, VIEW_MI}

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.MISSING_CHILDREN_WORKER: {VIEW, RECORD, VIEW_MI},
    Role.SOCIAL_WORKER: {VIEW, RECORD},
    Role.TEAM_MANAGER: {VIEW, RECORD, VIEW_MI},
    Role.CSE_COORDINATOR: _READERS,
    Role.PERFORMANCE_ANALYST: _READERS,
    Role.QUALITY_AUDITOR: _READERS,
    Role.SENIOR_LEADER: _READERS,
}


def _interview(obj: Any) -> Any:
    from haven.missing.models import MissingEpisode, ReturnInterview

    if isinstance(obj, MissingEpisode):
        return getattr(obj, "interview", None)
    return obj if isinstance(obj, ReturnInterview) else None


can_record = rules.predicate(lambda user, obj=None: bool(user.has_perm(RECORD)), name="can_record")


@rules.predicate
def is_linked(user: Any, obj: Any) -> bool:
    """The episode (or the interview's episode) is linked to the child's record."""
    from haven.missing.models import MissingEpisode

    episode = obj if isinstance(obj, MissingEpisode) else getattr(obj, "episode", None)
    return episode is not None and episode.child_id is not None


@rules.predicate
def is_not_on_file(user: Any, obj: Any) -> bool:
    """The interview is not on the child's file yet: what is on file is not rewritten."""
    interview = _interview(obj)
    return interview is not None and interview.placed_on_file_at is None


@rules.predicate
def is_owed(user: Any, obj: Any) -> bool:
    """The child has returned and the interview is not done, declined or decided against."""
    interview = _interview(obj)
    return interview is not None and interview.is_owed


@rules.predicate
def is_done_not_on_file(user: Any, obj: Any) -> bool:
    interview = _interview(obj)
    return (
        interview is not None
        and interview.done_at is not None
        and interview.placed_on_file_at is None
    )


@rules.predicate
def has_returned(user: Any, obj: Any) -> bool:
    interview = _interview(obj)
    return interview is not None and interview.due_at is not None


# Object rules, checked with ``user.has_perm("missing.offer_interview_object", episode)`` by
# views, the API and templates alike.
rules.add_perm("missing.change_episode_object", can_record)
rules.add_perm("missing.link_child_object", can_record)
rules.add_perm(
    "missing.offer_interview_object", can_record & is_linked & has_returned & is_not_on_file
)
rules.add_perm(
    "missing.record_interview_object", can_record & is_linked & has_returned & is_not_on_file
)
rules.add_perm("missing.file_interview_object", can_record & is_linked & is_done_not_on_file)
rules.add_perm("missing.assign_interview_object", can_record & is_linked & is_owed)
