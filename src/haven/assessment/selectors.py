"""Reading cases, assessments and plans: always through the user, so a list and a record
cannot disagree about who sees what.

Staff who read children's records see every case (``cases_visible``); partners and the
administrator see none. Lists run a fixed number of queries whatever their length: each case
row carries its stage (derived from its records, UX.md 4), its next deadlines and its last
visit as annotations of one query. A child's child protection plan and section 47 enquiry are
read through the protection app's selectors.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from haven.accounts.models import Team
from haven.assessment import codes, permissions, timescales
from haven.assessment.models import (
    Allocation,
    Assessment,
    AssessmentFactor,
    AssessmentReview,
    Case,
    CinPlan,
    CinPlanReview,
    Closure,
    Service,
    ServiceType,
    Visit,
)
from haven.assessment.models.cases import CaseQuerySet
from haven.frontdoor.models import Episode
from haven.people.models import Person
from haven.protection import selectors as protection

if TYPE_CHECKING:
    from haven.accounts.models import User

Stage = codes.Stage


def _active(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def cases_visible(user: User) -> CaseQuerySet:
    """Every case for staff who read children's records; none otherwise."""
    if not _active(user) or not user.has_perm(permissions.VIEW):
        return CaseQuerySet(Case).none()
    return CaseQuerySet(Case)


# --- One row per case, with what lists need -------------------------------------------------


def _stage_expression(user: User) -> models.Case:
    """The case's stage, most serious first: a child protection plan, a section 47 enquiry, a
    child in need plan, an assessment, waiting for the first visit, closure proposed."""
    on_cp_plan = Exists(
        protection.plans_visible(user).filter(child=OuterRef("child_id"), end_date__isnull=True)
    )
    in_s47 = Exists(
        protection.enquiries_visible(user).filter(child=OuterRef("child_id"), end_date__isnull=True)
    )
    on_cin_plan = Exists(CinPlan.objects.filter(case=OuterRef("pk"), end_date__isnull=True))
    assessing = Exists(Assessment.objects.filter(case=OuterRef("pk"), authorised_at__isnull=True))
    closing = Exists(Closure.objects.filter(case=OuterRef("pk"), decided_at__isnull=True))
    return models.Case(
        When(on_cp_plan, then=Value(Stage.CHILD_PROTECTION.value)),
        When(in_s47, then=Value(Stage.SECTION_47.value)),
        When(on_cin_plan, then=Value(Stage.CIN_PLAN.value)),
        When(assessing, then=Value(Stage.ASSESSMENT.value)),
        When(closing, then=Value(Stage.CLOSING.value)),
        When(first_seen_at__isnull=True, then=Value(Stage.TO_VISIT.value)),
        default=Value(Stage.OTHER.value),
        output_field=models.CharField(),
    )


def with_progress(cases: QuerySet[Case], user: User) -> QuerySet[Case]:
    """Cases annotated with their stage, the unfinished assessment's due moment and whether it
    is with the manager, the next plan review due and the last visit. One query."""
    unfinished = Assessment.objects.filter(case=OuterRef("pk"), authorised_at__isnull=True)
    review_due = CinPlanReview.objects.filter(
        plan__case=OuterRef("pk"), plan__end_date__isnull=True, held_on__isnull=True
    ).order_by("due_at")
    return cases.annotate(
        stage=_stage_expression(user),
        assessment_due_at=Subquery(unfinished.values("due_at")[:1]),
        assessment_submitted_at=Subquery(unfinished.values("submitted_at")[:1]),
        review_due_at=Subquery(review_due.values("due_at")[:1]),
        last_visit_at=Subquery(
            Visit.objects.filter(case=OuterRef("pk"))
            .order_by("-visited_at")
            .values("visited_at")[:1]
        ),
    )


@dataclass
class CaseRow:
    """A case as lists show it: its stage and its next deadline."""

    case: Case
    stage: codes.Stage
    next_due_at: datetime | None
    next_due_label: str
    started_at: datetime | None

    @property
    def stage_colour(self) -> str:
        return codes.STAGE_COLOURS[self.stage]


