"""Missing children in the API: read missing episodes and their return home interviews, the
queue of interviews due, and the management information with the children behind each
number. Scoped to the caller exactly as the browser is; every read of a child's record is
audited. Tokens need the ``missing:read`` scope.

A restricted child's episode is read only with a ``reason`` (at least 10 characters), which is
audited like the reason given in the browser; lists show a restricted child's episodes
without their details.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from haven.accounts.models import User
from haven.api.auth import api_actor, require_scope
from haven.api.reading import open_people, record_read
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.missing import information, permissions, selectors
from haven.missing.models import MissingEpisode

router = Router(tags=["missing"])
SCOPE = "missing:read"
MAX_LIST = 500


class InterviewOut(Schema):
    status: str
    due_at: datetime | None
    worker: str | None
    offered_at: datetime | None  # miss_missing_rhi_offered: Y when set
    offered_by: str
    accepted: bool | None  # miss_missing_rhi_accepted
    declined_reason: str
    not_offered_reason: str
    done_at: datetime | None
    done_by: str
    within_72_hours: bool | None
    hours_after_return: float | None
    placed_on_file_at: datetime | None
    exploitation_concerns: bool | None
    cse_screening_requested: bool


class FindingsOut(Schema):
    push_factors: str
    pull_factors: str
    where_and_with_whom: str
    exploitation_detail: str
    next_steps: str


class EpisodeSummaryOut(Schema):
    id: int
    reference: str
    child_id: int | None
    given_name: str
    restricted: bool
    went_missing_at: datetime  # miss_missing_episode_start_date
    returned_at: datetime | None  # miss_missing_episode_end_date
    police_reference: str
    police_risk: str
    looked_after: bool | None
    source: str
    interview: InterviewOut | None


class EpisodeOut(EpisodeSummaryOut):
    reported_at: datetime | None
    where_found: str
    circumstances: str
    findings: FindingsOut | None


class EpisodeParams(Schema):
    child_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    missing_now: bool = False


class PeriodParams(Schema):
    date_from: date
    date_to: date
    repeat: int = information.REPEAT_THRESHOLD


class ShareOut(Schema):
    measure: str
    label: str
    children: int
    share_of_returned: float | None
    share_of_offered: float | None


class GroupOut(Schema):
    key: str
    label: str
    episodes: int
    children: int


class InformationOut(Schema):
    date_from: date
    date_to: date
    children_went_missing: int
    children_returned: int
    children_still_missing: int
    unlinked_episodes: int
    shares: list[ShareOut]
    episode_measures: list[GroupOut]
    wards: list[GroupOut]
    schools: list[GroupOut]
    cse_risk: list[GroupOut]
    cse_risk_as_of: date
    episodes_per_child: list[GroupOut]
    repeat_threshold: int
    repeat_missing_children: int


class ChildOut(Schema):
    id: int
    la_id: str
    name: str
    restricted: bool
    episodes_in_period: int
    episode_ids: list[int]


class ChildrenOut(Schema):
    measure: str
    key: str
    title: str
    count: int
    denominator_measure: str
    denominator: int
    children: list[ChildOut]


def _user(request: HttpRequest, permission: str = permissions.VIEW) -> User:
    require_scope(request, SCOPE)
    user = request.user
    if not isinstance(user, User) or not selectors.can_view(user) or not user.has_perm(permission):
        raise PermissionDenied("You do not have permission to see missing children's records.")
    return user


def _interview(episode: MissingEpisode) -> InterviewOut:
    interview = episode.interview
    return InterviewOut(
        status=interview.status.value,
        due_at=interview.due_at,
        worker=interview.worker.full_name if interview.worker else None,
        offered_at=interview.offered_at,
        offered_by=interview.offered_by_label,
        accepted=interview.accepted,
        declined_reason=interview.declined_reason,
        not_offered_reason=interview.not_offered_reason,
        done_at=interview.done_at,
        done_by=interview.done_by_label,
        within_72_hours=interview.done_in_time,
        hours_after_return=interview.hours_after_return(episode.returned_at),
        placed_on_file_at=interview.placed_on_file_at,
        exploitation_concerns=interview.exploitation_concerns,
        cse_screening_requested=interview.cse_screening_request_id is not None,
    )


def _summary(episode: MissingEpisode) -> EpisodeSummaryOut:
    restricted = bool(episode.child and episode.child.is_restricted)
    return EpisodeSummaryOut(
        id=episode.pk,
        reference=episode.reference,
        child_id=episode.child_id,
        given_name=episode.given_name,
        restricted=restricted,
        went_missing_at=episode.went_missing_at,
        returned_at=episode.returned_at,
        police_reference="" if restricted else episode.police_reference,
        police_risk=episode.police_risk,
        looked_after=None if restricted else episode.looked_after,
        source=episode.source,
        interview=None if restricted else _interview(episode),
    )


@router.get("/episodes", response=list[EpisodeSummaryOut], summary="List missing episodes")
def episodes(request: HttpRequest, params: Query[EpisodeParams]) -> list[EpisodeSummaryOut]:
    """Episodes the caller may see, newest first (at most 500): for one child, for episodes
    that started in a period, or the children missing now."""
    user = _user(request)
    found = selectors.episodes_visible(user).select_related(
        "child", "interview__worker", "interview__offered_by", "interview__done_by"
    )
    if params.child_id is not None:
        found = found.filter(child_id=params.child_id)
    if params.date_from or params.date_to:
        period = information.Period(params.date_from or date.min, params.date_to or date.max)
        if params.date_from:
            found = found.filter(went_missing_at__gte=period.start)
        if params.date_to:
            found = found.filter(went_missing_at__lt=period.end)
    if params.missing_now:
        found = found.filter(returned_at__isnull=True)
    rows = list(found.order_by("-went_missing_at", "-id")[:MAX_LIST])
    event_record(
        actor=api_actor(request),
        action=Event.Action.SEARCH,
        object_type="missing.missingepisode",
        detail={
            "via": "api",
            "children": sorted({e.child_id for e in rows if e.child_id}),
            "filters": params.dict(),
        },
    )
    return [_summary(e) for e in rows]


@router.get("/episodes/{episode_id}", response=EpisodeOut, summary="Read a missing episode")
def episode(request: HttpRequest, episode_id: int, reason: str = "") -> EpisodeOut:
    """One episode with its interview and findings. A restricted child's needs ``reason``."""
    user = _user(request)
    found = selectors.episode_get(user=user, episode_id=episode_id)
    open_people(request, [found.child], reason)
    record_read(request, target=found, child_ids=[found.child_id])
    interview = found.interview
    summary = _summary(found).dict()
    summary["interview"] = _interview(found)
    return EpisodeOut(
        **summary,
        reported_at=found.reported_at,
        where_found=found.where_found,
        circumstances=found.circumstances,
        findings=FindingsOut(
            push_factors=interview.push_factors,
            pull_factors=interview.pull_factors,
            where_and_with_whom=interview.where_and_with_whom,
            exploitation_detail=interview.exploitation_detail,
            next_steps=interview.next_steps,
        )
        if interview.done_at
        else None,
    )


