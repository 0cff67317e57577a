"""The protection generator: strategy discussions, section 47 enquiries, conferences, plans and
the medium-risk multi-agency meeting, for each simulated year (after the front door's contacts).

Rates come from the DfE's published statistics in ``protection/data`` (child protection plans
started a year, table D3; how long plans last, table D5), scaled to the profile; the ratios
the published tables do not give (enquiries to conferences to plans, agency attendance, the
meeting's waits) are the assumptions named below and in ``data/SOURCES.md``.

Children come first from the front door's decisions that asked for a strategy discussion in the
year, then from the year's referrals (CIN episodes), then from the children who came to notice.
Rows are written in bulk; one audit event covers the run (the framework writes it).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import Agency, Team, User
from haven.core import calendar, timescales
from haven.demo.simulation import PROFILES, Generator, SimulationContext, register
from haven.frontdoor.models import ContactDecision, Episode
from haven.people.models import Person
from haven.protection import codes
from haven.protection.models import (
    ChildProtectionPlan,
    DiscussionAction,
    DiscussionAgency,
    DiscussionChild,
    InitialConference,
    Meeting,
    MeetingAttendee,
    MeetingConsideration,
    MeetingKind,
    MeetingReferral,
    PlanReview,
    Section47Enquiry,
    StrategyDiscussion,
)
from haven.protection.services.enquiries import conference_due_at

DATA = Path(__file__).resolve().parent / "data"

# Assumptions (not in the benchmark files): approximate national ratios.
SD_TO_S47 = 0.75  # strategy discussions that decide on a section 47 enquiry
S47_TO_ICPC = 0.37  # enquiries that lead to an initial child protection conference
ICPC_TO_PLAN = 0.77  # initial conferences that start a plan
ICPC_IN_TIME = 0.81  # England: initial conferences within 15 working days (the aim)
OUT_OF_HOURS_SHARE = 0.2
FORMAL_DAY, FORMAL_OUT_OF_HOURS = 0.97, 0.7
CATEGORIES = (("NEG", 0.48), ("EMO", 0.36), ("PHY", 0.07), ("SAB", 0.04), ("MUL", 0.05))
# Attendance by agency: attended, apologies, did not attend, not invited.
ATTENDANCE = {
    "police": (0.93, 0.03, 0.02, 0.02),
    "health": (0.78, 0.1, 0.05, 0.07),
    "education": (0.42, 0.18, 0.12, 0.28),
    "social_care": (1.0, 0.0, 0.0, 0.0),
}
NOT_INVITED_REASONS = {
    "police": ["Police information gathered by phone beforehand."],
    "health": ["No health involvement known.", "Out of hours: no one available."],
    "education": [
        "School holidays: no designated safeguarding lead available.",
        "Child not on a school roll.",
        "Out of hours: the school could not be reached.",
        "Under school age: no education setting.",
    ],
}
MRM_REFERRALS_PER_SD = 0.35  # medium-risk meeting referrals a year, per strategy discussion
MRM_MISSED_CAPACITY = 0.15  # a referral not reached at its first meeting waits a week more
MRM_OUTCOMES = (
    ("plan_agreed", 0.45),
    ("risk_reduced", 0.2),
    ("assessment", 0.12),
    ("strategy", 0.05),
    ("review", 0.08),
    ("close", 0.1),
)


@lru_cache(maxsize=4)
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATA / name).open(newline="", encoding="utf-8-sig") as handle:
        return tuple(csv.DictReader(handle))


def plans_started(year_end: int, *, la_name: str = "Birmingham") -> int:
    """Child protection plans started in the reporting year ending ``year_end`` (table D3),
    or in the latest year published."""
    rows = [r for r in _rows("d3_cpps_subsequent_plan_2013_to_2025.csv") if r["la_name"] == la_name]
    chosen = [r for r in rows if r["time_period"] == str(year_end)] or [
        max(rows, key=lambda r: r["time_period"])
    ]
    return int(chosen[0]["CPP_start"])


def plan_length_buckets() -> list[tuple[int, int, float]]:
    """How long plans open at 31 March had lasted (table D5, England, latest year): day ranges
    and shares, for drawing how long a simulated plan lasts."""
    rows = [
        r
        for r in _rows("d5_cpps_at31march_by_duration_2013_to_2025.csv")
        if r["geographic_level"] == "National"
    ]
    latest = max(rows, key=lambda r: r["time_period"])
    return [
        (1, 91, float(latest["3_months_or_less_percent"])),
        (92, 182, float(latest["more_than_3_months_6_months_percent"])),
        (183, 364, float(latest["more_than_6_months_less_than_1_year_percent"])),
        (365, 729, float(latest["1_year_less_than_2_years_percent"])),
        (730, 1000, float(latest["2_years_or_more_percent"])),
    ]


def _pick(rng: random.Random, weighted: Any) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


@dataclass
class Staff:
    recorders: list[User]
    out_of_hours: list[User]
    chairs: list[User]
    teams: list[Team]
    agencies: dict[str, list[Agency]]

    @classmethod
    def load(cls) -> Staff:
        def holders(codename: str) -> list[User]:
            return list(
                User.objects.filter(
                    is_active=True,
                    agency__isnull=True,
                    groups__permissions__codename=codename,
                    groups__permissions__content_type__app_label="protection",
                )
                .select_related("team")
                .distinct()
                .order_by("pk")
            )

        recorders = holders("record_strategy_discussion")
        ooh = [u for u in recorders if u.team is not None and u.team.kind == Team.Kind.OUT_OF_HOURS]
        agencies: dict[str, list[Agency]] = {}
        for agency in Agency.objects.filter(is_active=True).order_by("pk"):
            agencies.setdefault(agency.kind, []).append(agency)
        return cls(
            recorders=[u for u in recorders if u not in ooh] or recorders,
            out_of_hours=ooh or recorders,
            chairs=holders("chair_strategy_discussion"),
            teams=list(
                Team.objects.filter(kind=Team.Kind.ASSESSMENT, is_active=True).order_by("pk")
            ),
            agencies=agencies,
        )


@dataclass
class Subject:
    children: list[int]
    origin: str
    moment: datetime | None = None
    decision_id: int | None = None
    contact_id: int | None = None
    episode_by_child: dict[int, int] = field(default_factory=dict)
    team_id: int | None = None


def _now(ctx: SimulationContext) -> datetime:
    """Now, or the end of the simulated "today" when the simulator runs as of an earlier day."""
    now = timezone.now()
    if ctx.today < timezone.localdate():
        return datetime.combine(ctx.today, time(18, 0), tzinfo=timezone.get_current_timezone())
    return now


def _year_bounds(ctx: SimulationContext) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(ctx.year.start, time.min, tzinfo=tz)
    end = datetime.combine(min(ctx.year.end, ctx.today) + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def _elapsed_share(ctx: SimulationContext) -> float:
    last = min(ctx.year.end, ctx.today)
    return max(0.0, min(1.0, ((last - ctx.year.start).days + 1) / 365))


def _subjects(ctx: SimulationContext, wanted_children: int) -> list[Subject]:
    """Who the year's strategy discussions are about, in order of where they came from."""
    start, end = _year_bounds(ctx)
    found: list[Subject] = []
    used: set[int] = set()
    decisions = (
        ContactDecision.objects.filter(
            outcome="strategy", is_current=True, decided_at__gte=start, decided_at__lt=end
        )
        .exclude(strategy_discussions__isnull=False)
        .prefetch_related("referred_children")
        .order_by("decided_at", "pk")
    )
    for decision in decisions:
        children = [p.pk for p in decision.referred_children.all() if p.kind == "child"]
        if children:
            found.append(
                Subject(
                    children,
                    codes.Origin.CONTACT_DECISION,
                    decision.decided_at + timedelta(hours=ctx.rng.randint(1, 6)),
                    decision.pk,
                    decision.contact_id,
                    team_id=decision.receiving_team_id,
                )
            )
            used.update(children)
    count = sum(len(s.children) for s in found)
    if count < wanted_children:
        episodes = list(
            Episode.objects.current()
            .filter(opened_at__gte=start, opened_at__lt=end, child__kind="child")
            .exclude(child_id__in=used)
            .values_list("child_id", "pk", "receiving_team_id", "opened_at")
        )
        ctx.rng.shuffle(episodes)
        for child_id, episode_id, team_id, opened in episodes:
            if count >= wanted_children:
                break
            if child_id in used:
                continue
            found.append(
                Subject(
                    [child_id],
                    codes.Origin.REFERRAL,
                    opened + timedelta(days=ctx.rng.randint(0, 20)),
                    episode_by_child={child_id: episode_id},
                    team_id=team_id,
                )
            )
            used.add(child_id)
            count += 1
    if count < wanted_children:
        from haven.people.simulation import children_noticed_in

        pool = [pk for pk in children_noticed_in(ctx) if pk not in used]
        ctx.rng.shuffle(pool)
        for child_id in pool[: wanted_children - count]:
            found.append(Subject([child_id], codes.Origin.OPEN_CASE))
    return found