def case_row(case: Case) -> CaseRow:
    """The next thing due on a case annotated by ``with_progress``: the first visit while the
    child is unseen, then the assessment (unless it is with the manager), then the plan's
    review."""
    candidates: list[tuple[datetime, str, datetime | None]] = []
    if case.first_seen_at is None:
        candidates.append((case.first_visit_due_at, "First visit", case.referral_at))
    due = getattr(case, "assessment_due_at", None)
    if due is not None and getattr(case, "assessment_submitted_at", None) is None:
        candidates.append((due, "Assessment", case.referral_at))
    review = getattr(case, "review_due_at", None)
    if review is not None:
        candidates.append((review, "Plan review", None))
    candidates.sort(key=lambda c: c[0])
    first = candidates[0] if candidates else None
    return CaseRow(
        case=case,
        stage=codes.Stage(getattr(case, "stage", Stage.OTHER)),
        next_due_at=first[0] if first else None,
        next_due_label=first[1] if first else "",
        started_at=first[2] if first else None,
    )


def case_list(
    *, user: User, worker: User | None = None, team_ids: list[int] | None = None
) -> list[CaseRow]:
    """Open cases, the next deadline first (overdue at the top, cases with nothing due last):
    a worker's own, or their teams'. One query."""
    cases = cases_visible(user).open()
    if worker is not None:
        cases = cases.filter(worker=worker)
    if team_ids is not None:
        cases = cases.filter(team_id__in=team_ids)
    shown = with_progress(cases, user).select_related("child", "episode", "worker", "team")
    rows = [case_row(case) for case in shown.order_by("referral_at", "pk")]
    rows.sort(key=lambda row: (row.next_due_at is None, row.next_due_at or row.case.referral_at))
    return rows


# --- Allocation -----------------------------------------------------------------------------


def _waiting(user: User, team_ids: list[int] | None) -> QuerySet[Episode]:
    ids = list(team_ids) if team_ids is not None else sorted(permissions.team_ids(user))
    return (
        Episode.objects.open()
        .filter(receiving_team_id__in=ids)
        .exclude(Exists(Case.objects.filter(episode=OuterRef("pk"))))
    )


def with_total(rows: QuerySet[Any]) -> QuerySet[Any]:
    """Each row carries ``total``, the number of rows before any slice: a list shows its
    first rows and says how many there are, in one query."""
    return rows.annotate(total=Window(expression=Count("pk")))


def total_of(rows: list[Any]) -> int:
    return int(getattr(rows[0], "total", len(rows))) if rows else 0


def referrals_to_allocate(
    *, user: User, team_ids: list[int] | None = None, limit: int | None = None
) -> list[Episode]:
    """Open referrals waiting in the user's teams' queues (no case yet), urgent first, then
    oldest (the first ``limit`` of them when given; each carries ``total``). Each carries
    ``first_visit_due_at`` from the council's rule, so the queue shows how long is left. Two
    queries (the referrals, the timescale rules)."""
    if not _active(user) or not user.has_perm(permissions.VIEW):
        return []
    waiting = (
        with_total(_waiting(user, team_ids))
        .select_related("child", "receiving_team")
        .annotate(received_at=F("contact__received_at"))
        .order_by("-is_urgent", "referral_date", "opened_at", "pk")
    )
    episodes = list(waiting[:limit] if limit is not None else waiting)
    rules = timescales.first_visit_rules() if episodes else {}
    for episode in episodes:
        episode.first_visit_due_at = referrals_first_visit_due(episode, rules)
    return episodes


def referrals_first_visit_due(
    episode: Episode, rules: dict[str, timescales.Rule] | None = None
) -> datetime:
    """When a referral not yet allocated must be visited by, under the council's rule (the
    case stores it when it opens)."""
    received = (
        episode.received_at
        if hasattr(episode, "received_at")
        else (episode.contact.received_at if episode.contact else None)
    )
    referral_at = timescales.referral_moment(episode.referral_date, received)
    return timescales.first_visit_due(referral_at, urgent=episode.is_urgent, rules=rules)


def episode_to_allocate(*, user: User, episode_id: int) -> Episode:
    """A referral the user may see, open, for the allocation page (404 otherwise)."""
    if not _active(user) or not user.has_perm(permissions.VIEW):
        raise Http404("No such referral")
    found = (
        Episode.objects.open()
        .select_related("child", "receiving_team", "contact", "case")
        .filter(pk=episode_id)
        .first()
    )
    if found is None:
        raise Http404("No such referral")
    return found


