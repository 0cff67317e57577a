"""The missing children generator: children who go missing, some of them again and again, their
episodes (reported by the police mostly, found somewhere, graded by risk) and the return home
interview each is owed, with a setting for how well the council does them.

``HAVEN_SIMULATION_RETURN_INTERVIEWS`` (a Django setting or environment variable) chooses the
practice: ``letter`` (the default) follows the monitoring letter, where fewer than half of the
children who went missing were offered an interview, about half of those interviews were
within 72 hours and a third reached the child's file; ``good`` is a council doing them well.

Who goes missing: a share of each year's children aged 10 to 17 who come to notice (more of
those screened at significant or serious CSE risk), and some of the earlier years' missing
children again. The DfE publishes "going missing" as a factor at the end of assessment (3.4%
of Birmingham's assessments with factors in 2024-25, 3.7% in England: children in need
statistics, table C3), not how many children go missing, so the rates below are assumptions.
Rows (episodes, interviews, chronology entries) are written in bulk; one audit event covers
the run. Episodes near "now" make the live picture: children missing now, interviews due with
hours left, reports waiting to go on file.
"""

from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.demo.simulation import Generator, SimulationContext, register
from haven.missing.models import MissingEpisode, PoliceRisk, ReturnInterview
from haven.people.models import ChronologyEntry, Person

SETTING = "HAVEN_SIMULATION_RETURN_INTERVIEWS"
AGE_FROM, AGE_TO = 10, 17

# Assumptions (see the module's docstring).
MISSING_SHARE = 0.12  # of the year's noticed children aged 10 to 17
MISSING_SHARE_AT_CSE_RISK = 0.5  # of those screened at significant or serious risk
AGAIN_NEXT_YEAR = 0.3  # of last year's missing children, missing again this year
EPISODES_PER_CHILD = ((1, 0.55), (2, 0.2), (3, 0.1), (4, 0.06), (5, 0.04), (7, 0.03), (10, 0.02))
LOOKED_AFTER_SHARE = 0.25
FROM_POLICE_SHARE = 0.85
RISK_GRADING = (
    (PoliceRisk.HIGH, 0.1),
    (PoliceRisk.MEDIUM, 0.55),
    (PoliceRisk.LOW, 0.3),
    (PoliceRisk.NO_APPARENT_RISK, 0.05),
)
NOT_OFFERED_BY_DECISION = 0.03  # returns where the council decides no interview is owed
EXPLOITATION_CONCERNS = 0.15  # of interviews done (0.5 for children at CSE risk)
OPEN_REQUEST_DAYS = 14  # concerns this recent ask for a CSE screening still open


@dataclass(frozen=True)
class Practice:
    """How the council does return home interviews: chances per return."""

    name: str
    offered: float
    accepted: float
    held_when_accepted: float
    within_72_hours: float  # of interviews done
    on_file: float  # of interviews done


PRACTICES = {
    # The letter (January to March 2017): "less than half ... received a return interview. Of
    # these, just over half were completed within 72 hours and ... only a third had been
    # included in children's electronic case files." Per episode; children with several
    # episodes are counted once, so the per-child shares come out near the letter's.
    "letter": Practice("letter", 0.38, 0.82, 0.9, 0.5, 0.28),
    "good": Practice("good", 0.96, 0.85, 0.97, 0.9, 0.96),
}