@router.get(
    "/interviews/due", response=list[EpisodeSummaryOut], summary="Return home interviews due"
)
def interviews_due(request: HttpRequest) -> list[EpisodeSummaryOut]:
    """The queue: interviews still owed to children who came back, soonest due first."""
    user = _user(request)
    owed = list(
        selectors.interviews_owed(user=user).select_related(
            "episode__child", "offered_by", "done_by"
        )[:MAX_LIST]
    )
    event_record(
        actor=api_actor(request),
        action=Event.Action.SEARCH,
        object_type="missing.missingepisode",
        detail={
            "via": "api",
            "page": "interviews-due",
            "children": [i.episode.child_id for i in owed],
        },
    )
    result = []
    for interview in owed:
        episode = interview.episode
        episode.interview = interview
        result.append(_summary(episode))
    return result


def _period(params: PeriodParams) -> information.Period:
    if params.date_to < params.date_from:
        raise HttpError(422, "date_to must be the same as or after date_from")
    if (params.date_to - params.date_from).days > 366 * 5:
        raise HttpError(422, "Choose a period of 5 years or less")
    if not 2 <= params.repeat <= 20:
        raise HttpError(422, "repeat must be between 2 and 20")
    return information.Period(params.date_from, params.date_to)


def _groups(rows: list[information.GroupRow]) -> list[GroupOut]:
    return [
        GroupOut(key=r.key, label=r.label, episodes=r.episodes, children=r.children) for r in rows
    ]