def _held_at(ctx: SimulationContext, subject: Subject, out_of_hours: bool) -> datetime:
    moment = subject.moment or ctx.moment_in_year()
    local = timezone.localtime(moment)
    if out_of_hours:
        local = local.replace(
            hour=ctx.rng.choice([18, 19, 20, 21, 22, 23, 1, 2]), minute=ctx.rng.randrange(60)
        )
    return min(local, _now(ctx) - timedelta(hours=1))


def _working_days_after(day: date, count: int) -> date:
    return calendar.add_working_days(day, max(0, count))


class YearBuilder:
    """Makes one year's records, step by step, each step a bulk insert."""

    def __init__(self, ctx: SimulationContext, staff: Staff) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.staff = staff
        self.now = _now(ctx)
        self.today = ctx.today
        self.tz = timezone.get_current_timezone()
        self.chronology: list[tuple[Any, ...]] = []
        self.allocated = allocated_workers()
        self.with_plan = set(
            ChildProtectionPlan.objects.filter(end_date__isnull=True).values_list(
                "child_id", flat=True
            )
        )

    def entry(
        self, child_id: int, moment: datetime, kind: str, summary: str, *, target: Any, url: str
    ) -> None:
        self.chronology.append(
            (
                child_id,
                moment,
                kind,
                summary,
                None,
                "Simulator",
                target._meta.label_lower,
                str(target.pk),
                url,
                self.now,
            )
        )

    def _chair(self, rng: random.Random, *, ooh: bool) -> User | None:
        """Every discussion names its chair, out of hours too: the emergency duty team's
        manager where there is one, else any manager on call."""
        chairs = self.staff.chairs
        if ooh:
            on_call = [
                u for u in chairs if u.team is not None and u.team.kind == Team.Kind.OUT_OF_HOURS
            ]
            chairs = on_call or chairs
        return rng.choice(chairs) if chairs else None

    def discussion_for(self, subject: Subject) -> StrategyDiscussion:
        rng = self.rng
        ooh = subject.origin != codes.Origin.CONTACT_DECISION and rng.random() < OUT_OF_HOURS_SHARE
        held = _held_at(self.ctx, subject, ooh)
        formal = rng.random() < (FORMAL_OUT_OF_HOURS if ooh else FORMAL_DAY)
        if formal and rng.random() < SD_TO_S47 / FORMAL_DAY:
            decision = rng.choice([codes.Decision.JOINT_S47, codes.Decision.SINGLE_AGENCY_S47])
        else:
            decision = rng.choice(
                [codes.Decision.NO_S47, codes.Decision.NO_S47, codes.Decision.MORE_INFORMATION]
            )
        next_step = ""
        if decision == codes.Decision.NO_S47:
            next_step = rng.choice(
                [
                    codes.NextStep.ASSESSMENT,
                    codes.NextStep.MEDIUM_RISK_MEETING,
                    codes.NextStep.EARLY_HELP,
                ]
            )
        return StrategyDiscussion(
            origin=codes.Origin.OUT_OF_HOURS if ooh else subject.origin,
            contact_id=subject.contact_id,
            decision_at_front_door_id=subject.decision_id,
            held_at=held,
            method=rng.choice(list(codes.Method)),
            is_formal=formal,
            is_out_of_hours=ooh,
            chair=self._chair(rng, ooh=ooh),
            team_id=subject.team_id
            or (rng.choice(self.staff.teams).pk if self.staff.teams else None),
            decision=decision,
            rationale="Partners' information weighed against the risk of significant harm.",
            next_step=next_step,
            next_step_detail="Reconvene within two working days with the school's information."
            if decision == codes.Decision.MORE_INFORMATION
            else "",
            recorded_by=rng.choice(self.staff.out_of_hours if ooh else self.staff.recorders),
            completed_at=held + timedelta(hours=rng.randint(1, 20)),
            version=rng.randint(6, 12),
            version_at=min(self.now, held + timedelta(days=rng.randint(1, 10))),
        )

    def agency_lines(self, discussion: StrategyDiscussion) -> list[DiscussionAgency]:
        rng = self.rng
        lines = []
        for role, weights in ATTENDANCE.items():
            attendance = rng.choices(
                ["attended", "apologies", "did_not_attend", "not_invited"], weights=weights
            )[0]
            invited = attendance != "not_invited"
            lines.append(
                DiscussionAgency(
                    discussion=discussion,
                    role=role,
                    agency=self.partner(role) if invited else None,
                    attendance=attendance,
                    not_invited_reason="" if invited else rng.choice(NOT_INVITED_REASONS[role]),
                    information_shared=f"{codes.AgencyRole(role).label} shared their records "
                    "and recent contact."
                    if invited
                    else "",
                )
            )
        return lines

    def partner(self, role: str) -> Agency | None:
        kind = codes.AGENCY_KIND_FOR_ROLE.get(codes.AgencyRole(role))
        choices = self.staff.agencies.get(kind or "", [])
        return self.rng.choice(choices) if choices else None

    def actions_for(self, discussion: StrategyDiscussion) -> list[DiscussionAction]:
        rng = self.rng
        made = []
        for n in range(rng.randint(1, 3)):
            role = rng.choice(["police", "health", "education", "social_care"])
            due = timezone.localtime(discussion.held_at).date() + timedelta(days=rng.randint(1, 10))
            done = due <= self.today and rng.random() < 0.85
            made.append(
                DiscussionAction(
                    discussion=discussion,
                    description=f"Action {n + 1}: {codes.AgencyRole(role).label} to follow up "
                    "and report back to the chair.",
                    owner_role=role,
                    owner_agency=self.partner(role),
                    due_on=due,
                    done_on=min(self.today, due + timedelta(days=rng.randint(-2, 3)))
                    if done
                    else None,
                    done_note="Done and reported to the chair." if done else "",
                    created_at=discussion.completed_at or self.now,
                )
            )
        return made

    def discussions(
        self, subjects: list[Subject]
    ) -> tuple[list[StrategyDiscussion], list[Section47Enquiry]]:
        ctx = self.ctx
        discussions = ctx.bulk_create(
            StrategyDiscussion, [self.discussion_for(subject) for subject in subjects]
        )
        people = {
            p.pk: p
            for p in Person.objects.filter(pk__in={c for s in subjects for c in s.children}).only(
                "pk", "first_name", "last_name", "date_of_birth", "expected_date_of_birth"
            )
        }
        children, agencies, actions, enquiries = [], [], [], []
        conference_rule = timescales.rule_get("initial_conference")
        for discussion, subject in zip(discussions, subjects, strict=True):
            url = reverse("protection:discussion", args=[discussion.pk])
            summary = (
                "Strategy discussion" if discussion.is_formal else "Discussion (not formal)"
            ) + f": {discussion.get_decision_display().lower()}"
            for child_id in subject.children:
                person = people[child_id]
                children.append(
                    DiscussionChild(
                        discussion=discussion,
                        child_id=child_id,
                        episode_id=subject.episode_by_child.get(child_id),
                        name=person.full_name,
                        date_of_birth=person.date_of_birth or person.expected_date_of_birth,
                    )
                )
                self.entry(
                    child_id,
                    discussion.held_at,
                    "strategy_discussion_held",
                    summary,
                    target=discussion,
                    url=url,
                )
                if discussion.is_section47:
                    enquiries.append(
                        Section47Enquiry(
                            child_id=child_id,
                            discussion=discussion,
                            episode_id=subject.episode_by_child.get(child_id),
                            is_joint=discussion.decision == codes.Decision.JOINT_S47,
                            start_date=timezone.localtime(discussion.held_at).date(),
                            conference_due_at=conference_due_at(
                                discussion.held_at, conference_rule
                            ),
                            team_id=discussion.team_id,
                            worker_id=self.allocated.get(child_id),
                        )
                    )
            agencies.extend(self.agency_lines(discussion))
            actions.extend(self.actions_for(discussion))
        ctx.bulk_create(DiscussionChild, children)
        ctx.bulk_create(DiscussionAgency, agencies)
        ctx.bulk_create(DiscussionAction, actions)
        for enquiry in enquiries:
            end = _working_days_after(enquiry.start_date, self.rng.randint(8, 25))
            needed = self.rng.random() < S47_TO_ICPC
            if end > self.today:
                continue  # still open
            enquiry.end_date = end
            enquiry.concerns_substantiated = needed or self.rng.random() < 0.3
            enquiry.conference_needed = needed
            enquiry.outcome_detail = "Enquiry completed with partners."
            enquiry.concluded_at = datetime.combine(end, time(16, 0), tzinfo=self.tz)
        ctx.bulk_create(Section47Enquiry, enquiries)
        for enquiry in enquiries:
            url = reverse("protection:enquiry", args=[enquiry.pk])
            self.entry(
                enquiry.child_id,
                enquiry.discussion.held_at,
                "section47_started",
                "Section 47 enquiry started",
                target=enquiry,
                url=url,
            )
            if enquiry.concluded_at is not None:
                self.entry(
                    enquiry.child_id,
                    enquiry.concluded_at,
                    "section47_concluded",
                    "Section 47 enquiry concluded",
                    target=enquiry,
                    url=url,
                )
        return discussions, enquiries

    def conferences(self, enquiries: list[Section47Enquiry]) -> list[InitialConference]:
        rng = self.rng
        made = []
        for enquiry in enquiries:
            if not enquiry.conference_needed or enquiry.end_date is None:
                continue
            target = timezone.localtime(enquiry.conference_due_at).date()
            if rng.random() < ICPC_IN_TIME:
                held_on = max(target - timedelta(days=rng.randint(0, 6)), enquiry.end_date)
                held_on = min(held_on, target)
            else:
                held_on = _working_days_after(target, rng.randint(1, 15))
            happened = held_on <= self.today
            plan = (
                happened and rng.random() < ICPC_TO_PLAN and enquiry.child_id not in self.with_plan
            )
            made.append(
                InitialConference(
                    enquiry=enquiry,
                    child_id=enquiry.child_id,
                    episode_id=enquiry.episode_id,
                    target_date=target,
                    due_at=enquiry.conference_due_at,
                    team_id=enquiry.team_id,
                    worker_id=enquiry.worker_id,
                    held_on=held_on if happened else None,
                    plan_needed=plan if happened else None,
                    category=_pick(rng, CATEGORIES) if plan else "",
                    chair_name="Independent chair",
                )
            )
            if plan:
                self.with_plan.add(enquiry.child_id)
        return self.ctx.bulk_create(InitialConference, made)

    def plans(self, conferences: list[InitialConference]) -> list[ChildProtectionPlan]:
        buckets = plan_length_buckets()
        made = []
        for conference in conferences:
            if conference.held_on is None:
                continue
            if not conference.plan_needed:
                self.entry(
                    conference.child_id,
                    datetime.combine(conference.held_on, time(12), tzinfo=self.tz),
                    "conference_held",
                    "Initial child protection conference: no plan",
                    target=conference,
                    url="",
                )
                continue
            low, high = _pick(self.rng, [((lo, hi), share) for lo, hi, share in buckets])
            end = conference.held_on + timedelta(days=self.rng.randint(low, high))
            made.append(
                ChildProtectionPlan(
                    child_id=conference.child_id,
                    conference=conference,
                    episode_id=conference.episode_id,
                    start_date=conference.held_on,
                    end_date=end if end <= self.today else None,
                    end_reason="Ended at a review conference" if end <= self.today else "",
                    initial_category=conference.category,
                    latest_category=conference.category,
                    team_id=conference.team_id,
                    worker_id=conference.worker_id,
                )
            )
        return self.ctx.bulk_create(ChildProtectionPlan, made)

    def reviews_for(self, plan: ChildProtectionPlan) -> list[PlanReview]:
        """Reviews from the first (3 months) every 6 months, most held on time; the next one
        due while the plan is current."""
        rng = self.rng
        first_rule = timescales.rule_get("first_review_conference")
        later_rule = timescales.rule_get("review_conference")
        made: list[PlanReview] = []
        due = timescales.apply_rule(
            first_rule, datetime.combine(plan.start_date, time(17), tzinfo=self.tz)
        )
        while True:
            due_day = timezone.localtime(due).date()
            if plan.end_date is not None and due_day >= plan.end_date:
                return made
            if rng.random() < 0.9:
                held_day = due_day - timedelta(days=rng.randint(0, 10))
            else:
                held_day = due_day + timedelta(days=rng.randint(1, 20))
            review = PlanReview(
                plan=plan, child_id=plan.child_id, is_first=not made, due_date=due_day, due_at=due
            )
            if held_day > self.today or (plan.end_date is not None and held_day > plan.end_date):
                if plan.end_date is None:
                    made.append(review)
                return made
            review.held_on, review.continue_plan, review.quorate = held_day, True, True
            made.append(review)
            due = timescales.apply_rule(
                later_rule, datetime.combine(held_day, time(17), tzinfo=self.tz)
            )

    def reviews(self, plans: list[ChildProtectionPlan]) -> list[PlanReview]:
        made = []
        for plan in plans:
            url = reverse("protection:plan", args=[plan.pk])
            self.entry(
                plan.child_id,
                datetime.combine(plan.start_date, time(17), tzinfo=self.tz),
                "cp_plan_started",
                f"Child protection plan started ({plan.get_initial_category_display().lower()})",
                target=plan,
                url=url,
            )
            made.extend(self.reviews_for(plan))
            if plan.end_date is not None:
                self.entry(
                    plan.child_id,
                    datetime.combine(plan.end_date, time(12), tzinfo=self.tz),
                    "cp_plan_ended",
                    "Child protection plan ended",
                    target=plan,
                    url=url,
                )
        return self.ctx.bulk_create(PlanReview, made)