PLACES_FOUND = (
    "a friend's house nearby",
    "the city centre bus station",
    "a fast food restaurant on the high street",
    "an older friend's flat",
    "the park behind the leisure centre",
    "a relative's home",
    "the railway station",
    "a shopping centre",
    "a house party",
    "came home by themselves",
)
PUSH = (
    "Arguments at home about curfew and phone use",
    "Unhappy in placement; misses their family",
    "Bullying at school; did not want to face it",
    "Parents separating; tension at home",
    "Did not say",
)
PULL = (
    "Wanted to be with friends",
    "An older boyfriend or girlfriend",
    "Invited to a party by people met online",
    "Went to see a parent they are not allowed to live with",
    "Did not say",
)
WHERE = (
    "With friends at a flat in the city centre",
    "Walking around town with a group from school",
    "At a relative's home",
    "With people they met online, at an address they would not give",
    "Did not say",
)
CONCERNS = (
    "Given gifts and lifts by older men",
    "Talked about carrying packages for someone",
    "New phone and money with no explanation",
    "Met adults online who asked for pictures",
)
NOT_OFFERED_REASONS = (
    "Lives in a neighbouring council's area, which arranges the interview",
    "Turned 18 the day after returning",
)
# An interview nobody offered is closed as not offered at the team's monthly review, so the
# live queue holds the last few weeks' children, as a council's would, not every year's.
CLOSED_UNOFFERED_AFTER = timedelta(days=28)
CLOSED_UNOFFERED_REASON = "Not offered in time; closed at the team's monthly review"


def practice() -> Practice:
    chosen = getattr(settings, SETTING, None) or os.environ.get(SETTING, "letter")
    return PRACTICES.get(str(chosen).strip().lower(), PRACTICES["letter"])


def _pick(rng: random.Random, table: tuple[tuple[Any, float], ...]) -> Any:
    roll = rng.random() * sum(weight for _, weight in table)
    for value, weight in table:
        roll -= weight
        if roll <= 0:
            return value
    return table[-1][0]


def _now(ctx: SimulationContext) -> datetime:
    if ctx.today < timezone.localdate():
        return datetime.combine(ctx.today, time(18, 0), tzinfo=timezone.get_current_timezone())
    return timezone.now()


def _age_on(born: date | None, day: date) -> int:
    if born is None:
        return -1
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass
class Made:
    episodes: list[MissingEpisode]
    interviews: list[ReturnInterview]
    entries: list[tuple[Any, ...]]


