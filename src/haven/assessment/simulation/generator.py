"""One year of cases: each referral's allocation, visits, assessment, plan, services and
closure, in time order, so each worker's caseload at the moment of allocation is known. The
rates are named in the package's docstring."""

from __future__ import annotations

import heapq
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.assessment import codes, timescales
from haven.assessment.models import (
    Assessment,
    Case,
    CinPlan,
    ServiceType,
)
from haven.assessment.simulation import closures, texts
from haven.assessment.simulation import factors as factor_table
from haven.assessment.simulation import staff as staffing
from haven.core import calendar
from haven.core import timescales as core_timescales
from haven.demo.simulation import SimulationContext
from haven.frontdoor.models import Episode
from haven.protection.models import ChildProtectionPlan, Section47Enquiry

MEDIAN_ASSESSMENT_DAYS = 33  # working days from referral to authorisation (England)
ASSESSMENT_SPREAD = 0.29  # log-normal sigma: with the median, 86% within 45 working days
OUTCOMES = (("nfa", 0.33), ("early_help", 0.17), ("cin_plan", 0.45), ("looked_after", 0.05))
RETURNED_SHARE = 1 / 7
REALLOCATED_SHARE = 1 / 12
NOT_SEEN_FIRST_SHARE = 0.1
MOVE_REASONS = (
    "The worker has left the team",
    "The worker is on long-term leave",
    "Balancing the team's caseloads",
    "The case needs a worker with experience of exploitation",
)
SERVICE_FOR_FACTOR = {
    "3B": "domestic-abuse",
    "3A": "domestic-abuse",
    "1B": "substance-misuse",
    "2B": "substance-misuse",
    "2A": "young-people-substance",
    "4B": "adult-mental-health",
    "4A": "camhs",
    "10A": "exploitation",
    "11A": "exploitation",
    "24A": "exploitation",
    "6A": "short-breaks",
    "5A": "short-breaks",
}


def pace() -> float:
    """How fast the council works: 1.0 is England's average; lower is faster."""
    return float(getattr(settings, "HAVEN_SIMULATION_ASSESSMENT_PACE", 1.0))


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _at_work(rng: random.Random, day: date, *, not_before: datetime | None = None) -> datetime:
    """A moment in office hours on ``day`` (moved to the next working day when it is not one),
    and not before ``not_before``."""
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    moment = datetime.combine(
        day, time(rng.randrange(9, 17), rng.randrange(60)), tzinfo=calendar.local_tz()
    )
    if not_before is not None and moment < not_before:
        moment = not_before + timedelta(minutes=rng.randrange(20, 180))
    return moment


def _after_working_days(
    rng: random.Random, moment: datetime, days: float, *, not_before: datetime | None = None
) -> datetime:
    start = timezone.localtime(moment, calendar.local_tz()).date()
    return _at_work(
        rng, calendar.add_working_days(start, max(0, round(days))), not_before=not_before
    )


@dataclass
class Rows:
    """Everything one year makes, written in bulk at the end."""

    cases: list[Case] = field(default_factory=list)
    allocations: list[tuple[Any, ...]] = field(default_factory=list)
    visits: list[tuple[Any, ...]] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    factors: list[tuple[int, list[str]]] = field(default_factory=list)  # assessment index
    reviews: list[tuple[int, str, str, User, datetime]] = field(default_factory=list)
    plans: list[CinPlan] = field(default_factory=list)
    plan_reviews: list[tuple[int, date, datetime, date | None, str, str]] = field(
        default_factory=list
    )
    services: list[tuple[int, int | None, str, str, date, date | None, date | None]] = field(
        default_factory=list
    )  # case index, plan index, type key, provider, agreed, start, end
    closures: list[tuple[int, date, str, User, datetime, datetime | None, User | None]] = field(
        default_factory=list
    )
    closed: list[tuple[int, date, str, datetime, User]] = field(default_factory=list)
    chronology: list[tuple[Any, ...]] = field(default_factory=list)  # case index first