def allocated_workers() -> dict[int, int]:
    """Each child's allocated social worker now (the assessment app's open cases, the most
    recent allocation winning), as ``section47_open`` finds it for one child."""
    if not apps.is_installed("haven.assessment"):
        return {}
    case_model = apps.get_model("assessment", "Case")
    return dict(
        case_model.objects.open()
        .filter(worker__isnull=False, worker__is_active=True)
        .order_by("allocated_at", "id")
        .values_list("child_id", "worker_id")
    )


def _name_allocated_workers(allocated: dict[int, int]) -> None:
    """Open enquiries, conferences not held and current plans with no worker take the child's
    allocated worker: the assessment generator runs after this one each year, so a child's
    case is often allocated only after last year's enquiry opened."""
    by_worker: dict[int, list[int]] = {}
    for child_id, worker_id in allocated.items():
        by_worker.setdefault(worker_id, []).append(child_id)
    for worker_id, child_ids in by_worker.items():
        Section47Enquiry.objects.filter(
            worker__isnull=True, end_date__isnull=True, child_id__in=child_ids
        ).update(worker_id=worker_id)
        InitialConference.objects.filter(
            worker__isnull=True, held_on__isnull=True, child_id__in=child_ids
        ).update(worker_id=worker_id)
        ChildProtectionPlan.objects.filter(
            worker__isnull=True, end_date__isnull=True, child_id__in=child_ids
        ).update(worker_id=worker_id)