STAGE_COLUMNS = (
    Stage.TO_VISIT,
    Stage.ASSESSMENT,
    Stage.SECTION_47,
    Stage.CHILD_PROTECTION,
    Stage.CIN_PLAN,
    Stage.CLOSING,
    Stage.OTHER,
)


@dataclass
class Caseload:
    """One worker's open cases, by type, and their overdue work."""

    worker: User
    by_stage: dict[str, int] = field(default_factory=dict)
    overdue_assessments: int = 0
    overdue_visits: int = 0

    @cached_property
    def total(self) -> int:
        return sum(self.by_stage.values())

    @cached_property
    def columns(self) -> list[int]:
        return [self.by_stage.get(stage.value, 0) for stage in STAGE_COLUMNS]


# The roles whose holders carry cases (``assessment.work_on_case``).
CASE_HOLDING_ROLES = tuple(
    role.label
    for role, granted in permissions.ROLE_PERMISSIONS.items()
    if permissions.WORK in granted
)


def workers_in(team_ids: list[int] | frozenset[int]) -> list[User]:
    """Active members of these teams who hold cases (social workers and managers)."""
    from haven.accounts.models import User as UserModel

    return list(
        UserModel.objects.filter(
            team_id__in=list(team_ids), is_active=True, groups__name__in=CASE_HOLDING_ROLES
        )
        .select_related("team")
        .distinct()
        .order_by("full_name")
    )


def caseloads(*, user: User, workers: list[User]) -> list[Caseload]:
    """Each worker's open cases by type (stage) and their overdue assessments and first
    visits. One query, whatever the number of workers or cases."""
    now = timezone.now()
    loads = {worker.pk: Caseload(worker=worker) for worker in workers}
    if not loads or not user.has_perm(permissions.VIEW):
        return list(loads.values())
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        with_progress(cases_visible(user).open().filter(worker_id__in=list(loads)), user)
        .order_by()
        .values_list(  # type: ignore[misc]
            "worker_id", "stage", "assessment_due_at", "first_seen_at", "first_visit_due_at"
        )
    )
    for worker_id, stage, assessment_due, seen, visit_due in rows:
        counts[worker_id][stage] += 1
        if assessment_due is not None and assessment_due < now:
            loads[worker_id].overdue_assessments += 1
        if seen is None and visit_due < now:
            loads[worker_id].overdue_visits += 1
    for worker_id, load in loads.items():
        load.by_stage = dict(counts[worker_id])
    return list(loads.values())


# --- The team page --------------------------------------------------------------------------


def teams_with_cases(user: User) -> QuerySet[Team]:
    """The teams that hold cases or receive referrals, for readers to choose from."""
    if not _active(user) or not user.has_perm(permissions.VIEW):
        return Team.objects.none()
    holds_cases = Exists(Case.objects.filter(team=OuterRef("pk")))
    return (
        Team.objects.filter(is_active=True)
        .filter(Q(kind=Team.Kind.ASSESSMENT) | holds_cases)
        .select_related("manager")
        .order_by("name")
    )


def team_get(*, user: User, team_id: int) -> Team:
    found = teams_with_cases(user).filter(pk=team_id).first()
    if found is None:
        raise Http404("No such team")
    return found


def assessments_awaiting_authorisation(*, user: User, team_ids: list[int]) -> QuerySet[Assessment]:
    """Submitted assessments in these teams, waiting for a manager, oldest due first."""
    if not user.has_perm(permissions.VIEW):
        return Assessment.objects.none()
    return (
        Assessment.objects.awaiting_authorisation()
        .filter(case__team_id__in=team_ids)
        .select_related("child", "worker", "case")
        .order_by("due_at", "pk")
    )


def assessments_overdue(*, user: User, team_ids: list[int]) -> QuerySet[Assessment]:
    """Unfinished assessments past their 45 working days in these teams, most overdue first."""
    if not user.has_perm(permissions.VIEW):
        return Assessment.objects.none()
    return (
        Assessment.objects.unfinished()
        .filter(case__team_id__in=team_ids, due_at__lt=timezone.now())
        .filter(case__episode__closed_on__isnull=True, case__episode__withdrawn_at__isnull=True)
        .select_related("child", "worker", "case")
        .order_by("due_at", "pk")
    )