class Workers:
    """Each worker's open cases over the year: allocated cases not yet closed."""

    def __init__(self, staff: staffing.Staff, earlier: list[tuple[int, datetime | None]]) -> None:
        self.staff = staff
        self.ends: dict[int, list[float]] = defaultdict(list)
        for worker_id, closed_at in earlier:
            heapq.heappush(self.ends[worker_id], closed_at.timestamp() if closed_at else math.inf)

    def load(self, worker_id: int, at: datetime) -> int:
        ends = self.ends[worker_id]
        while ends and ends[0] <= at.timestamp():
            heapq.heappop(ends)
        return len(ends)

    def choose(self, team_id: int, at: datetime, *, avoid: int | None = None) -> User:
        workers = [w for w in self.staff.workers[team_id] if w.pk != avoid] or self.staff.workers[
            team_id
        ]
        return min(workers, key=lambda w: (self.load(w.pk, at), w.pk))

    def hold(self, worker_id: int, until: datetime | None) -> None:
        heapq.heappush(self.ends[worker_id], until.timestamp() if until else math.inf)


@dataclass
class Track:
    """One case being simulated: where it is written, who holds it, what is known."""

    index: int
    case: Case
    worker: User
    manager: User
    name: str
    referral_date: date
    outcome_hint: str
    cp_end: date | None
    chosen: list[str] = field(default_factory=list)
    assessment_index: int = -1