def run(ctx: SimulationContext) -> dict[str, int]:
    staff = Staff.load()
    if not staff.recorders:
        ctx.log("protection: no staff who record strategy discussions (run seed_demo first)")
        return {}
    _name_allocated_workers(allocated_workers())
    scale = ctx.profile.children_noticed_per_year / PROFILES["large"].children_noticed_per_year
    plans_target = plans_started(ctx.year.end.year) * scale * _elapsed_share(ctx)
    s47_target = round(plans_target / ICPC_TO_PLAN / S47_TO_ICPC)
    subjects = _subjects(ctx, round(s47_target / SD_TO_S47))
    builder = YearBuilder(ctx, staff)
    discussions, enquiries = builder.discussions(subjects)
    conferences = builder.conferences(enquiries)
    plans = builder.plans(conferences)
    reviews = builder.reviews(plans)
    meetings_made = _meetings(ctx, len(discussions), builder)
    ctx.insert_chronology(builder.chronology)
    held = [c for c in conferences if c.held_on is not None]
    return {
        "strategy discussions": len(discussions),
        "out of hours": sum(1 for d in discussions if d.is_out_of_hours),
        "section 47 enquiries": len(enquiries),
        "initial conferences held": len(held),
        "held within 15 working days": sum(1 for c in held if c.within_timescale),
        "plans": len(plans),
        "review conferences": len(reviews),
        **meetings_made,
    }