def closures_pending(*, user: User, team_ids: list[int]) -> QuerySet[Closure]:
    if not user.has_perm(permissions.VIEW):
        return Closure.objects.none()
    return (
        Closure.objects.filter(decided_at__isnull=True, case__team_id__in=team_ids)
        .select_related("case", "case__child", "proposed_by")
        .order_by("proposed_at", "pk")
    )


# --- Services starting without delay --------------------------------------------------------


def with_wait_start(services: QuerySet[Service]) -> QuerySet[Service]:
    """Each service carries when its wait began (``waits_from``): the start of the case's
    latest assessment begun on or before the service was agreed (``assessment_started_on``),
    since services should follow the assessment without delay, or the day it was agreed when
    no assessment came before it. One subquery, no extra query."""
    started = Subquery(
        Assessment.objects.filter(
            case_id=OuterRef("case_id"), start_date__lte=OuterRef("agreed_on")
        )
        .order_by("-start_date", "-pk")
        .values("start_date")[:1],
        output_field=DateField(),
    )
    return services.annotate(assessment_started_on=started).annotate(
        waits_from=Coalesce(F("assessment_started_on"), F("agreed_on"), output_field=DateField())
    )


def services_waiting(*, user: User, team_ids: list[int]) -> QuerySet[Service]:
    """Services agreed in these teams' open cases that have not started, each with
    ``waits_from``, the longest wait first."""
    if not _active(user) or not user.has_perm(permissions.VIEW):
        return Service.objects.none()
    return (
        with_wait_start(
            Service.objects.filter(
                start_date__isnull=True,
                case__team_id__in=team_ids,
                case__episode__closed_on__isnull=True,
                case__episode__withdrawn_at__isnull=True,
            )
        )
        .select_related("child", "service_type", "case__worker")
        .order_by("waits_from", "agreed_on", "pk")  # type: ignore[misc]
    )


@dataclass(frozen=True)
class ServiceStarts:
    """How long services took to start, from the assessment's start (or the agreement), for
    the services of some teams that started in a period."""

    start: date
    end: date
    days: list[int]  # each service's wait, in calendar days, shortest first

    @property
    def started(self) -> int:
        return len(self.days)

    @property
    def median_days(self) -> float | None:
        if not self.days:
            return None
        middle = len(self.days) // 2
        if len(self.days) % 2:
            return float(self.days[middle])
        return (self.days[middle - 1] + self.days[middle]) / 2


def service_starts(*, user: User, team_ids: list[int], start: date, end: date) -> ServiceStarts:
    """The services in these teams' cases (open or closed since) that started from ``start``
    to ``end``, with each one's days from ``waits_from`` to its start. One query."""
    days: list[int] = []
    if _active(user) and user.has_perm(permissions.VIEW):
        rows = (
            with_wait_start(
                Service.objects.filter(
                    case__team_id__in=team_ids, start_date__gte=start, start_date__lte=end
                )
            )
            .order_by()
            .values_list("waits_from", "start_date")  # type: ignore[misc]
        )
        days = sorted((started - waited).days for waited, started in rows)
    return ServiceStarts(start=start, end=end, days=days)


def service_period(weeks: int, today: date | None = None) -> tuple[date, date]:
    """The ``weeks`` up to and including today."""
    end = today or timezone.localdate()
    return end - timedelta(weeks=weeks) + timedelta(days=1), end


# --- One case and its records ---------------------------------------------------------------


def case_get(*, user: User, case_id: int) -> Case:
    found = (
        cases_visible(user)
        .select_related("child", "episode", "episode__contact", "team", "worker")
        .filter(pk=case_id)
        .first()
    )
    if found is None:
        raise Http404("No such case")
    return found


@dataclass
class CaseRecords:
    """Everything the case page shows, each list one query."""

    allocations: list[Allocation]
    visits: list[Visit]
    assessments: list[Assessment]
    plans: list[CinPlan]
    services: list[Service]
    closures: list[Closure]
    protection_plans: list[Any]
    enquiries: list[Any]


