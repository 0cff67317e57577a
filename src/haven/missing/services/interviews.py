"""Return home interviews: who arranges it, the offer (when, by whom, accepted or declined) or
the decision not to offer one, the interview itself with its findings, and placing it on the
child's file.

Each service is one transaction that writes its audit event and the child's chronology entry.
Findings that raise exploitation concerns ask for a CSE screening of the child (the
exploitation app's ``screening_request``), once per interview, in the same transaction.
Chronology entries point at the episode, so they follow it if it is linked to another child.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.missing import permissions
from haven.missing.models import ReturnInterview
from haven.missing.services.common import (
    Errors,
    actor_name,
    add,
    changes,
    check_past,
    check_text,
    raise_if,
    require,
)
from haven.people.models import ChronologyEntry
from haven.people.services import chronology_record

if TYPE_CHECKING:
    from haven.accounts.models import User

EPISODE_TARGET = "missing.missingepisode"


def _locked(interview: ReturnInterview) -> ReturnInterview:
    return (
        ReturnInterview.objects.select_for_update(of=("self",))
        .select_related("episode__child", "offered_by", "done_by", "worker")
        .get(pk=interview.pk)
    )


def _hours_phrase(hours: float) -> str:
    whole = round(hours)
    return f"{whole} hour{'s' if whole != 1 else ''}"


def _entry(
    actor: Actor, interview: ReturnInterview, *, kind: str, occurred_at: datetime, summary: str
) -> None:
    episode = interview.episode
    if episode.child is None:
        return
    existing = ChronologyEntry.objects.filter(
        target_type=EPISODE_TARGET, target_id=str(episode.pk), kind=kind
    )
    if existing.exists():
        existing.update(occurred_at=occurred_at, summary=summary[:300])
        return
    chronology_record(
        actor=actor,
        child=episode.child,
        occurred_at=occurred_at,
        kind=kind,
        summary=summary,
        target=episode,
        url=interview.get_absolute_url(),
    )


def _offer_summary(interview: ReturnInterview) -> str:
    text = f"Return home interview offered by {interview.offered_by_label or 'someone not named'}"
    if interview.accepted is True:
        return text + "; accepted"
    if interview.accepted is False:
        return text + f"; declined: {interview.declined_reason}"
    return text


def _done_summary(interview: ReturnInterview) -> str:
    hours = interview.hours_after_return(interview.episode.returned_at) or 0
    timing = "within 72 hours" if interview.done_in_time else "late"
    return (
        f"Return home interview by {interview.done_by_label or 'someone not named'}, "
        f"{_hours_phrase(hours)} after the return ({timing})"
    )


def _file_summary(interview: ReturnInterview) -> str:
    parts = [
        f"Push factors: {interview.push_factors}",
        f"Pull factors: {interview.pull_factors}",
        f"Where and with whom: {interview.where_and_with_whom}",
    ]
    if interview.exploitation_concerns:
        parts.append("Exploitation concerns: CSE screening asked for")
    return "Return home interview report on file. " + ". ".join(parts)


def chronology_interview(actor: Actor, interview: ReturnInterview) -> None:
    """Write (or bring up to date) the chronology entries for each step the interview has
    reached: for an episode just linked to its child, the steps taken before."""
    if interview.not_offered_at is not None:
        _entry(
            actor,
            interview,
            kind="missing_rhi_not_offered",
            occurred_at=interview.not_offered_at,
            summary=f"Return home interview not offered: {interview.not_offered_reason}",
        )
    if interview.offered_at is not None:
        _entry(
            actor,
            interview,
            kind="missing_rhi_offered",
            occurred_at=interview.offered_at,
            summary=_offer_summary(interview),
        )
    if interview.done_at is not None:
        _entry(
            actor,
            interview,
            kind="missing_rhi_done",
            occurred_at=interview.done_at,
            summary=_done_summary(interview),
        )
    if interview.placed_on_file_at is not None:
        _entry(
            actor,
            interview,
            kind="missing_rhi_on_file",
            occurred_at=interview.placed_on_file_at,
            summary=_file_summary(interview),
        )


def _check_recorder(errors: Errors, field: str, user: User | None) -> None:
    if user is not None and not (user.is_active and user.has_perm(permissions.RECORD)):
        add(errors, field, f"{user.full_name} does not record return home interviews")


def _check_after_return(
    errors: Errors, field: str, moment: datetime | None, interview: ReturnInterview, thing: str
) -> None:
    returned = interview.episode.returned_at
    if moment is not None and returned is not None and moment < returned:
        local = timezone.localtime(returned)
        add(errors, field, f"{thing} must be after the child came back ({local:%-d %B %Y %H:%M})")


def interview_assign(
    *, actor: Actor, interview: ReturnInterview, worker: User | None
) -> ReturnInterview:
    """Give the interview to ``worker`` to arrange (None: back to the team's unassigned
    interviews). Only someone who records interviews can be given one."""
    require(actor, "missing.assign_interview_object", interview)
    errors: Errors = {}
    _check_recorder(errors, "worker", worker)
    raise_if(errors)
    with transaction.atomic():
        interview = _locked(interview)
        previous = interview.worker_id
        if previous == (worker.pk if worker else None):
            return interview
        interview.worker = worker
        interview.assigned_at = timezone.now() if worker else None
        interview.save(update_fields=["worker", "assigned_at", "updated_at"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=interview,
            child_id=interview.episode.child_id,
            detail={"worker": {"old": previous, "new": worker.pk if worker else None}},
        )
    return interview


@dataclass
class Offer:
    """An offer of a return home interview: when, by whom (a Haven user, or the name of
    someone else, such as a commissioned service's worker), and the child's answer so far."""

    offered_at: datetime
    offered_by: Any = None  # a User
    offered_by_name: str = ""
    accepted: bool | None = None
    declined_reason: str = ""


def interview_offer(*, actor: Actor, interview: ReturnInterview, offer: Offer) -> ReturnInterview:
    """Record (or correct) the offer of an interview and the child's answer: accepted,
    declined (with why) or not answered yet. The offer is after the return and not in the
    future; an interview already done stays accepted."""
    require(actor, "missing.offer_interview_object", interview)
    errors: Errors = {}
    if offer.offered_at is None:
        add(errors, "offered_at", "Enter when the interview was offered")
    check_past(errors, "offered_at", offer.offered_at, "When the interview was offered")
    _check_after_return(errors, "offered_at", offer.offered_at, interview, "The offer")
    offered_by = offer.offered_by
    name = (offer.offered_by_name or "").strip()
    if offered_by is None and not name:
        add(errors, "offered_by_name", "Enter the name of the person who offered the interview")
    _check_recorder(errors, "offered_by", offered_by)
    if offer.accepted is False:
        check_text(
            errors,
            "declined_reason",
            offer.declined_reason,
            "Enter why the child declined, in their words if you can",
        )
    if interview.done_at is not None and offer.accepted is not True:
        add(errors, "accepted", "The interview was done, so the child accepted it")
    raise_if(errors)
    fields_changed = ["offered_at", "offered_by", "offered_by_name", "accepted", "declined_reason"]
    with transaction.atomic():
        interview = _locked(interview)
        before = {name_: getattr(interview, name_) for name_ in [*fields_changed, "not_offered_at"]}
        interview.offered_at = offer.offered_at
        interview.offered_by = offered_by
        interview.offered_by_name = name[:200] if offered_by is None else ""
        interview.accepted = offer.accepted
        interview.declined_reason = offer.declined_reason.strip() if offer.accepted is False else ""
        interview.not_offered_at = None
        interview.not_offered_reason = ""
        changed = changes(interview, before, [*fields_changed, "not_offered_at"])
        if not changed:
            return interview
        interview.save()
        event_record(
            actor=actor,
            action=Event.Action.UPDATE if before["offered_at"] else Event.Action.CREATE,
            target=interview,
            child_id=interview.episode.child_id,
            detail={"offer": changed},
        )
        if before["not_offered_at"] is not None:
            ChronologyEntry.objects.filter(
                target_type=EPISODE_TARGET,
                target_id=str(interview.episode_id),
                kind="missing_rhi_not_offered",
            ).delete()
        chronology_interview(actor, interview)
    return interview


def interview_not_offered(
    *, actor: Actor, interview: ReturnInterview, reason: str
) -> ReturnInterview:
    """Record that no interview will be offered, and why (the child lives in another
    council's area, which arranges it). It leaves the queue and counts as not offered."""
    require(actor, "missing.offer_interview_object", interview)
    errors: Errors = {}
    check_text(errors, "reason", reason, "Enter why no interview will be offered")
    if interview.offered_at is not None or interview.done_at is not None:
        add(errors, "reason", "An interview was offered: record the child's answer instead")
    raise_if(errors)
    with transaction.atomic():
        interview = _locked(interview)
        interview.not_offered_at = timezone.now()
        interview.not_offered_reason = reason.strip()
        interview.save(update_fields=["not_offered_at", "not_offered_reason", "updated_at"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=interview,
            child_id=interview.episode.child_id,
            reason=reason.strip(),
            detail={"not_offered": True},
        )
        chronology_interview(actor, interview)
    return interview


@dataclass
class Findings:
    """The interview: when and by whom it was done, and what the child said."""

    done_at: datetime
    done_by: Any = None  # a User
    done_by_name: str = ""
    push_factors: str = ""
    pull_factors: str = ""
    where_and_with_whom: str = ""
    exploitation_concerns: bool | None = None
    exploitation_detail: str = ""
    next_steps: str = ""


FINDING_FIELDS = [f.name for f in fields(Findings)]


def _check_findings(errors: Errors, interview: ReturnInterview, findings: Findings) -> None:
    if findings.done_at is None:
        add(errors, "done_at", "Enter when the interview was done")
    check_past(errors, "done_at", findings.done_at, "When the interview was done")
    _check_after_return(errors, "done_at", findings.done_at, interview, "The interview")
    if findings.done_by is None and not (findings.done_by_name or "").strip():
        add(errors, "done_by_name", "Enter the name of the person who did the interview")
    _check_recorder(errors, "done_by", findings.done_by)
    for name, message in (
        ("push_factors", "Enter what made the child leave, or that they did not say"),
        ("pull_factors", "Enter what drew the child away, or that they did not say"),
        (
            "where_and_with_whom",
            "Enter where the child was and who with, or that they did not say",
        ),
    ):
        check_text(errors, name, getattr(findings, name), message)
    if findings.exploitation_concerns is None:
        add(errors, "exploitation_concerns", "Select whether there are exploitation concerns")
    elif findings.exploitation_concerns:
        check_text(
            errors,
            "exploitation_detail",
            findings.exploitation_detail,
            "Enter what the exploitation concerns are",
        )


def _ask_for_screening(actor: Actor, interview: ReturnInterview) -> None:
    from haven.exploitation.services import screening_request

    episode = interview.episode
    if episode.child is None or interview.cse_screening_request_id is not None:
        return
    request = screening_request(
        actor=actor,
        child=episode.child,
        reason=f"Return home interview found exploitation concerns: {interview.exploitation_detail}",
        source=episode,
    )
    interview.cse_screening_request_id = request.pk
    interview.save(update_fields=["cse_screening_request_id", "updated_at"])


def interview_record(
    *, actor: Actor, interview: ReturnInterview, findings: Findings
) -> ReturnInterview:
    """Record the interview: when it was done, by whom, and the findings (push and pull
    factors, where the child was and with whom, exploitation concerns, what happens next).
    An interview recorded without an offer was offered and accepted when it was done.
    Exploitation concerns ask for a CSE screening of the child. Until the interview is on
    the child's file it can be corrected; whether it was within 72 hours follows from
    ``done_at`` and ``due_at``."""
    require(actor, "missing.record_interview_object", interview)
    errors: Errors = {}
    _check_findings(errors, interview, findings)
    raise_if(errors)
    with transaction.atomic():
        interview = _locked(interview)
        tracked = [*FINDING_FIELDS, "offered_at", "accepted"]
        before = {name: getattr(interview, name) for name in tracked}
        first = interview.done_at is None
        for name in FINDING_FIELDS:
            value = getattr(findings, name)
            setattr(interview, name, value.strip() if isinstance(value, str) else value)
        if interview.done_by is not None:
            interview.done_by_name = ""
        if not interview.exploitation_concerns:
            interview.exploitation_detail = ""
        if interview.offered_at is None:
            interview.offered_at = interview.done_at
            interview.offered_by = interview.done_by
            interview.offered_by_name = interview.done_by_name
        interview.accepted = True
        interview.declined_reason = ""
        interview.not_offered_at = None
        interview.not_offered_reason = ""
        changed = changes(interview, before, tracked)
        if not changed:
            return interview
        interview.save()
        event_record(
            actor=actor,
            action=Event.Action.CREATE if first else Event.Action.UPDATE,
            target=interview,
            child_id=interview.episode.child_id,
            detail={
                "interview": changed,
                "within_72_hours": interview.done_in_time,
            },
        )
        if interview.exploitation_concerns:
            _ask_for_screening(actor, interview)
        chronology_interview(actor, interview)
    return interview


@dataclass
class FindingsDraft:
    """The findings as typed so far, before the interview is recorded as done."""

    push_factors: str = ""
    pull_factors: str = ""
    where_and_with_whom: str = ""
    exploitation_concerns: bool | None = None
    exploitation_detail: str = ""
    next_steps: str = ""


DRAFT_FIELDS = [f.name for f in fields(FindingsDraft)]


def interview_findings_draft_save(
    *, actor: Actor, interview: ReturnInterview, draft: FindingsDraft
) -> ReturnInterview:
    """Keep the findings typed so far (the form's autosave, or "Save as draft") while the
    interview is not yet recorded as done, so nothing typed is lost. Nothing is required and
    nothing happens yet: the interview stays owed, no CSE screening is asked for and the
    chronology is untouched until ``interview_record``. Audited with the names of the fields
    changed. A done interview is corrected through ``interview_record``."""
    require(actor, "missing.record_interview_object", interview)
    with transaction.atomic():
        interview = _locked(interview)
        if interview.done_at is not None:
            raise_if({"__all__": ["This interview is recorded: save the interview to change it"]})
        changed = []
        for name in DRAFT_FIELDS:
            value = getattr(draft, name)
            value = value.strip() if isinstance(value, str) else value
            if getattr(interview, name) != value:
                setattr(interview, name, value)
                changed.append(name)
        if changed:
            interview.save(update_fields=[*changed, "updated_at"])
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=interview,
                child_id=interview.episode.child_id,
                detail={"draft": changed},
            )
    return interview


def interview_place_on_file(*, actor: Actor, interview: ReturnInterview) -> ReturnInterview:
    """Put the interview's report on the child's file: its findings join the child's
    chronology and page, where the child's social worker plans with them. After this the
    report is not changed."""
    require(actor, "missing.file_interview_object", interview)
    with transaction.atomic():
        interview = _locked(interview)
        if interview.done_at is None or interview.placed_on_file_at is not None:
            raise_if({"__all__": ["Only a done interview not yet on file can be placed on file"]})
        interview.placed_on_file_at = timezone.now()
        interview.placed_on_file_by = actor.user
        interview.save(update_fields=["placed_on_file_at", "placed_on_file_by", "updated_at"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=interview,
            child_id=interview.episode.child_id,
            detail={"placed_on_file": True, "by": actor_name(actor)},
        )
        chronology_interview(actor, interview)
    return interview
