"""Who may do what in allocation and assessment.

Team managers allocate referrals (seeing each worker's caseload), authorise or return
assessments with comments, and approve closures. Social workers visit, assess, plan, arrange
services and propose closure, on the cases allocated to them or held in their team. Auditors,
analysts and senior leaders read; so do the other staff who read children's records (front
door, exploitation, missing children, out of hours). Partner agencies and the administrator see
nothing here.

Object rules (the allocated worker, the same team, the manager of the team, not one's own
assessment) are the predicates below, used by views, the API and templates alike
(``user.has_perm("assessment.work_on_case_object", case)``).
"""

from __future__ import annotations

from typing import Any

import rules

from haven.accounts.roles import Role

VIEW = "assessment.view_case"
ALLOCATE = "assessment.allocate_case"
WORK = "assessment.work_on_case"
WRITE = "assessment.write_assessment"
AUTHORISE = "assessment.authorise_assessment"
PLAN = "assessment.manage_cin_plan"
PROPOSE_CLOSURE = "assessment.propose_closure"
APPROVE_CLOSURE = "assessment.approve_closure"

_READERS = {VIEW}
_WORKERS = _READERS | {WORK, WRITE, PLAN, PROPOSE_CLOSURE}

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.SOCIAL_WORKER: _WORKERS,
    Role.TEAM_MANAGER: _WORKERS | {ALLOCATE, AUTHORISE, APPROVE_CLOSURE},
    Role.REFERRAL_AND_ADVICE_OFFICER: _READERS,
    Role.CSE_COORDINATOR: _READERS,
    Role.MISSING_CHILDREN_WORKER: _READERS,
    Role.OUT_OF_HOURS_WORKER: _READERS,
    Role.QUALITY_AUDITOR: _READERS,
    Role.PERFORMANCE_ANALYST: _READERS,
    Role.SENIOR_LEADER: _READERS,
}


def team_ids(user: Any) -> frozenset[int]:
    """The teams whose cases are the user's team's: their own and those they manage. Worked
    out once per user object (one query)."""
    cached = getattr(user, "_assessment_team_ids", None)
    if cached is None:
        from haven.accounts.models import Team

        ids = set(
            Team.objects.filter(manager_id=getattr(user, "pk", None), is_active=True).values_list(
                "pk", flat=True
            )
        )
        if getattr(user, "team_id", None) is not None:
            ids.add(user.team_id)
        cached = frozenset(ids)
        user._assessment_team_ids = cached
    return cached


def managed_team_ids(user: Any) -> frozenset[int]:
    """The teams the user manages (the manager named on the team)."""
    cached = getattr(user, "_assessment_managed_ids", None)
    if cached is None:
        from haven.accounts.models import Team

        cached = frozenset(
            Team.objects.filter(manager_id=getattr(user, "pk", None), is_active=True).values_list(
                "pk", flat=True
            )
        )
        user._assessment_managed_ids = cached
    return cached


def _case(obj: Any) -> Any:
    """The case an object belongs to (a case, an episode's case, an assessment, plan...)."""
    from haven.assessment.models import Case

    if isinstance(obj, Case):
        return obj
    return getattr(obj, "case", None) if obj is not None else None


@rules.predicate
def is_allocated_worker(user: Any, obj: Any) -> bool:
    """The case is allocated to the user now."""
    case = _case(obj)
    return case is not None and case.worker_id is not None and case.worker_id == user.pk


@rules.predicate
def is_same_team(user: Any, obj: Any) -> bool:
    """The case is held by the user's team, or a team they manage."""
    case = _case(obj)
    return case is not None and case.team_id is not None and case.team_id in team_ids(user)


@rules.predicate
def is_open_case(user: Any, obj: Any) -> bool:
    case = _case(obj)
    return case is not None and case.episode.is_open


@rules.predicate
def is_editable_assessment(user: Any, obj: Any) -> bool:
    """The assessment is a draft (or returned): not submitted, not authorised."""
    from haven.assessment.models import Assessment

    return isinstance(obj, Assessment) and obj.is_editable


@rules.predicate
def is_submitted_assessment(user: Any, obj: Any) -> bool:
    from haven.assessment.models import Assessment

    return (
        isinstance(obj, Assessment) and obj.submitted_at is not None and obj.authorised_at is None
    )


@rules.predicate
def is_not_author(user: Any, obj: Any) -> bool:
    """A manager does not authorise an assessment they wrote or submitted themselves."""
    return user.pk not in (getattr(obj, "worker_id", None), getattr(obj, "submitted_by_id", None))


@rules.predicate
def has_pending_closure(user: Any, obj: Any) -> bool:
    from haven.assessment.models import Closure

    return isinstance(obj, Closure) and obj.is_pending


@rules.predicate
def is_episode_in_team(user: Any, obj: Any) -> bool:
    """An unallocated referral (an episode) waiting in the user's team's queue, or a case
    held by it."""
    from haven.frontdoor.models import Episode

    if isinstance(obj, Episode):
        return obj.receiving_team_id is not None and obj.receiving_team_id in team_ids(user)
    return bool(is_same_team(user, obj))


def _has(permission: str) -> Any:
    return rules.predicate(
        lambda user, obj=None: bool(user.has_perm(permission)), name=f"has_{permission}"
    )


can_allocate = _has(ALLOCATE)
can_work = _has(WORK)
can_write = _has(WRITE)
can_authorise = _has(AUTHORISE)
can_plan = _has(PLAN)
can_propose = _has(PROPOSE_CLOSURE)
can_approve = _has(APPROVE_CLOSURE)

_holds_case = is_allocated_worker | is_same_team

rules.add_perm("assessment.allocate_object", can_allocate & is_episode_in_team)
rules.add_perm("assessment.work_on_case_object", can_work & is_open_case & _holds_case)
rules.add_perm(
    "assessment.edit_assessment_object",
    can_write & is_editable_assessment & is_open_case & _holds_case,
)
rules.add_perm(
    "assessment.authorise_assessment_object",
    can_authorise & is_submitted_assessment & is_same_team & is_not_author,
)
rules.add_perm("assessment.manage_plan_object", can_plan & is_open_case & _holds_case)
rules.add_perm("assessment.propose_closure_object", can_propose & is_open_case & _holds_case)
rules.add_perm(
    "assessment.approve_closure_object", can_approve & has_pending_closure & is_same_team
)