@router.get("/information", response=InformationOut, summary="Missing children figures")
def figures(request: HttpRequest, params: Query[PeriodParams]) -> InformationOut:
    """The management information for a period: the return home interview shares (per
    child), the same by episode, episodes by ward and by school, the CSE risk of the children
    who went missing, and repeat-missing children. Counts only: ``/information/children``
    gives the children behind each."""
    user = _user(request, permissions.VIEW_MI)
    period = _period(params)
    found = information.figures(
        data=information.load(user=user, period=period), repeat_threshold=params.repeat
    )
    return InformationOut(
        date_from=period.date_from,
        date_to=period.date_to,
        children_went_missing=found.counts["went_missing"],
        children_returned=found.counts["returned"],
        children_still_missing=found.counts["still_missing"],
        unlinked_episodes=found.data.unlinked_episodes,
        shares=[
            ShareOut(
                measure=row.measure.key,
                label=row.measure.label,
                children=row.children,
                share_of_returned=row.of_returned,
                share_of_offered=row.of_offered,
            )
            for row in found.shares
        ],
        episode_measures=[
            GroupOut(
                key=r.measure.key, label=r.measure.label, episodes=r.episodes, children=r.children
            )
            for r in found.episode_rows
        ],
        wards=_groups(found.wards),
        schools=_groups(found.schools),
        cse_risk=_groups(found.risk),
        cse_risk_as_of=found.data.risk_as_of,
        episodes_per_child=_groups(found.repeat),
        repeat_threshold=params.repeat,
        repeat_missing_children=found.repeat_children,
    )


@router.get("/information/children", response=ChildrenOut, summary="The children behind a figure")
def figure_children(
    request: HttpRequest, params: Query[PeriodParams], measure: str, key: str = ""
) -> ChildrenOut:
    """The children counted by one figure (``measure``: a share such as ``offered``, an
    episode measure such as ``episodes_late``, or ``ward``, ``school``, ``risk``,
    ``episodes``, ``repeat`` with the group's ``key``), and its denominator."""
    user = _user(request, permissions.VIEW_MI)
    period = _period(params)
    data = information.load(user=user, period=period)
    try:
        drill = information.children_for(
            data=data, measure=measure, key=key, repeat_threshold=params.repeat
        )
    except information.UnknownMeasureError:
        raise HttpError(404, "No such figure") from None
    people = {p.pk: p for p in selectors.children_visible(user).filter(pk__in=drill.child_ids)}
    event_record(
        actor=api_actor(request),
        action=Event.Action.SEARCH,
        object_type="missing.missingepisode",
        detail={
            "via": "api",
            "measure": measure,
            "key": key,
            "period": [period.date_from.isoformat(), period.date_to.isoformat()],
            "children": drill.child_ids,
        },
    )
    return ChildrenOut(
        measure=measure,
        key=key,
        title=drill.title,
        count=len(drill.child_ids),
        denominator_measure=drill.denominator_key,
        denominator=drill.denominator,
        children=[
            ChildOut(
                id=child_id,
                la_id=people[child_id].la_id,
                name=people[child_id].full_name,
                restricted=people[child_id].is_restricted,
                episodes_in_period=len(data.children[child_id].episodes),
                episode_ids=[e.id for e in drill.episodes[child_id]],
            )
            for child_id in drill.child_ids
            if child_id in people
        ],
    )


ROUTES = [("/missing", router)]
