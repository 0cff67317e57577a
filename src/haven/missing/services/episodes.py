"""Missing episodes: recording one, the child's return, changing the details, and linking an
episode the police named a child on to the child's record.

Each service is one transaction that writes its audit event and, once the episode is linked
to a child, the entries in the child's chronology ("Went missing", "Returned from missing").
Every episode has its return home interview record, made with it; the interview's ``due_at``
follows the return (72 hours later, by the council's timescale) and moves if the return is
corrected.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.missing import permissions
from haven.missing.models import MissingEpisode, PoliceRisk, ReturnInterview
from haven.missing.services.common import (
    Errors,
    add,
    changes,
    check_past,
    interview_due_at,
    plain,
    raise_if,
    require,
)
from haven.people import codes as people_codes
from haven.people.models import ChronologyEntry, Person
from haven.people.services import chronology_record

EPISODE_TARGET = "missing.missingepisode"


@dataclass
class EpisodeDetails:
    """What is known about an episode; the fields a person types or the police send."""

    went_missing_at: datetime
    reported_at: datetime | None = None
    returned_at: datetime | None = None
    where_found: str = ""
    circumstances: str = ""
    police_reference: str = ""
    police_risk: str = ""
    looked_after: bool | None = None

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def of(cls, episode: MissingEpisode) -> EpisodeDetails:
        return cls(**{name: getattr(episode, name) for name in cls.names()})


def _clean(details: EpisodeDetails) -> EpisodeDetails:
    """The details tidied, or ``ValidationError`` with every problem, each by its field."""
    errors: Errors = {}
    went = details.went_missing_at
    if went is None:
        add(errors, "went_missing_at", "Enter when the child went missing")
    check_past(errors, "went_missing_at", went, "When the child went missing")
    check_past(errors, "reported_at", details.reported_at, "When they were reported missing")
    check_past(errors, "returned_at", details.returned_at, "When the child came back")
    if went is not None and details.reported_at is not None and details.reported_at < went:
        add(
            errors,
            "reported_at",
            "When they were reported missing must be after they went missing",
        )
    if went is not None and details.returned_at is not None and details.returned_at < went:
        add(errors, "returned_at", "When the child came back must be after they went missing")
    if details.police_risk and details.police_risk not in PoliceRisk.values:
        add(errors, "police_risk", "Select the police risk grading")
    for name, limit in (("where_found", 500), ("police_reference", 100)):
        if len(getattr(details, name) or "") > limit:
            add(errors, name, f"Enter no more than {limit} characters")
    raise_if(errors)
    return EpisodeDetails(
        went_missing_at=went,
        reported_at=details.reported_at,
        returned_at=details.returned_at,
        where_found=(details.where_found or "").strip(),
        circumstances=(details.circumstances or "").strip(),
        police_reference=(details.police_reference or "").strip(),
        police_risk=details.police_risk or "",
        looked_after=details.looked_after,
    )


def _check_child(child: Person) -> None:
    if child.kind != people_codes.PersonKind.CHILD:
        raise_if({"child": ["Select a child: missing episodes are recorded for children"]})
    if child.merged_into_id is not None:
        raise_if({"child": ["This record was merged into another: select that one"]})


def _check_not_missing_already(child: Person, details: EpisodeDetails, *, exclude: int = 0) -> None:
    """One child cannot be missing twice at once: an open episode must end first."""
    open_episode = (
        MissingEpisode.objects.filter(child=child, returned_at__isnull=True)
        .exclude(pk=exclude)
        .order_by("went_missing_at")
        .first()
    )
    if open_episode is not None:
        since = timezone.localtime(open_episode.went_missing_at)
        raise_if(
            {
                "went_missing_at": [
                    f"{child.full_name} is already recorded as missing since "
                    f"{since:%-d %B %Y %H:%M}: record their return on that episode first"
                ]
            }
        )


def _hours(hours: float) -> str:
    if hours < 48:
        whole = round(hours)
        return f"{whole} hour{'s' if whole != 1 else ''}"
    days = round(hours / 24)
    return f"{days} days"


def _missing_summary(episode: MissingEpisode) -> str:
    parts = ["Went missing"]
    if episode.source == MissingEpisode.Source.POLICE:
        parts.append("(police notification")
        parts.append(f"{episode.police_reference})" if episode.police_reference else ")")
    if episode.police_risk:
        parts.append(f"; police risk grading {episode.get_police_risk_display().lower()}")
    if episode.looked_after:
        parts.append("; looked after")
    return " ".join(parts).replace("( ", "(").replace(" )", ")").replace(" ;", ";")


def _return_summary(episode: MissingEpisode) -> str:
    hours = episode.hours_missing or 0
    text = f"Came back after {_hours(hours)}"
    if episode.where_found:
        text += f"; found at {episode.where_found}"
    return text


def _chronology_missing(actor: Actor, episode: MissingEpisode) -> None:
    """The child's story: when they went missing and, once known, when they came back."""
    if episode.child is None:
        return
    chronology_record(
        actor=actor,
        child=episode.child,
        occurred_at=episode.went_missing_at,
        kind="missing_went_missing",
        summary=_missing_summary(episode),
        target=episode,
        url=episode.get_absolute_url(),
    )
    if episode.returned_at is not None:
        _chronology_returned(actor, episode)