class YearBuilder:
    def __init__(self, ctx: SimulationContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.practice = practice()
        self.now = _now(ctx)
        self.start = datetime.combine(
            ctx.year.start, time(0, 0), tzinfo=timezone.get_current_timezone()
        )
        self.end = min(
            datetime.combine(
                ctx.year.end + timedelta(days=1), time(0, 0), tzinfo=timezone.get_current_timezone()
            ),
            self.now,
        )
        self.workers = list(
            User.objects.filter(
                is_active=True,
                agency__isnull=True,
                groups__permissions__codename="record_missing",
                groups__permissions__content_type__app_label="missing",
                team__kind="missing",
            )
            .distinct()
            .order_by("pk")
        )

    # --- Who goes missing -----------------------------------------------------------------

    def children(self) -> list[int]:
        from haven.exploitation.models import Screening
        from haven.people.simulation import children_noticed_in

        noticed = children_noticed_in(self.ctx)
        ages = dict(
            Person.objects.filter(pk__in=noticed, merged_into__isnull=True).values_list(
                "pk", "date_of_birth"
            )
        )
        mid_year = self.ctx.year.start + timedelta(days=182)
        teenagers = sorted(
            pk for pk, born in ages.items() if AGE_FROM <= _age_on(born, mid_year) <= AGE_TO
        )
        at_risk = set(
            Screening.objects.filter(
                child_id__in=teenagers,
                completed_at__isnull=False,
                level__rank__gte=2,
                screened_on__lte=self.ctx.year.end,
            ).values_list("child_id", flat=True)
        )
        chosen = {
            pk
            for pk in teenagers
            if self.rng.random() < (MISSING_SHARE_AT_CSE_RISK if pk in at_risk else MISSING_SHARE)
        }
        before = sorted(
            set(
                MissingEpisode.objects.filter(
                    child__isnull=False,
                    went_missing_at__lt=self.start,
                    went_missing_at__gte=self.start - timedelta(days=366),
                ).values_list("child_id", flat=True)
            )
        )
        for pk in before:
            if self.rng.random() < AGAIN_NEXT_YEAR:
                chosen.add(pk)
        self.at_risk = at_risk
        self.looked_after = {pk for pk in chosen if self.rng.random() < LOOKED_AFTER_SHARE}
        return sorted(chosen)

    # --- Episodes -------------------------------------------------------------------------

    def moment(self) -> datetime:
        span = max(1.0, (self.end - self.start).total_seconds())
        return self.start + timedelta(seconds=self.rng.random() * span)

    def duration(self) -> timedelta:
        """Hours missing: most come back within a day; a few are away for days."""
        hours = math.exp(self.rng.gauss(math.log(10), 1.0))
        return timedelta(hours=min(max(hours, 1.0), 24 * 14))

    def episodes_for(self, child_id: int) -> list[tuple[datetime, datetime | None]]:
        count = _pick(self.rng, EPISODES_PER_CHILD)
        starts = sorted(self.moment() for _ in range(count))
        found: list[tuple[datetime, datetime | None]] = []
        free_from = self.start
        for drawn in starts:
            went = max(drawn, free_from)
            if went >= self.end:
                break
            back: datetime | None = went + self.duration()
            if back is not None and back > self.now:
                back = None  # still missing now
            found.append((went, back))
            if back is None:
                break
            free_from = back + timedelta(hours=1)
        return found

    def make(self) -> Made:
        children = self.children()
        names = {
            pk: f"{first} {last}"
            for pk, first, last in Person.objects.filter(pk__in=children).values_list(
                "pk", "first_name", "last_name"
            )
        }
        episodes: list[MissingEpisode] = []
        plans: list[tuple[MissingEpisode, dict[str, Any]]] = []
        for child_id in children:
            for went, back in self.episodes_for(child_id):
                episode = self.episode(child_id, names.get(child_id, ""), went, back)
                episodes.append(episode)
        self.ctx.bulk_create(MissingEpisode, episodes)
        interviews = []
        for episode in episodes:
            interview, plan = self.interview(episode)
            interviews.append(interview)
            plans.append((episode, plan))
        self.ctx.bulk_create(ReturnInterview, interviews)
        entries = [entry for episode, plan in plans for entry in self.entries(episode, plan)]
        return Made(episodes, interviews, entries)

    def episode(
        self, child_id: int, name: str, went: datetime, back: datetime | None
    ) -> MissingEpisode:
        rng = self.rng
        police = rng.random() < FROM_POLICE_SHARE
        at_risk = child_id in self.at_risk
        grading = _pick(rng, RISK_GRADING)
        if at_risk and grading in (PoliceRisk.LOW, PoliceRisk.NO_APPARENT_RISK):
            grading = PoliceRisk.MEDIUM
        reported = went + timedelta(hours=rng.uniform(0.5, 6))
        return MissingEpisode(
            child_id=child_id,
            went_missing_at=went,
            reported_at=reported if reported <= self.now else None,
            returned_at=back,
            where_found=rng.choice(PLACES_FOUND) if back else "",
            circumstances=f"{name} did not come home when expected."
            if child_id not in self.looked_after
            else f"{name} did not return to their placement.",
            police_reference=f"SIM/M/{self.ctx.seed}/{went:%Y%m%d%H%M}/{child_id}"
            if police
            else "",
            police_risk=grading,
            looked_after=child_id in self.looked_after,
            source=MissingEpisode.Source.POLICE if police else MissingEpisode.Source.RECORDED,
            recorded_at=reported if reported <= self.now else went,
        )

    # --- The interview --------------------------------------------------------------------

    def interview(self, episode: MissingEpisode) -> tuple[ReturnInterview, dict[str, Any]]:
        """The interview row for an episode, and when each step happened (for the child's
        story). Nothing happens after "now": a step that would be later is not done yet."""
        plan: dict[str, Any] = {}
        interview = ReturnInterview(episode=episode)
        back = episode.returned_at
        if back is None:
            return interview, plan
        interview.due_at = back + timedelta(hours=72)
        self.assign(interview, back)
        if self.rng.random() < NOT_OFFERED_BY_DECISION:
            self.not_offered(interview, back, plan)
        elif (
            self.rng.random() < self.practice.offered
            and self.offer(interview, back, plan)
            and interview.accepted
            and self.rng.random() < self.practice.held_when_accepted
        ):
            self.hold(interview, plan)
        closed = back + CLOSED_UNOFFERED_AFTER
        if interview.offered_at is None and interview.not_offered_at is None and closed <= self.now:
            interview.not_offered_at = closed
            interview.not_offered_reason = CLOSED_UNOFFERED_REASON
            plan["not_offered"] = closed
        return interview, plan

    def assign(self, interview: ReturnInterview, back: datetime) -> None:
        if not self.workers or self.rng.random() >= 0.85:
            return
        assigned = back + timedelta(hours=self.rng.uniform(1, 12))
        if assigned <= self.now:
            interview.worker = self.rng.choice(self.workers)
            interview.assigned_at = assigned

    def not_offered(self, interview: ReturnInterview, back: datetime, plan: dict[str, Any]) -> None:
        decided = back + timedelta(hours=self.rng.uniform(2, 24))
        if decided <= self.now:
            interview.not_offered_at = decided
            interview.not_offered_reason = self.rng.choice(NOT_OFFERED_REASONS)
            plan["not_offered"] = decided

    def offer(self, interview: ReturnInterview, back: datetime, plan: dict[str, Any]) -> bool:
        """Offered (when it is not later than now); True when the child has answered."""
        rng = self.rng
        offered = back + timedelta(hours=rng.uniform(2, 48))
        if offered > self.now:
            return False
        interview.offered_at = offered
        interview.offered_by = interview.worker
        interview.offered_by_name = "" if interview.worker else "Haven Runaways Service"
        plan["offered"] = offered
        if offered + timedelta(hours=rng.uniform(0, 24)) > self.now:
            return False
        interview.accepted = rng.random() < self.practice.accepted
        if not interview.accepted:
            interview.declined_reason = rng.choice(
                ("Said they were fine and did not want to talk", "Did not want to talk to a worker")
            )
        return True

    def hold(self, interview: ReturnInterview, plan: dict[str, Any]) -> None:
        rng = self.rng
        offered, due = interview.offered_at, interview.due_at
        if offered is None or due is None:
            return
        if rng.random() < self.practice.within_72_hours:
            window = max(1.5, (due - offered).total_seconds() / 3600)
            done = offered + timedelta(hours=rng.uniform(1, window))
        else:
            done = due + timedelta(hours=math.exp(rng.gauss(math.log(40), 0.8)))
        if done > self.now:
            return
        interview.done_at = done
        interview.done_by = interview.worker
        interview.done_by_name = interview.offered_by_name
        interview.push_factors = rng.choice(PUSH)
        interview.pull_factors = rng.choice(PULL)
        interview.where_and_with_whom = rng.choice(WHERE)
        child_id = interview.episode.child_id
        concern_share = 0.5 if child_id in self.at_risk else EXPLOITATION_CONCERNS
        interview.exploitation_concerns = rng.random() < concern_share
        interview.exploitation_detail = (
            rng.choice(CONCERNS) if interview.exploitation_concerns else ""
        )
        interview.next_steps = "Shared with the allocated social worker."
        plan["done"] = done
        if rng.random() < self.practice.on_file:
            filed = done + timedelta(hours=rng.uniform(2, 24 * 20))
            if filed <= self.now:
                interview.placed_on_file_at = filed
                interview.placed_on_file_by = interview.worker
                plan["filed"] = filed

    # --- The child's story ----------------------------------------------------------------

    def entries(self, episode: MissingEpisode, plan: dict[str, Any]) -> list[tuple[Any, ...]]:
        url = reverse("missing:episode", args=[episode.pk])
        target = ("missing.missingepisode", str(episode.pk))
        rows = [
            (
                episode.went_missing_at,
                "missing_went_missing",
                "Went missing"
                + (
                    f" (police notification {episode.police_reference})"
                    if episode.police_reference
                    else ""
                )
                + f"; police risk grading {episode.get_police_risk_display().lower()}",
            )
        ]
        if episode.returned_at is not None:
            hours = round((episode.returned_at - episode.went_missing_at).total_seconds() / 3600)
            rows.append(
                (
                    episode.returned_at,
                    "missing_returned",
                    f"Came back after {hours} hour{'s' if hours != 1 else ''}; found at "
                    f"{episode.where_found}",
                )
            )
        interview: ReturnInterview = episode.interview
        if "not_offered" in plan:
            rows.append(
                (
                    plan["not_offered"],
                    "missing_rhi_not_offered",
                    f"Return home interview not offered: {interview.not_offered_reason}",
                )
            )
        if "offered" in plan:
            answer = {True: "; accepted", False: "; declined"}.get(interview.accepted, "")  # type: ignore[arg-type]
            rows.append(
                (
                    plan["offered"],
                    "missing_rhi_offered",
                    f"Return home interview offered by {interview.offered_by_label}{answer}",
                )
            )
        if "done" in plan and episode.returned_at is not None:
            hours = round((plan["done"] - episode.returned_at).total_seconds() / 3600)
            timing = "within 72 hours" if interview.done_in_time else "late"
            rows.append(
                (
                    plan["done"],
                    "missing_rhi_done",
                    f"Return home interview by {interview.done_by_label}, {hours} hours after "
                    f"the return ({timing})",
                )
            )
        if "filed" in plan:
            rows.append(
                (
                    plan["filed"],
                    "missing_rhi_on_file",
                    f"Return home interview report on file. Push factors: "
                    f"{interview.push_factors}. Pull factors: {interview.pull_factors}",
                )
            )
        label = "Missing children team"
        return [
            (episode.child_id, when, kind, summary[:300], label, *target, url, when)
            for when, kind, summary in rows
        ]


def _open_requests(ctx: SimulationContext, made: Made) -> int:
    """Recent interviews that found exploitation concerns ask for a CSE screening, as the
    service does; older ones were screened long ago (the exploitation generator's)."""
    from haven.exploitation.services import screening_request

    recent = ctx.today - timedelta(days=OPEN_REQUEST_DAYS)
    asked = 0
    for interview in made.interviews:
        done = interview.done_at
        if not (interview.exploitation_concerns and done and done.date() >= recent):
            continue
        episode = interview.episode
        if episode.child_id is None:
            continue
        child = Person.objects.get(pk=episode.child_id)
        request = screening_request(
            actor=ctx.actor,
            child=child,
            reason=f"Return home interview found exploitation concerns: "
            f"{interview.exploitation_detail}",
            source=episode,
        )
        ReturnInterview.objects.filter(pk=interview.pk).update(cse_screening_request_id=request.pk)
        asked += 1
    return asked


def run(ctx: SimulationContext) -> dict[str, int]:
    builder = YearBuilder(ctx)
    made = builder.make()
    ctx.insert_rows(
        ChronologyEntry,
        [
            "child",
            "occurred_at",
            "kind",
            "summary",
            "actor_label",
            "target_type",
            "target_id",
            "url",
            "recorded_at",
        ],
        made.entries,
    )
    asked = _open_requests(ctx, made)
    return {
        "children missing": len({e.child_id for e in made.episodes}),
        "missing episodes": len(made.episodes),
        "interviews done": sum(1 for i in made.interviews if i.done_at),
        "CSE screenings asked for": asked,
    }


register(
    Generator(
        name="missing",
        order=50,
        run=run,
        description="Children who go missing (some repeatedly), their episodes and return home "
        "interviews, following the letter's pattern or a better council's.",
    )
)