def _meeting_dates(ctx: SimulationContext, kind: MeetingKind) -> list[Meeting]:
    """Weekly meetings on Tuesdays at 10:00 through the year (and two weeks beyond), each
    recorded six hours after it started when that is past."""
    tz = timezone.get_current_timezone()
    now = _now(ctx)
    day = ctx.year.start + timedelta(days=(1 - ctx.year.start.weekday()) % 7)
    last = min(ctx.year.end, ctx.today) + timedelta(days=14)
    made = []
    while day <= last:
        moment = datetime.combine(day, time(10, 0), tzinfo=tz)
        finished = moment + timedelta(hours=6)
        made.append(
            Meeting(
                kind=kind,
                scheduled_for=moment,
                method=codes.Method.VIDEO,
                location="Video call",
                recorded_at=finished if finished < now else None,
            )
        )
        day += timedelta(days=7)
    return ctx.bulk_create(Meeting, made)


def _referral(
    ctx: SimulationContext,
    kind: MeetingKind,
    rule: timescales.Rule,
    child_id: int,
    meetings: list[Meeting],
) -> MeetingReferral | None:
    """A referral considered at the first meeting a working day or more after it (a week
    later when that meeting could not reach it); waiting still when that meeting is ahead."""
    rng = ctx.rng
    referred = min(ctx.moment_in_year(), _now(ctx) - timedelta(hours=2))
    earliest = calendar.add_working_days(timezone.localtime(referred).date(), 1)
    upcoming = [m for m in meetings if timezone.localtime(m.scheduled_for).date() >= earliest]
    if not upcoming:
        return None
    missed = rng.random() < MRM_MISSED_CAPACITY and len(upcoming) > 1
    meeting = upcoming[1 if missed else 0]
    referral = MeetingReferral(
        kind=kind,
        child_id=child_id,
        risk_level=codes.RiskLevel.MEDIUM,
        reason="Medium risk: going missing overnight, concerns from school.",
        referred_at=referred,
        due_at=timescales.apply_rule(rule, referred),
    )
    if meeting.recorded_at is not None or rng.random() < 0.6:
        referral.meeting = meeting
        referral.scheduled_at = referred + timedelta(hours=4)
    if meeting.recorded_at is not None:
        referral.considered_at = meeting.scheduled_for
    return referral