class YearOfCases:
    def __init__(self, ctx: SimulationContext, staff: staffing.Staff, now: datetime) -> None:
        self.rng = ctx.rng
        self.staff = staff
        self.now = now
        self.pace = pace()
        self.rows = Rows()
        self.spill: int | None = None  # the team taking referrals its own team cannot
        self.rules = timescales.first_visit_rules()
        self.assessment_rule = timescales.rule_for("assessment")
        self.review_rule = timescales.rule_for(timescales.PLAN_REVIEW.key)
        self.service_types = set(
            ServiceType.objects.filter(is_active=True).values_list("key", flat=True)
        )

    def _team_for(self, receiving: int | None, at: datetime, workers: Workers) -> int:
        """The receiving team while it has a worker with room, otherwise the last team that
        had room, otherwise any team with room; when every worker is full, a new worker joins
        a team with space, or a new team opens."""
        staff = self.staff

        def has_room(team_id: int | None) -> bool:
            return any(
                workers.load(w.pk, at) < staffing.TARGET_CASELOAD
                for w in staff.workers.get(team_id or -1, [])
            )

        for candidate in (receiving, self.spill):
            if candidate is not None and has_room(candidate):
                return candidate
        for team in staff.teams:
            if has_room(team.pk):
                self.spill = team.pk
                return team.pk
        roomy = next(
            (t for t in staff.teams if len(staff.workers.get(t.pk, [])) < staffing.TEAM_SIZE),
            None,
        )
        if roomy is None:
            roomy = staff.open_team()
        else:
            staff.hire(roomy, Role.SOCIAL_WORKER, 1)
        self.spill = roomy.pk
        return roomy.pk

    def entry(self, t: Track, when: datetime, kind: str, summary: str, actor: User | None) -> None:
        self.rows.chronology.append((t.index, when, kind, summary[:300], actor))

    # --- one case ----------------------------------------------------------------------

    def case(
        self, episode: dict[str, Any], workers: Workers, outcome_hint: str, cp_end: date | None
    ) -> None:
        rng, now, pace_ = self.rng, self.now, self.pace
        referral_at = timescales.referral_moment(episode["referral_date"], episode["received_at"])
        urgent = episode["is_urgent"]
        if urgent:
            allocated = referral_at + timedelta(hours=rng.uniform(0.3, 3.0) * pace_)
        else:
            lag = _pick(rng, (("0", 0.45), ("1", 0.3), ("2", 0.13), ("3", 0.07), ("5", 0.05)))
            allocated = _after_working_days(
                rng, referral_at, int(lag) * pace_, not_before=referral_at
            )
        if allocated > now:
            return  # still in the team's queue
        team_id = self._team_for(episode["receiving_team_id"], allocated, workers)
        worker = workers.choose(team_id, allocated)
        case = Case(
            episode_id=episode["pk"],
            child_id=episode["child_id"],
            team_id=team_id,
            worker=worker,
            referral_at=referral_at,
            allocated_at=allocated,
            first_visit_due_at=core_timescales.apply_rule(
                self.rules["first_visit_urgent" if urgent else "first_visit"], referral_at
            ),
        )
        t = Track(
            index=len(self.rows.cases),
            case=case,
            worker=worker,
            manager=self.staff.managers[team_id],
            name=episode["first_name"],
            referral_date=episode["referral_date"],
            outcome_hint=outcome_hint,
            cp_end=cp_end,
        )
        self.rows.cases.append(case)
        summary = f"Allocated to {worker.full_name} ({worker.team})"
        self.entry(t, allocated, "case_allocated", summary, t.manager)
        # The first visit (sometimes after an attempt when the child was not seen).
        if urgent:
            seen_at = referral_at + timedelta(hours=rng.uniform(2, 30) * pace_)
            seen_at = max(seen_at, allocated + timedelta(minutes=30))
        else:
            days = rng.lognormvariate(math.log(2.5 * pace_), 0.55)
            seen_at = _after_working_days(rng, referral_at, days, not_before=allocated)
        if rng.random() < NOT_SEEN_FIRST_SHARE:
            attempt = max(allocated + timedelta(minutes=20), seen_at - timedelta(days=1))
            if attempt <= now:
                self._visit(t, attempt, seen=False)
        end: datetime | None = None
        if seen_at <= now:
            case.first_seen_at = seen_at
            self._visit(t, seen_at, seen=True)
            end = self._assessment(t, seen_at)
        workers.hold(worker.pk, end)
        self._allocation_history(t, allocated, end, workers)

    def _allocation_history(
        self, t: Track, allocated: datetime, end: datetime | None, workers: Workers
    ) -> None:
        rng, case = self.rng, t.case
        last = min(end or self.now, self.now)
        first = (t.index, t.worker.pk, case.team_id, allocated, end, "", t.manager.pk)
        if rng.random() >= REALLOCATED_SHARE or last - allocated < timedelta(days=10):
            self.rows.allocations.append(first)
            return
        moved = allocated + (last - allocated) * rng.uniform(0.2, 0.8)
        successor = workers.choose(case.team_id, moved, avoid=t.worker.pk)  # type: ignore[arg-type]
        reason = texts.pick(rng, MOVE_REASONS)
        self.rows.allocations.append((*first[:4], moved, *first[5:]))
        self.rows.allocations.append(
            (t.index, successor.pk, case.team_id, moved, end, reason, t.manager.pk)
        )
        case.worker = successor
        workers.hold(successor.pk, end)
        summary = f"Moved from {t.worker.full_name} to {successor.full_name}: {reason}"
        self.entry(t, moved, "case_allocated", summary, t.manager)

    def _visit(self, t: Track, at: datetime, *, seen: bool) -> None:
        rng = self.rng
        kind = "home" if rng.random() < 0.8 else texts.pick(rng, ("school", "office", "other"))
        alone = rng.random() < 0.7 if seen else None
        bedroom = (kind == "home" and rng.random() < 0.8) if seen else None
        reason = "" if seen else "Nobody answered the door; a card was left."
        who = t.case.worker or t.worker
        self.rows.visits.append(
            (t.index, t.case.child_id, at, kind, "", seen, alone, bedroom, reason, "", "",
             who.pk, who.pk, at)
        )  # fmt: skip
        where = codes.VisitKind(kind).label
        if seen:
            how = "seen alone" if alone else "seen, not alone"
            summary = f"{where}: {t.name} {how}{', bedroom seen' if bedroom else ''}"
        else:
            summary = f"{where}: {t.name} not seen ({reason})"
        self.entry(t, at, "visit", summary, who)

    def _visits_between(self, t: Track, start: datetime, end: datetime, every: int) -> None:
        moment = _after_working_days(self.rng, start, every + self.rng.randint(-3, 3))
        while moment < end and moment <= self.now:
            self._visit(t, moment, seen=self.rng.random() < 0.93)
            moment = _after_working_days(self.rng, moment, every + self.rng.randint(-3, 3))

    def _assessment(self, t: Track, seen_at: datetime) -> datetime | None:
        """The assessment and what follows it; returns when the case closed (None: open)."""
        rng, now, case, worker = self.rng, self.now, t.case, t.worker
        referral_at = case.referral_at
        start_date = timezone.localtime(case.allocated_at or seen_at, calendar.local_tz()).date()
        days = rng.lognormvariate(math.log(MEDIAN_ASSESSMENT_DAYS * self.pace), ASSESSMENT_SPREAD)
        seen_days = calendar.working_days_between(t.referral_date, seen_at.date())
        authorised = _after_working_days(
            rng, referral_at, max(days, seen_days + 3), not_before=seen_at
        )
        submitted = max(
            authorised - timedelta(days=rng.uniform(0.5, 4)), seen_at + timedelta(hours=2)
        )
        returned = rng.random() < RETURNED_SHARE
        first_submit = submitted - timedelta(days=rng.uniform(3, 8)) if returned else submitted
        returned_at = first_submit + timedelta(days=rng.uniform(1, 2))
        outcome = t.outcome_hint or _pick(rng, OUTCOMES)
        t.chosen = factor_table.draw(rng, no_further_action=outcome in ("nfa", "early_help"))
        written = first_submit <= now
        t.assessment_index = len(self.rows.assessments)
        assessment = Assessment(
            child_id=case.child_id,
            team_id=case.team_id,
            worker=worker,
            start_date=start_date,
            due_at=core_timescales.apply_rule(self.assessment_rule, referral_at),
            worries=texts.worries(rng, t.chosen),
            working_well=texts.pick(rng, texts.WORKING_WELL),
            needs_to_happen=texts.pick(rng, texts.NEEDS),
            scale=rng.randint(2, 8) if written else None,
            scale_given_by=texts.pick(rng, texts.GIVEN_BY) if written else "",
            child_voice=texts.pick(rng, texts.VOICES),
            analysis=texts.pick(rng, texts.ANALYSIS) if written else "",
            outcome=outcome if written else "",
            created_by=worker,
            saved_at=min(first_submit, now),
        )
        assessment._case_index = t.index  # type: ignore[attr-defined]
        self.rows.assessments.append(assessment)
        started = datetime.combine(start_date, time(9, 30), tzinfo=calendar.local_tz())
        self.entry(t, started, "assessment_started", "Child and family assessment started", worker)
        if written:
            self.rows.factors.append((t.assessment_index, t.chosen))
        submitted_summary = (
            f"Assessment submitted for authorisation: {codes.Outcome(outcome).label.lower()}"
        )
        if returned and first_submit <= now:
            self.entry(t, first_submit, "assessment_submitted", submitted_summary, worker)
            if returned_at <= now:
                comment = "Say more about what school sees, and weigh the strengths."
                self.rows.reviews.append(
                    (t.assessment_index, "returned", comment, t.manager, returned_at)
                )
                self.entry(
                    t, returned_at, "assessment_returned",
                    f"Assessment returned by the manager: {comment}", t.manager,
                )  # fmt: skip
                assessment.returned_at = returned_at
            else:
                assessment.submitted_at, assessment.submitted_by = first_submit, worker
        if submitted <= now and (not returned or returned_at <= now):
            assessment.submitted_at, assessment.submitted_by = submitted, worker
            assessment.child_seen = True
            self.entry(t, submitted, "assessment_submitted", submitted_summary, worker)
        self._visits_between(t, seen_at, min(authorised, now), 12)
        if authorised > now:
            return None
        assessment.authorised_at, assessment.authorised_by = authorised, t.manager
        self.rows.reviews.append((t.assessment_index, "authorised", "", t.manager, authorised))
        late = "" if authorised <= assessment.due_at else " (after the 45 working days)"
        summary = f"Assessment authorised: {codes.Outcome(outcome).label.lower()}{late}"
        self.entry(t, authorised, "assessment_authorised", summary, t.manager)
        return self._after(t, outcome, authorised)

    def _after(self, t: Track, outcome: str, authorised: datetime) -> datetime | None:
        rng = self.rng
        if outcome in ("nfa", "early_help"):
            proposed = _after_working_days(
                rng, authorised, rng.randint(0, 3), not_before=authorised
            )
            usual = "RC8" if outcome == "nfa" else "RC9"
            return self._close(t, proposed, closures.closure_reason(rng, usual))
        if outcome == "child_protection":
            # Visited every two weeks or so while the plan lasts (protection records the plan).
            ends = (
                _at_work(rng, t.cp_end + timedelta(days=rng.randint(7, 30))) if t.cp_end else None
            )
            self._visits_between(t, authorised, min(ends or self.now, self.now), 10)
            if ends is None:
                return None
            return self._close(t, ends, closures.closure_reason(rng, "RC7", path=closures.PLAN))
        if outcome == "looked_after":
            day = timezone.localtime(authorised).date() + timedelta(days=rng.randint(180, 540))
            ends = _at_work(rng, day)
            self._visits_between(t, authorised, min(ends, self.now), 30)
            reason = closures.closure_reason(rng, "RC7", path=closures.LOOKED_AFTER)
            return self._close(t, ends, reason)
        # A child in need plan (also after a section 47 enquiry that did not lead to a plan).
        start = timezone.localtime(authorised, calendar.local_tz()).date() + timedelta(
            days=rng.randint(0, 5)
        )
        if start > self.now.date():
            return None
        return self._plan(t, start)

    def _plan(self, t: Track, start: date) -> datetime | None:
        rng, now = self.rng, self.now
        p_index = len(self.rows.plans)
        plan = CinPlan(
            child_id=t.case.child_id,
            start_date=start,
            needs_to_happen=texts.pick(rng, texts.NEEDS),
            team_id=t.case.team_id,
            worker=t.worker,
            created_by=t.worker,
        )
        plan._case_index = t.index  # type: ignore[attr-defined]
        plan._assessment_index = t.assessment_index  # type: ignore[attr-defined]
        self.rows.plans.append(plan)
        start_at = _at_work(rng, start)
        self.entry(t, start_at, "cin_plan_started", "Child in need plan started", t.worker)
        months = max(2.5, rng.lognormvariate(math.log(6), 0.4))
        planned_end = start + timedelta(days=round(months * 30.4))
        self._services(t, p_index, start, planned_end)
        review_from = start
        while True:
            due_at = core_timescales.apply_rule(
                self.review_rule,
                datetime.combine(review_from, time(12), tzinfo=calendar.local_tz()),
            )
            due = timezone.localtime(due_at, calendar.local_tz()).date()
            late = rng.random() >= 0.9
            held = due + timedelta(days=rng.randint(3, 20) if late else rng.randint(-6, 2))
            held = max(held, review_from + timedelta(days=7))
            closes = datetime.combine(due, time(17), tzinfo=calendar.local_tz())
            if held > now.date():
                self.rows.plan_reviews.append((p_index, due, closes, None, "", ""))
                self._visits_between(t, start_at, now, 22)
                return None
            ending = held >= planned_end
            key = "end" if ending else "continue"
            notes = "Progress against the plan reviewed with the family and partners."
            self.rows.plan_reviews.append((p_index, due, closes, held, key, notes))
            self.entry(
                t, _at_work(rng, held), "cin_plan_ended" if ending else "cin_plan_reviewed",
                f"Child in need plan reviewed: {codes.PlanReviewOutcome(key).label.lower()}",
                t.worker,
            )  # fmt: skip
            if not ending:
                review_from = held
                continue
            plan.end_date = held
            plan.end_reason = "The plan's goals are met."
            end_at = _at_work(rng, held)
            self._visits_between(t, start_at, end_at, 22)
            proposed = _after_working_days(rng, end_at, rng.randint(0, 4), not_before=end_at)
            reason = closures.closure_reason(rng, "RC7", path=closures.PLAN)
            return self._close(t, proposed, reason)

    def _services(self, t: Track, p_index: int, start: date, planned_end: date) -> None:
        rng, today = self.rng, self.now.date()
        keys = [SERVICE_FOR_FACTOR[c] for c in t.chosen if c in SERVICE_FOR_FACTOR]
        keys += ["family-support", "parenting", "family-group-conference", "youth-work"]
        for key in list(dict.fromkeys(keys))[: rng.choice((1, 2, 2, 3))]:
            if key not in self.service_types:
                continue
            agreed = start - timedelta(days=rng.randint(0, 10)) if rng.random() < 0.3 else start
            begun = agreed + timedelta(days=round(rng.expovariate(math.log(2) / (8 * self.pace))))
            started = begun if begun <= today else None
            ended = planned_end if started and started <= planned_end <= today else None
            provider = (
                "Haven Family Support Service"
                if key == "family-support"
                else "Commissioned provider"
            )
            self.rows.services.append((t.index, p_index, key, provider, agreed, started, ended))
            if started:
                summary = f"Service started {(started - agreed).days} days after it was agreed"
                self.entry(t, _at_work(rng, started), "service_started", summary, None)

    def _close(self, t: Track, proposed: datetime, reason: str) -> datetime | None:
        rng, now = self.rng, self.now
        if proposed > now:
            return None
        decided = _after_working_days(rng, proposed, rng.randint(0, 2), not_before=proposed)
        decided_at = decided if decided <= now else None
        closed_on = timezone.localtime(decided_at or proposed, calendar.local_tz()).date()
        self.rows.closures.append(
            (t.index, closed_on, reason, t.worker, proposed, decided_at,
             t.manager if decided_at else None)
        )  # fmt: skip
        label = codes.ClosureReason(reason).label
        self.entry(t, proposed, "closure_proposed", f"Closure proposed: {label}", t.worker)
        if decided_at is None:
            return None
        self.rows.closed.append((t.index, closed_on, reason, decided_at, t.manager))
        summary = f"Children in need episode closed: {label}"
        self.entry(t, decided_at, "episode_closed", summary, t.manager)
        return decided_at