def case_records(*, user: User, case: Case) -> CaseRecords:
    return CaseRecords(
        allocations=list(
            case.allocations.select_related("worker", "team", "allocated_by").order_by(
                "-started_at", "-pk"
            )
        ),
        visits=list(case.visits.select_related("worker").order_by("-visited_at", "-pk")),
        assessments=list(
            case.assessments.select_related("worker", "authorised_by")
            .prefetch_related("factors")
            .order_by("-start_date", "-pk")
        ),
        plans=list(
            case.plans.prefetch_related(
                Prefetch(
                    "reviews",
                    queryset=CinPlanReview.objects.select_related("recorded_by").order_by(
                        "due_date", "pk"
                    ),
                )
            ).order_by("end_date", "-start_date")
        ),
        services=list(
            with_wait_start(case.services.all())
            .select_related("service_type")
            .order_by("-agreed_on", "-pk")
        ),
        closures=list(
            case.closures.select_related("proposed_by", "decided_by").order_by("-proposed_at")
        ),
        protection_plans=list(protection.plans_for_child(user=user, child=case.child)),
        enquiries=list(
            protection.enquiries_visible(user).filter(child=case.child).order_by("-start_date")
        ),
    )


def cases_of_child(*, user: User, child: Person) -> list[Case]:
    """A child's cases, newest first, with their worker and team (for the child's page)."""
    return list(
        cases_visible(user)
        .filter(child=child)
        .select_related("episode", "worker", "team")
        .order_by("-referral_at")
    )


def assessment_get(*, user: User, assessment_id: int) -> Assessment:
    if not _active(user) or not user.has_perm(permissions.VIEW):
        raise Http404("No such assessment")
    found = (
        Assessment.objects.select_related(
            "case",
            "case__episode",
            "case__worker",
            "case__team",
            "child",
            "worker",
            "authorised_by",
            "submitted_by",
            "previous",
            "previous__worker",
        )
        .prefetch_related(
            "factors",
            Prefetch("previous__factors", queryset=AssessmentFactor.objects.all()),
            Prefetch(
                "reviews",
                queryset=AssessmentReview.objects.select_related("decided_by").order_by(
                    "decided_at"
                ),
            ),
        )
        .filter(pk=assessment_id)
        .first()
    )
    if found is None:
        raise Http404("No such assessment")
    return found


def factor_codes(assessment: Assessment | None) -> list[str]:
    """An assessment's factor codes, in code order (from a prefetch when there is one)."""
    if assessment is None:
        return []
    order = {code: i for i, code in enumerate(codes.Factor.values)}
    return sorted((f.code for f in assessment.factors.all()), key=lambda c: order.get(c, 99))


def plan_get(*, user: User, plan_id: int) -> CinPlan:
    if not _active(user) or not user.has_perm(permissions.VIEW):
        raise Http404("No such plan")
    found = (
        CinPlan.objects.select_related("case", "case__episode", "case__team", "child", "worker")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=CinPlanReview.objects.select_related("recorded_by").order_by(
                    "due_date", "pk"
                ),
            ),
            Prefetch("services", queryset=Service.objects.select_related("service_type")),
        )
        .filter(pk=plan_id)
        .first()
    )
    if found is None:
        raise Http404("No such plan")
    return found


def service_get(*, user: User, service_id: int) -> Service:
    if not _active(user) or not user.has_perm(permissions.VIEW):
        raise Http404("No such service")
    found = (
        Service.objects.select_related(
            "case", "case__episode", "case__team", "child", "service_type"
        )
        .filter(pk=service_id)
        .first()
    )
    if found is None:
        raise Http404("No such service")
    return found


def closure_get(*, user: User, closure_id: int) -> Closure:
    if not _active(user) or not user.has_perm(permissions.VIEW):
        raise Http404("No such closure")
    found = (
        Closure.objects.select_related(
            "case", "case__episode", "case__team", "case__worker", "case__child", "proposed_by"
        )
        .filter(pk=closure_id)
        .first()
    )
    if found is None:
        raise Http404("No such closure")
    return found


def service_types() -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(is_active=True).order_by("order", "name")


def latest_authorised_assessment(case: Case) -> Assessment | None:
    return (
        Assessment.objects.filter(case=case, authorised_at__isnull=False)
        .order_by("-authorised_at")
        .first()
    )