def _meetings(ctx: SimulationContext, discussions: int, builder: YearBuilder) -> dict[str, int]:
    """The medium-risk multi-agency meeting's year: weekly meetings, who attended, referrals
    (about one for every three strategy discussions), and the outcome for each child."""
    kind = MeetingKind.objects.filter(key="medium-risk").prefetch_related("timescales").first()
    if kind is None:
        return {}
    rng = ctx.rng
    rule = timescales.rule_get(
        kind.timescale_key_for(codes.RiskLevel.MEDIUM) or "medium_risk_meeting"
    )
    meetings = _meeting_dates(ctx, kind)
    attendees = []
    for meeting in meetings:
        if meeting.recorded_at is None:
            continue
        for role, name in (
            ("police", "Police safeguarding officer"),
            ("health", "Named nurse for safeguarding"),
            ("social_care", "Front door team manager"),
            ("education", "Education safeguarding lead"),
            ("cse", "CSE coordinator"),
        ):
            if role == "education" and rng.random() < 0.35:
                continue  # education often missing, as at strategy discussions
            attendance = "attended" if rng.random() < 0.9 else "apologies"
            attendees.append(
                MeetingAttendee(meeting=meeting, name=name, role=role, attendance=attendance)
            )
    ctx.bulk_create(MeetingAttendee, attendees)
    from haven.people.simulation import children_noticed_in

    already = set(
        MeetingReferral.objects.filter(
            kind=kind, considered_at__isnull=True, withdrawn_at__isnull=True
        ).values_list("child_id", flat=True)
    )
    pool = [pk for pk in children_noticed_in(ctx) if pk not in already]
    chosen = rng.sample(pool, min(round(discussions * MRM_REFERRALS_PER_SD), len(pool)))
    referrals = [
        r for r in (_referral(ctx, kind, rule, c, meetings) for c in chosen) if r is not None
    ]
    ctx.bulk_create(MeetingReferral, referrals)
    considered = ctx.bulk_create(
        MeetingConsideration,
        [
            MeetingConsideration(
                meeting=r.meeting,
                referral=r,
                child_id=r.child_id,
                risk_level=codes.RiskLevel.MEDIUM,
                outcome=_pick(rng, MRM_OUTCOMES),
                discussion_summary="Partners shared what they know and agreed a plan.",
                recorded_at=r.meeting.recorded_at or builder.now,
            )
            for r in referrals
            if r.considered_at is not None and r.meeting is not None
        ],
    )
    for row in considered:
        builder.entry(
            row.child_id,
            row.meeting.scheduled_for,
            "meeting_considered",
            "Considered at the medium-risk multi-agency meeting: "
            + row.get_outcome_display().lower(),
            target=row,
            url=reverse("protection:meeting", args=[row.meeting_id]),
        )
    return {
        "medium-risk meetings": len(meetings),
        "meeting referrals": len(referrals),
        "children still waiting": sum(1 for r in referrals if r.considered_at is None),
    }


register(
    Generator(
        name="protection",
        order=30,
        run=run,
        description="Strategy discussions (education often missing), section 47 enquiries, "
        "conferences (about 81% within 15 working days), plans and reviews, and the "
        "medium-risk multi-agency meeting's waiting list.",
    )
)
