"""Reading missing episodes and return home interviews, always through the user: the same
rule for a list and a record.

``episodes_visible(user)`` is the rule every other selector starts from: staff who hold
``missing.view_missingepisode`` see the episodes of the children they may see
(``people.selectors.persons_visible``) and the episodes from police notifications not yet
linked to a child; everyone else sees none. The management information is in
``missing.information``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from haven.accounts.models import Team, User
from haven.core import worklists
from haven.missing import permissions
from haven.missing.models import OWED, MissingEpisode, ReturnInterview
from haven.people import selectors as people_selectors

if TYPE_CHECKING:
    from haven.people.models import Person

MINE = worklists.MINE
TEAM = worklists.TEAM


def can_view(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm(permissions.VIEW)
    )


def children_visible(user: User) -> QuerySet[Person]:
    """The children whose missing episodes ``user`` may see."""
    visible = people_selectors.persons_visible(user)
    return visible if can_view(user) else visible.none()


def episodes_visible(user: User) -> QuerySet[MissingEpisode]:
    if not can_view(user):
        return MissingEpisode.objects.none()
    return MissingEpisode.objects.filter(
        Q(child__isnull=True) | people_selectors.visible_q(user, "child")
    )


def episode_get(*, user: User, episode_id: int) -> MissingEpisode:
    """One episode the user may see, with its child, interview and people, or 404."""
    found = (
        episodes_visible(user)
        .select_related(
            "child__school",
            "recorded_by",
            "notification__contact",
            "mention__person",
            "interview__worker",
            "interview__offered_by",
            "interview__done_by",
            "interview__placed_on_file_by",
        )
        .filter(pk=episode_id)
        .first()
    )
    if found is None:
        raise Http404("No such missing episode")
    return found


def episodes_of(*, user: User, child: Person) -> list[MissingEpisode]:
    """The child's episodes, newest first, each with its interview (one query)."""
    return list(
        episodes_visible(user)
        .filter(child=child)
        .select_related("interview__offered_by", "interview__done_by")
        .order_by("-went_missing_at", "-id")
    )


def missing_now(*, user: User) -> QuerySet[MissingEpisode]:
    """Episodes with no return: the children missing now, missing longest first."""
    return (
        episodes_visible(user)
        .filter(returned_at__isnull=True)
        .select_related("child")
        .order_by("went_missing_at", "id")
    )


def awaiting_child(*, user: User) -> QuerySet[MissingEpisode]:
    """Episodes from police notifications whose child is not linked to a record yet."""
    if not can_view(user):
        return MissingEpisode.objects.none()
    return (
        MissingEpisode.objects.filter(child__isnull=True)
        .select_related("mention__person", "notification", "interview")
        .order_by("recorded_at", "id")
    )


def team_ids_of(user: User) -> list[int]:
    """The teams whose interviews are the user's "team work": their own and those they
    manage."""
    ids = set(Team.objects.filter(manager=user, is_active=True).values_list("pk", flat=True))
    if user.team_id is not None:
        ids.add(user.team_id)
    return sorted(ids)


def _in_missing_team(user: User, team_ids: list[int]) -> bool:
    return Team.objects.filter(pk__in=team_ids, kind=Team.Kind.MISSING).exists()


@dataclass(frozen=True)
class QueueFilters:
    worker: str = ""  # a user id, "unassigned", or "" for anyone
    overdue_only: bool = False


def _scoped(
    interviews: QuerySet[ReturnInterview], user: User, scope: str | None
) -> QuerySet[ReturnInterview]:
    """``MINE``: the user's own. ``TEAM``: those of the user's teams' members, and the
    unassigned ones for members and managers of a missing children team. None: all the user
    may see."""
    if scope == MINE:
        return interviews.filter(worker=user)
    if scope == TEAM:
        team_ids = team_ids_of(user)
        shown = Q(worker__team_id__in=team_ids)
        if _in_missing_team(user, team_ids):
            shown |= Q(worker__isnull=True)
        return interviews.filter(shown)
    return interviews


def interviews_owed(
    *, user: User, scope: str | None = None, filters: QueueFilters | None = None
) -> QuerySet[ReturnInterview]:
    """Interviews still owed to children who came back (to offer, waiting for an answer, or
    accepted and to hold), soonest due first. The queue of interviews due."""
    if not can_view(user):
        return ReturnInterview.objects.none()
    filters = filters or QueueFilters()
    interviews = ReturnInterview.objects.filter(
        OWED, people_selectors.visible_q(user, "episode__child")
    )
    interviews = _scoped(interviews, user, scope)
    if filters.worker == "unassigned":
        interviews = interviews.filter(worker__isnull=True)
    elif filters.worker.isdigit():
        interviews = interviews.filter(worker_id=int(filters.worker))
    if filters.overdue_only:
        from django.utils import timezone

        interviews = interviews.filter(due_at__lt=timezone.now())
    return interviews.select_related("episode__child", "worker").order_by("due_at", "id")


def interviews_to_file(*, user: User, scope: str | None = None) -> QuerySet[ReturnInterview]:
    """Interviews done whose report is not on the child's file yet, oldest first."""
    if not can_view(user):
        return ReturnInterview.objects.none()
    interviews = ReturnInterview.objects.filter(
        people_selectors.visible_q(user, "episode__child"),
        done_at__isnull=False,
        placed_on_file_at__isnull=True,
    )
    if scope == MINE:
        interviews = interviews.filter(Q(worker=user) | Q(done_by=user))
    elif scope == TEAM:
        interviews = _scoped(interviews, user, TEAM)
    return interviews.select_related("episode__child", "worker", "done_by").order_by(
        "done_at", "id"
    )


def recorders() -> QuerySet[User]:
    """Active staff who record return home interviews: whom an interview can be given to."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__codename="record_missing")
            | Q(user_permissions__codename="record_missing")
        )
        .distinct()
        .order_by("full_name")
    )


def team_recorders(user: User) -> QuerySet[User]:
    """Recorders in the user's teams: whose interviews the team queue shows, so the workers
    its filter offers (not every recorder in the council)."""
    return recorders().filter(team_id__in=team_ids_of(user))


def link_suggestions(*, user: User, episode: MissingEpisode) -> list[Person]:
    """Records that may be the child the police named: the one the front door linked the
    notification's child to, then children whose name and date of birth are close."""
    found: list[Person] = []
    mention = episode.mention
    if mention is not None and mention.person_id is not None:
        linked = people_selectors.persons_visible(user).filter(pk=mention.person_id).first()
        if linked is not None:
            found.append(linked)
    first, _, last = episode.given_name.partition(" ")
    if first and last:
        for match in people_selectors.likely_matches(
            user=user,
            first_name=first,
            last_name=last.split(" ")[-1],
            date_of_birth=episode.given_date_of_birth,
        ):
            if match.person.kind == "child" and match.person not in found:
                found.append(match.person)
    return found