def _protection_facts(
    children: list[int], since: date
) -> tuple[dict[int, date], dict[int, date | None], set[int]]:
    """Children's child protection plans and section 47 enquiries from the protection
    generator: the plan's start and end, and who had an enquiry. Two queries."""
    plan_start: dict[int, date] = {}
    plan_end: dict[int, date | None] = {}
    for child, started, ended in ChildProtectionPlan.objects.filter(
        child_id__in=children, start_date__gte=since
    ).values_list("child_id", "start_date", "end_date"):
        if child not in plan_start or started < plan_start[child]:
            plan_start[child], plan_end[child] = started, ended
    enquired = set(
        Section47Enquiry.objects.filter(child_id__in=children, start_date__gte=since).values_list(
            "child_id", flat=True
        )
    )
    return plan_start, plan_end, enquired


def run(ctx: SimulationContext) -> dict[str, int]:
    from haven.assessment.simulation.writer import write
    from haven.frontdoor.simulation import simulated_now

    tz = calendar.local_tz()
    start = datetime.combine(ctx.year.start, time(0), tzinfo=tz)
    end = datetime.combine(ctx.year.end + timedelta(days=1), time(0), tzinfo=tz)
    columns = (
        "pk", "child_id", "referral_date", "receiving_team_id", "is_urgent", "opened_at",
        "contact__received_at", "child__first_name",
    )  # fmt: skip
    names = ("pk", "child_id", "referral_date", "receiving_team_id", "is_urgent", "opened_at",
             "received_at", "first_name")  # fmt: skip
    episodes: list[dict[str, Any]] = [
        dict(zip(names, row, strict=True))
        for row in Episode.objects.current()
        .filter(opened_at__gte=start, opened_at__lt=end, closed_on__isnull=True, case__isnull=True)
        .order_by("opened_at", "pk")
        .values_list(*columns)
    ]
    if not episodes:
        return {}
    now = simulated_now(ctx)
    staff = staffing.ensure(ctx.rng)
    earlier = list(
        Case.objects.filter(worker__isnull=False, allocated_at__lt=start)
        .exclude(episode__closed_at__lt=start)
        .values_list("worker_id", "episode__closed_at")
    )
    workers = Workers(staff, earlier)
    children = [e["child_id"] for e in episodes]
    plan_start, plan_end, enquired = _protection_facts(children, ctx.year.start)
    year = YearOfCases(ctx, staff, now)
    for episode in episodes:
        child = episode["child_id"]
        hint = ""
        if child in plan_start and plan_start[child] >= episode["referral_date"]:
            hint = "child_protection"
        elif child in enquired:
            hint = "section_47" if ctx.rng.random() < 0.5 else "cin_plan"
        year.case(episode, workers, hint, plan_end.get(child))
    made = write(ctx, year.rows, ctx.year)
    return {**made, "staff joined": len(staff.made)}
