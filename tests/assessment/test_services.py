"""Allocation, visits, assessments from draft to authorisation, plans, services and closure,
through the services, with their audit events and chronology entries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.assessment import codes, services
from haven.assessment.models import Allocation, AssessmentReview, Case, CinPlanReview
from haven.audit.models import Event
from haven.core.calendar import local_tz
from haven.frontdoor.models import Episode
from haven.people.models import ChronologyEntry
from tests.assessment.conftest import local, refer
from tests.conftest import actor_for
from tests.factories.assessment import service_type
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

WRITTEN = {
    "worries": "Mum drinks most evenings; Amy gets herself to school hungry.",
    "working_well": "Amy's gran visits daily and Amy goes to her after school.",
    "needs_to_happen": "Mum to see the alcohol service; gran to have Amy on weekdays.",
    "scale": 4,
    "scale_given_by": "Mum and gran together",
    "child_voice": '"Nan makes fish fingers. Mum sleeps a lot."',
    "analysis": "Neglect linked to mum's drinking; gran is a real protective factor.",
    "factors": ["1B", "16A"],
    "outcome": codes.Outcome.CIN_PLAN,
}


def visit(case, actor, *, at=None, seen=True, alone=True):
    return services.visit_record(
        actor=actor,
        case=case,
        data=services.VisitData(
            visited_at=at or timezone.now() - timedelta(minutes=5),
            kind=codes.VisitKind.HOME,
            child_seen=seen,
            seen_alone=alone if seen else None,
            bedroom_seen=True if seen else None,
            location="Home, 4 Harbour Row",
            present="Mum and gran",
            not_seen_reason="" if seen else "Nobody answered the door",
        ),
    )


def test_allocation_opens_the_case_and_keeps_history(referral, manager_actor, worker, worker2):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=worker)
    assert case.worker == worker
    assert case.team == worker.team
    assert case.allocated_at is not None
    assert case.referral_at <= case.allocated_at
    # A move needs a reason, and the earlier allocation is kept with its end.
    with pytest.raises(ValidationError) as refused:
        services.case_allocate(actor=manager_actor, episode=referral, worker=worker2)
    assert "reason" in refused.value.message_dict
    services.case_allocate(
        actor=manager_actor, episode=referral, worker=worker2, reason="Sam is on leave"
    )
    history = list(Allocation.objects.filter(case=case).order_by("started_at", "pk"))
    assert [a.worker for a in history] == [worker, worker2]
    assert history[0].ended_at is not None
    assert history[1].ended_at is None
    assert history[1].change_reason == "Sam is on leave"
    kinds = list(
        ChronologyEntry.objects.filter(child=referral.child, kind="case_allocated").values_list(
            "summary", flat=True
        )
    )
    assert len(kinds) == 2
    assert any("Sam is on leave" in s for s in kinds)
    assert (
        Event.objects.filter(object_type="assessment.case", child_id=referral.child_id).count() == 2
    )


def test_only_a_manager_of_the_team_allocates(referral, worker, worker_actor, other_manager):
    with pytest.raises(PermissionDenied):
        services.case_allocate(actor=worker_actor, episode=referral, worker=worker)
    with pytest.raises(PermissionDenied):
        services.case_allocate(actor=actor_for(other_manager), episode=referral, worker=worker)


def test_a_manager_allocates_only_to_workers_in_their_teams(
    referral, manager_actor, other_worker, rao
):
    with pytest.raises(ValidationError) as refused:
        services.case_allocate(actor=manager_actor, episode=referral, worker=other_worker)
    assert "not in a team you manage" in refused.value.message_dict["worker"][0]
    with pytest.raises(ValidationError) as refused:
        services.case_allocate(actor=manager_actor, episode=referral, worker=rao)
    assert "cannot hold cases" in refused.value.message_dict["worker"][0]


def test_first_visit_due_in_five_working_days_across_a_bank_holiday(rao, manager, worker, team):
    # Thursday 1 May 2025; Monday 5 May is the Early May bank holiday.
    received = local(2025, 5, 1, 10, 30)
    with time_machine.travel(received + timedelta(hours=1), tick=False):
        child = PersonFactory()
        episode = refer(
            rao=rao, decider=manager, children=[child], team=team, received_at=received
        )[0]
        case = services.case_allocate(actor=actor_for(manager), episode=episode, worker=worker)
    assert case.referral_at == received
    # 2, 6, 7, 8, 9 May: five working days, skipping the weekend and the bank holiday.
    assert timezone.localtime(case.first_visit_due_at, local_tz()) == local(2025, 5, 9, 10, 30)


def test_an_urgent_referral_is_visited_within_24_hours(rao, manager, worker, team):
    received = local(2025, 5, 2, 16, 0)  # a Friday afternoon
    with time_machine.travel(received + timedelta(minutes=30), tick=False):
        episode = refer(
            rao=rao,
            decider=manager,
            children=[PersonFactory()],
            team=team,
            received_at=received,
            urgent=True,
        )[0]
        case = services.case_allocate(actor=actor_for(manager), episode=episode, worker=worker)
    assert timezone.localtime(case.first_visit_due_at, local_tz()) == local(2025, 5, 3, 16, 0)


def test_visits_record_when_the_child_was_first_seen(referral, manager_actor, worker, worker_actor):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=worker)
    with pytest.raises(ValidationError) as refused:
        services.visit_record(
            actor=worker_actor,
            case=case,
            data=services.VisitData(visited_at=timezone.now(), kind="home", child_seen=False),
        )
    assert refused.value.message_dict["not_seen_reason"] == ["Enter why the child was not seen"]
    visit(case, worker_actor, seen=False, at=timezone.now() - timedelta(minutes=20))
    case.refresh_from_db()
    assert case.first_seen_at is None
    seen = visit(case, worker_actor, at=timezone.now() - timedelta(minutes=10))
    case.refresh_from_db()
    assert case.first_seen_at == seen.visited_at
    summaries = list(
        ChronologyEntry.objects.filter(child=case.child, kind="visit").values_list(
            "summary", flat=True
        )
    )
    assert "Home visit: Amy seen alone, bedroom seen" in summaries
    assert any("not seen (Nobody answered the door)" in s for s in summaries)


def test_assessment_due_45_working_days_from_the_referral_across_bank_holidays(
    rao, manager, worker, team
):
    # Referred Thursday 1 May 2025; the Early May (5 May) and Spring (26 May) bank holidays
    # fall inside the 45 working days, so it is due on Monday 7 July, not Thursday 3 July.
    received = local(2025, 5, 1, 11, 0)
    with time_machine.travel(received + timedelta(hours=2), tick=False):
        episode = refer(
            rao=rao, decider=manager, children=[PersonFactory()], team=team, received_at=received
        )[0]
        case = services.case_allocate(actor=actor_for(manager), episode=episode, worker=worker)
        assessment = services.assessment_start(
            actor=actor_for(worker), case=case, start_date=date(2025, 5, 1)
        )
    assert timezone.localtime(assessment.due_at, local_tz()) == local(2025, 7, 7, 11, 0)


def test_a_later_assessment_in_the_case_is_due_from_its_own_start(rao, manager, worker, team):
    # Referred Thursday 1 May 2025; the first assessment is due 45 working days from the
    # referral (7 July). A second one started on Monday 1 September, after the first was
    # authorised, is due 45 working days from its own start (3 November), not from the
    # referral, which would make it overdue the day it began.
    received = local(2025, 5, 1, 11, 0)
    with time_machine.travel(received + timedelta(hours=2), tick=False):
        episode = refer(
            rao=rao, decider=manager, children=[PersonFactory()], team=team, received_at=received
        )[0]
        case = services.case_allocate(actor=actor_for(manager), episode=episode, worker=worker)
        first = services.assessment_start(
            actor=actor_for(worker), case=case, start_date=date(2025, 5, 1)
        )
        visit(case, actor_for(worker))
        services.assessment_save(actor=actor_for(worker), assessment=first, values=WRITTEN)
        services.assessment_submit(actor=actor_for(worker), assessment=first)
        services.assessment_authorise(actor=actor_for(manager), assessment=first)
    assert timezone.localtime(first.due_at, local_tz()) == local(2025, 7, 7, 11, 0)
    with time_machine.travel(local(2025, 9, 1, 10, 0), tick=False):
        second = services.assessment_start(
            actor=actor_for(worker), case=case, start_date=date(2025, 9, 1)
        )
        assert second.due_at > timezone.now()
    # 1 September plus 45 working days (no bank holidays in between) is 3 November, counted
    # from the office opening on the start date.
    due = timezone.localtime(second.due_at, local_tz())
    assert due.date() == date(2025, 11, 3)
    assert (
        Event.objects.filter(object_id=str(second.pk), action=Event.Action.CREATE)
        .get()
        .detail["due_from"]
        == "start"
    )


def test_the_whole_assessment_journey_returned_once_then_authorised(
    referral, manager, manager_actor, worker, worker_actor
):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=worker)
    visit(case, worker_actor)
    assessment = services.assessment_start(
        actor=worker_actor, case=case, start_date=timezone.localdate()
    )
    # Nothing can be submitted until every part is written.
    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(actor=worker_actor, assessment=assessment)
    assert set(refused.value.message_dict) == {
        "worries",
        "working-well",
        "needs",
        "scale",
        "child",
        "analysis",
        "factors",
        "outcome",
    }
    assert refused.value.message_dict["child"] == ["Record the child's own words"]
    services.assessment_save(actor=worker_actor, assessment=assessment, values=WRITTEN)
    services.assessment_submit(actor=worker_actor, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert assessment.child_seen is True
    # Submitted: the worker cannot change it while it is with the manager.
    with pytest.raises(PermissionDenied):
        services.assessment_save(
            actor=worker_actor, assessment=assessment, values={"analysis": "x"}
        )
    # The worker cannot authorise; the manager returns it once, saying why.
    with pytest.raises(PermissionDenied):
        services.assessment_authorise(actor=worker_actor, assessment=assessment)
    with pytest.raises(ValidationError) as no_comment:
        services.assessment_return(actor=manager_actor, assessment=assessment, comments=" ")
    assert no_comment.value.message_dict["comments"] == [
        "Enter what needs to change before you return it"
    ]
    services.assessment_return(
        actor=manager_actor,
        assessment=assessment,
        comments="Say more about what Amy's school sees, and weigh gran's health.",
    )
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    assert assessment.submitted_at is None
    services.assessment_save(
        actor=worker_actor,
        assessment=assessment,
        values={"analysis": WRITTEN["analysis"] + " School confirm attendance is 82%."},
    )
    services.assessment_submit(actor=worker_actor, assessment=assessment)
    services.assessment_authorise(actor=manager_actor, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == "authorised"
    assert assessment.authorised_by == manager
    assert assessment.authorised_at is not None
    assert list(
        AssessmentReview.objects.filter(assessment=assessment).values_list("decision", flat=True)
    ) == [
        "returned",
        "authorised",
    ]
    kinds = list(
        ChronologyEntry.objects.filter(child=case.child)
        .order_by("occurred_at", "pk")
        .values_list("kind", flat=True)
    )
    for kind in [
        "episode_opened",
        "case_allocated",
        "visit",
        "assessment_started",
        "assessment_submitted",
        "assessment_returned",
        "assessment_authorised",
    ]:
        assert kind in kinds
    assert kinds.count("assessment_submitted") == 2
    returned = ChronologyEntry.objects.get(child=case.child, kind="assessment_returned")
    assert "Say more about what Amy's school sees" in returned.summary


def test_factor_21_only_on_its_own(referral, manager_actor, worker, worker_actor):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=worker)
    assessment = services.assessment_start(
        actor=worker_actor, case=case, start_date=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            actor=worker_actor, assessment=assessment, values={"factors": ["21", "16A"]}
        )
    assert refused.value.message_dict["factors"] == [
        "Factor 21 (no factors identified) cannot be chosen with other factors: untick 21, "
        "or untick the other factors"
    ]
    with pytest.raises(ValidationError):
        services.assessment_save(
            actor=worker_actor, assessment=assessment, values={"factors": ["99Z"]}
        )
    services.assessment_save(actor=worker_actor, assessment=assessment, values={"factors": ["21"]})
    assert list(assessment.factors.values_list("code", flat=True)) == ["21"]


def test_a_manager_does_not_authorise_their_own_assessment(referral, manager, manager_actor):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=manager)
    assessment = services.assessment_start(
        actor=manager_actor, case=case, start_date=timezone.localdate()
    )
    services.assessment_save(actor=manager_actor, assessment=assessment, values=WRITTEN)
    services.assessment_submit(actor=manager_actor, assessment=assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_authorise(actor=manager_actor, assessment=assessment)


def test_a_reassessment_keeps_the_previous_beside_it_and_copies_answers(
    referral, manager_actor, worker, worker_actor
):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=worker)
    first = services.assessment_start(
        actor=worker_actor, case=case, start_date=timezone.localdate()
    )
    services.assessment_save(actor=worker_actor, assessment=first, values=WRITTEN)
    services.assessment_submit(actor=worker_actor, assessment=first)
    services.assessment_authorise(actor=manager_actor, assessment=first)
    second = services.assessment_start(
        actor=worker_actor, case=case, start_date=timezone.localdate()
    )
    assert second.previous == first
    services.assessment_copy_previous(actor=worker_actor, assessment=second, part_key="factors")
    services.assessment_copy_previous(actor=worker_actor, assessment=second, part_key="scale")
    second.refresh_from_db()
    assert sorted(second.factors.values_list("code", flat=True)) == ["16A", "1B"]
    assert (second.scale, second.scale_given_by) == (4, "Mum and gran together")
    assert second.worries == ""


def test_draft_saves_audit_what_changed_not_the_words(
    referral, manager_actor, worker, worker_actor
):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=worker)
    assessment = services.assessment_start(
        actor=worker_actor, case=case, start_date=timezone.localdate()
    )
    services.assessment_save(
        actor=worker_actor, assessment=assessment, values={"worries": "Hungry"}
    )
    services.assessment_save(
        actor=worker_actor, assessment=assessment, values={"worries": "Hungry"}
    )
    events = Event.objects.filter(object_type="assessment.assessment", action="update")
    assert events.count() == 1  # saving the same words again changes nothing
    assert events.get().detail == {"draft": True, "changed": ["worries"]}


def test_plans_reviews_and_services(referral, manager_actor, worker, worker_actor):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=worker)
    today = timezone.localdate()
    plan = services.cin_plan_start(
        actor=worker_actor, case=case, start_date=today, needs_to_happen="Weekly family support"
    )
    review = CinPlanReview.objects.get(plan=plan)
    assert review.held_on is None
    assert review.due_date > today
    with pytest.raises(ValidationError):
        services.cin_plan_start(
            actor=worker_actor, case=case, start_date=today, needs_to_happen="x"
        )
    services.cin_plan_review_record(
        actor=worker_actor, plan=plan, held_on=today, outcome="continue", notes="Going well"
    )
    assert CinPlanReview.objects.filter(plan=plan, held_on__isnull=True).count() == 1
    service = services.service_add(
        actor=worker_actor,
        case=case,
        service_type=service_type("parenting"),
        provider="Harbour Family Centre",
        agreed_on=today,
        plan=plan,
    )
    assert service.is_waiting
    services.service_start(actor=worker_actor, service=service, start_date=today)
    services.service_end(actor=worker_actor, service=service, end_date=today)
    services.cin_plan_end(actor=worker_actor, plan=plan, end_date=today, reason="Goals met")
    assert not CinPlanReview.objects.filter(plan=plan, held_on__isnull=True).exists()
    kinds = set(ChronologyEntry.objects.filter(child=case.child).values_list("kind", flat=True))
    assert {
        "cin_plan_started",
        "cin_plan_reviewed",
        "service_agreed",
        "service_started",
        "service_ended",
        "cin_plan_ended",
    } <= kinds


def test_closure_needs_the_work_finished_and_a_manager(
    referral, manager, manager_actor, worker, worker_actor
):
    case = services.case_allocate(actor=manager_actor, episode=referral, worker=worker)
    assessment = services.assessment_start(
        actor=worker_actor, case=case, start_date=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        services.closure_propose(
            actor=worker_actor,
            case=case,
            closed_on=timezone.localdate(),
            reason="RC8",
            summary="Done",
        )
    assert "authorised before the case closes" in refused.value.message_dict["case"][0]
    services.assessment_save(
        actor=worker_actor,
        assessment=assessment,
        values={**WRITTEN, "outcome": "nfa", "factors": ["21"]},
    )
    services.assessment_submit(actor=worker_actor, assessment=assessment)
    services.assessment_authorise(actor=manager_actor, assessment=assessment)
    with pytest.raises(ValidationError) as refused:
        services.closure_propose(
            actor=worker_actor,
            case=case,
            closed_on=timezone.localdate(),
            reason="RC99",
            summary="x",
        )
    assert refused.value.message_dict["reason"] == ["Select the reason for closing the case"]
    closure = services.closure_propose(
        actor=worker_actor,
        case=case,
        closed_on=timezone.localdate(),
        reason="RC8",
        summary="No further action after assessment.",
    )
    with pytest.raises(PermissionDenied):
        services.closure_decide(actor=worker_actor, closure=closure, approve=True)
    with pytest.raises(ValidationError):
        services.closure_decide(actor=manager_actor, closure=closure, approve=False)
    services.closure_decide(actor=manager_actor, closure=closure, approve=True)
    episode = Episode.objects.get(pk=case.episode_id)
    assert episode.closed_on == timezone.localdate()
    assert episode.closure_reason == "RC8"
    assert not Case.objects.open().filter(pk=case.pk).exists()
    assert not Allocation.objects.filter(case=case, ended_at__isnull=True).exists()
    assert ChronologyEntry.objects.filter(child=case.child, kind="episode_closed").exists()


def test_a_rereferral_counts_from_the_previous_referral_not_its_closure(
    rao, manager, worker, team, child
):
    # The DfE's definition (ADR 0201): referred 13 months ago and closed 2 months ago, a new
    # referral is within 12 months of the closure but not of the referral, so it is not a
    # re-referral.
    manager_actor, worker_actor = actor_for(manager), actor_for(worker)
    now = timezone.localtime(timezone.now(), local_tz()).replace(hour=12, minute=0)
    with time_machine.travel(now - timedelta(days=396), tick=False):
        first = refer(rao=rao, decider=manager, children=[child], team=team)[0]
        case = services.case_allocate(actor=manager_actor, episode=first, worker=worker)
        assessment = services.assessment_start(
            actor=worker_actor, case=case, start_date=timezone.localdate()
        )
        services.assessment_save(
            actor=worker_actor, assessment=assessment, values={**WRITTEN, "outcome": "nfa"}
        )
        services.assessment_submit(actor=worker_actor, assessment=assessment)
        services.assessment_authorise(actor=manager_actor, assessment=assessment)
    with time_machine.travel(now - timedelta(days=60), tick=False):
        closure = services.closure_propose(
            actor=worker_actor,
            case=case,
            closed_on=timezone.localdate(),
            reason="RC8",
            summary="NFA",
        )
        services.closure_decide(actor=manager_actor, closure=closure, approve=True)
    with time_machine.travel(now, tick=False):
        again = refer(rao=rao, decider=manager, children=[child], team=team)[0]
    assert not again.is_rereferral
    assert again.previous_episode == first


def test_a_rereferral_after_closure_is_marked(rao, manager, worker, team, child):
    manager_actor, worker_actor = actor_for(manager), actor_for(worker)
    first = refer(rao=rao, decider=manager, children=[child], team=team)[0]
    case = services.case_allocate(actor=manager_actor, episode=first, worker=worker)
    assessment = services.assessment_start(
        actor=worker_actor, case=case, start_date=timezone.localdate()
    )
    services.assessment_save(
        actor=worker_actor, assessment=assessment, values={**WRITTEN, "outcome": "nfa"}
    )
    services.assessment_submit(actor=worker_actor, assessment=assessment)
    services.assessment_authorise(actor=manager_actor, assessment=assessment)
    closure = services.closure_propose(
        actor=worker_actor, case=case, closed_on=timezone.localdate(), reason="RC8", summary="NFA"
    )
    services.closure_decide(actor=manager_actor, closure=closure, approve=True)
    again = refer(rao=rao, decider=manager, children=[child], team=team)[0]
    assert again.is_rereferral
    assert again.previous_episode == first