def _chronology_returned(actor: Actor, episode: MissingEpisode) -> None:
    if episode.child is None or episode.returned_at is None:
        return
    chronology_record(
        actor=actor,
        child=episode.child,
        occurred_at=episode.returned_at,
        kind="missing_returned",
        summary=_return_summary(episode),
        target=episode,
        url=episode.get_absolute_url(),
    )


def _own_entries(episode: MissingEpisode, kind: str) -> Any:
    return ChronologyEntry.objects.filter(
        target_type=EPISODE_TARGET, target_id=str(episode.pk), kind=kind
    )


def _chronology_follow(actor: Actor, episode: MissingEpisode, before: EpisodeDetails) -> None:
    """Keep this episode's own chronology entries true to a corrected time or place."""
    if episode.child is None:
        return
    if (
        before.went_missing_at != episode.went_missing_at
        or before.police_risk != episode.police_risk
    ):
        _own_entries(episode, "missing_went_missing").update(
            occurred_at=episode.went_missing_at, summary=_missing_summary(episode)[:300]
        )
    if episode.returned_at is None:
        return
    if before.returned_at is None:
        _chronology_returned(actor, episode)
    elif before.returned_at != episode.returned_at or before.where_found != episode.where_found:
        _own_entries(episode, "missing_returned").update(
            occurred_at=episode.returned_at, summary=_return_summary(episode)[:300]
        )


def _create(
    *,
    actor: Actor,
    details: EpisodeDetails,
    child: Person | None,
    source: str,
    given_name: str = "",
    given_date_of_birth: Any = None,
    notification: Any = None,
    mention: Any = None,
    audit_detail: dict[str, Any] | None = None,
) -> MissingEpisode:
    now = timezone.now()
    episode = MissingEpisode.objects.create(
        child=child,
        given_name=given_name[:200],
        given_date_of_birth=given_date_of_birth,
        source=source,
        notification=notification,
        mention=mention,
        recorded_at=now,
        recorded_by=actor.user,
        **{name: getattr(details, name) for name in EpisodeDetails.names()},
    )
    ReturnInterview.objects.create(
        episode=episode,
        due_at=interview_due_at(details.returned_at) if details.returned_at else None,
    )
    event_record(
        actor=actor,
        action=Event.Action.CREATE,
        target=episode,
        child_id=child.pk if child is not None else None,
        detail={
            "source": source,
            "went_missing_at": plain(details.went_missing_at),
            "returned_at": plain(details.returned_at),
            "police_reference": details.police_reference,
            **(audit_detail or {}),
        },
    )
    _chronology_missing(actor, episode)
    return episode


def episode_record(*, actor: Actor, child: Person, details: EpisodeDetails) -> MissingEpisode:
    """Record a missing episode for ``child`` directly (a carer's call, an out-of-hours
    report): when they went missing and, if they are back, when and where they were found.
    The return home interview falls due 72 hours after the return. Refused while the child
    has another episode with no return."""
    require(actor, permissions.RECORD)
    _check_child(child)
    details = _clean(details)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=child.pk).first()
        _check_not_missing_already(child, details)
        return _create(
            actor=actor, details=details, child=child, source=MissingEpisode.Source.RECORDED
        )


def episode_update(
    *, actor: Actor, episode: MissingEpisode, details: EpisodeDetails
) -> MissingEpisode:
    """Change what is recorded about an episode: a correction, or the return once known.
    A return, once recorded, can be corrected but not removed. A changed return moves the
    interview's deadline (still 72 hours from the return). Audited with old and new values."""
    require(actor, "missing.change_episode_object", episode)
    return _update(actor=actor, episode=episode, details=_clean(details))


def _update(
    *, actor: Actor, episode: MissingEpisode, details: EpisodeDetails, via: str = ""
) -> MissingEpisode:
    if episode.returned_at is not None and details.returned_at is None:
        raise_if(
            {
                "returned_at": [
                    "Enter when the child came back: a return can be corrected but not removed"
                ]
            }
        )
    with transaction.atomic():
        episode = (
            MissingEpisode.objects.select_for_update(of=("self",))
            .select_related("child")
            .get(pk=episode.pk)
        )
        before = EpisodeDetails.of(episode)
        for name in EpisodeDetails.names():
            setattr(episode, name, getattr(details, name))
        changed = changes(episode, before.__dict__, EpisodeDetails.names())
        if not changed:
            return episode
        episode.save()
        interview = ReturnInterview.objects.select_for_update().get(episode=episode)
        due = interview_due_at(episode.returned_at) if episode.returned_at else None
        if interview.due_at != due:
            changed["interview_due_at"] = {"old": plain(interview.due_at), "new": plain(due)}
            interview.due_at = due
            interview.save(update_fields=["due_at", "updated_at"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=episode,
            child_id=episode.child_id,
            detail={"changes": changed, **({"via": via} if via else {})},
        )
        _chronology_follow(actor, episode, before)
    return episode


def episode_return(
    *, actor: Actor, episode: MissingEpisode, returned_at: datetime, where_found: str = ""
) -> MissingEpisode:
    """The child is back: when, and where they were found. The interview is due 72 hours
    from ``returned_at``."""
    details = EpisodeDetails.of(episode)
    details.returned_at = returned_at
    if where_found.strip():
        details.where_found = where_found
    if returned_at is None:
        raise_if({"returned_at": ["Enter when the child came back"]})
    return episode_update(actor=actor, episode=episode, details=details)


def episode_link_child(*, actor: Actor, episode: MissingEpisode, child: Person) -> MissingEpisode:
    """Say which child an episode is about: the record of the child the police named (or the
    right record, when the first link was wrong). The episode's chronology entries go to that
    child's story. Refused once the interview is on the child's file, and when the child has
    another episode with no return that this one would overlap."""
    require(actor, "missing.link_child_object", episode)
    _check_child(child)
    with transaction.atomic():
        episode = (
            MissingEpisode.objects.select_for_update(of=("self",))
            .select_related("interview")
            .get(pk=episode.pk)
        )
        if episode.child_id == child.pk:
            return episode
        if episode.interview.placed_on_file_at is not None:
            raise_if({"child": ["The interview is on the child's file: this episode cannot move"]})
        if episode.returned_at is None:
            _check_not_missing_already(child, EpisodeDetails.of(episode), exclude=episode.pk)
        previous = episode.child_id
        episode.child = child
        episode.save(update_fields=["child", "updated_at"])
        for child_id in dict.fromkeys(i for i in (previous, child.pk) if i is not None):
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=episode,
                child_id=child_id,
                detail={
                    "linked_to": child.pk,
                    "previously": previous,
                    "given_name": episode.given_name,
                },
            )
        moved = ChronologyEntry.objects.filter(
            target_type=EPISODE_TARGET, target_id=str(episode.pk)
        )
        if previous is not None and moved.exists():
            moved.update(child=child)
        else:
            _chronology_missing(actor, episode)
            _chronology_interview_so_far(actor, episode)
    return episode


def _chronology_interview_so_far(actor: Actor, episode: MissingEpisode) -> None:
    from haven.missing.services.interviews import chronology_interview

    chronology_interview(actor, episode.interview)


# --- From police notifications ---------------------------------------------------------------
# Called by the front door's import (``services.police``) for a notification of type missing,
# inside the import's transaction. The import's own permission is the authority: the police
# told the council, so no missing-children permission is asked of the person importing.


def episode_from_police(
    *,
    actor: Actor,
    details: EpisodeDetails,
    notification: Any,
    given_name: str,
    given_date_of_birth: Any,
    child: Person | None,
    mention: Any = None,
) -> MissingEpisode:
    """A new episode for one child named on a police notification, linked to ``child`` when
    the caller found their record beyond doubt."""
    details = _clean(details)
    return _create(
        actor=actor,
        details=details,
        child=child,
        source=MissingEpisode.Source.POLICE,
        given_name=given_name,
        given_date_of_birth=given_date_of_birth,
        notification=notification,
        mention=mention,
        audit_detail={"notification": notification.pk, "given_name": given_name},
    )


def episode_police_update(
    *,
    actor: Actor,
    episode: MissingEpisode,
    details: EpisodeDetails,
    notification: Any = None,
    given_name: str = "",
) -> MissingEpisode:
    """What a later row of the same police notification adds (the return, where the child was
    found, a new risk grading). Blank columns leave what is recorded alone, so a row sent
    again changes nothing. ``notification`` joins an episode recorded in Haven before the
    police notification arrived."""
    current = EpisodeDetails.of(episode)
    merged = EpisodeDetails(
        **{
            name: (value if value not in (None, "") else getattr(current, name))
            for name, value in details.__dict__.items()
        }
    )
    if episode.source == MissingEpisode.Source.RECORDED:
        # Recorded in Haven first: the person's times stand; the police add what is missing.
        merged.went_missing_at = current.went_missing_at
        merged.circumstances = current.circumstances or details.circumstances
    merged = _clean(merged)
    with transaction.atomic():
        if notification is not None and episode.notification_id is None:
            name = episode.given_name or given_name[:200]
            MissingEpisode.objects.filter(pk=episode.pk).update(
                notification=notification, given_name=name
            )
            episode.notification = notification
            episode.given_name = name
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=episode,
                child_id=episode.child_id,
                detail={
                    "notification": notification.pk,
                    "police_reference": details.police_reference,
                },
            )
        return _update(actor=actor, episode=episode, details=merged, via="police notification")
