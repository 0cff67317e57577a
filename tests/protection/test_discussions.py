"""Strategy discussion services: the record, its rules, its versions, its actions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haven.audit.models import Event
from haven.people.models import ChronologyEntry
from haven.protection import codes, services
from haven.protection.models import Section47Enquiry, StrategyDiscussion
from tests.conftest import actor_for
from tests.factories.frontdoor import EpisodeFactory
from tests.factories.people import PersonFactory
from tests.factories.protection import education, health, police, recorded_discussion

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _details(children, **changes):  # type: ignore[no-untyped-def]
    values = {
        "children": tuple(children),
        "held_at": timezone.now() - timedelta(hours=1),
        "method": codes.Method.PHONE,
        "is_formal": True,
        "chair": None,
    }
    values.update(changes)
    return services.DiscussionDetails(**values)


def test_whether_formal_must_be_answered(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as raised:
        services.strategy_discussion_start(
            actor=actor_for(worker), details=_details([PersonFactory()], is_formal=None)
        )
    assert raised.value.message_dict["is_formal"] == [
        "Select whether this was a formal strategy discussion"
    ]
    assert not StrategyDiscussion.objects.exists()


def test_out_of_hours_worker_is_asked_plainly_and_the_record_is_marked(edt) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as raised:
        services.strategy_discussion_start(
            actor=actor_for(edt), details=_details([PersonFactory()], is_formal=None)
        )
    assert "out-of-hours" in raised.value.message_dict["is_formal"][0]
    discussion = services.strategy_discussion_start(
        actor=actor_for(edt), details=_details([PersonFactory()], is_formal=False)
    )
    assert discussion.is_out_of_hours
    assert discussion.origin == codes.Origin.OUT_OF_HOURS
    assert discussion.is_formal is False


def test_chair_defaults_to_the_receiving_teams_manager(worker, chair, assessment_team) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory()
    EpisodeFactory(child=child, receiving_team=assessment_team)
    discussion = services.strategy_discussion_start(
        actor=actor_for(worker), details=_details([child])
    )
    assert discussion.chair == chair
    assert discussion.team == assessment_team
    assert discussion.origin == codes.Origin.REFERRAL
    assert discussion.subjects.get().episode is not None


def test_a_chair_must_be_a_manager(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as raised:
        services.strategy_discussion_start(
            actor=actor_for(worker), details=_details([PersonFactory()], chair=worker)
        )
    assert "chair" in raised.value.message_dict


def test_a_partner_cannot_record(police_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.strategy_discussion_start(
            actor=actor_for(police_user), details=_details([PersonFactory()])
        )


def test_each_core_agency_must_be_accounted_for(worker) -> None:  # type: ignore[no-untyped-def]
    discussion = services.strategy_discussion_start(
        actor=actor_for(worker), details=_details([PersonFactory()])
    )
    with pytest.raises(ValidationError) as raised:
        services.discussion_agencies_save(
            actor=actor_for(worker),
            discussion=discussion,
            lines=[
                services.AgencyLine(role="police", attendance="attended", agency=police()),
                services.AgencyLine(role="education", attendance="not_invited"),
            ],
        )
    errors = raised.value.message_dict
    assert "health_attendance" in errors
    assert "social_care_attendance" in errors
    assert errors["education_reason"] == ["Enter why education were not invited"]


def test_an_organisation_must_be_of_the_agencys_kind(worker) -> None:  # type: ignore[no-untyped-def]
    discussion = services.strategy_discussion_start(
        actor=actor_for(worker), details=_details([PersonFactory()])
    )
    with pytest.raises(ValidationError) as raised:
        services.discussion_agencies_save(
            actor=actor_for(worker),
            discussion=discussion,
            lines=[
                services.AgencyLine(role="police", attendance="attended", agency=health()),
                services.AgencyLine(role="health", attendance="attended", agency=health()),
                services.AgencyLine(role="education", attendance="apologies", agency=education()),
                services.AgencyLine(role="social_care", attendance="attended"),
            ],
        )
    assert raised.value.message_dict == {"police_agency": ["Select a police organisation"]}


def test_a_draft_cannot_be_finished_without_agencies_and_decision(worker) -> None:  # type: ignore[no-untyped-def]
    discussion = services.strategy_discussion_start(
        actor=actor_for(worker), details=_details([PersonFactory()])
    )
    with pytest.raises(ValidationError) as raised:
        services.strategy_discussion_complete(actor=actor_for(worker), discussion=discussion)
    assert set(raised.value.message_dict) == {"agencies", "decision"}


def test_finishing_opens_an_enquiry_per_child_and_writes_chronology(worker) -> None:  # type: ignore[no-untyped-def]
    brother, sister = PersonFactory(), PersonFactory()
    discussion = recorded_discussion(recorder=worker, children=[brother, sister])
    assert discussion.is_recorded
    enquiries = Section47Enquiry.objects.filter(discussion=discussion)
    assert {e.child_id for e in enquiries} == {brother.pk, sister.pk}
    assert all(e.is_joint for e in enquiries)
    for child in (brother, sister):
        kinds = set(ChronologyEntry.objects.filter(child=child).values_list("kind", flat=True))
        assert {"strategy_discussion_held", "section47_started"} <= kinds
        assert Event.objects.filter(
            child_id=child.pk, object_type="protection.strategydiscussion"
        ).exists()


def test_conference_target_is_15_working_days_across_christmas(worker) -> None:  # type: ignore[no-untyped-def]
    held = datetime(2025, 12, 17, 10, 30, tzinfo=LONDON)
    discussion = recorded_discussion(recorder=worker, held_at=held)
    enquiry = Section47Enquiry.objects.get(discussion=discussion)
    # 25, 26 December and 1 January are bank holidays: 15 working days after 17 December
    # is 12 January, not 7 January as weekdays alone would give.
    assert timezone.localtime(enquiry.conference_due_at).date() == date(2026, 1, 12)
    assert enquiry.start_date == date(2025, 12, 17)


def test_every_change_makes_a_new_version(worker) -> None:  # type: ignore[no-untyped-def]
    discussion = recorded_discussion(recorder=worker)
    before = discussion.version
    action = discussion.actions.first()
    assert action is not None
    services.discussion_action_complete(
        actor=actor_for(worker), action=action, done_on=timezone.localdate(), note="Done."
    )
    discussion.refresh_from_db()
    assert discussion.version == before + 1


def test_the_decision_is_fixed_once_recorded(worker) -> None:  # type: ignore[no-untyped-def]
    discussion = recorded_discussion(recorder=worker)
    with pytest.raises(PermissionDenied):
        services.discussion_decision_save(
            actor=actor_for(worker),
            discussion=discussion,
            data=services.DecisionInput(decision="no_s47", rationale="x" * 30, next_step="nfa"),
        )


def test_a_partner_marks_only_their_own_agencys_actions(worker, police_user, health_user) -> None:  # type: ignore[no-untyped-def]
    discussion = recorded_discussion(recorder=worker)
    police_action = discussion.actions.get(owner_role="police")
    health_action = discussion.actions.get(owner_role="health")
    with pytest.raises(ValidationError) as raised:
        services.discussion_action_complete(
            actor=actor_for(police_user),
            action=police_action,
            done_on=timezone.localdate(),
            note="",
        )
    assert raised.value.message_dict["note"] == ["Enter a note of what was done"]
    with pytest.raises(PermissionDenied):
        services.discussion_action_complete(
            actor=actor_for(police_user),
            action=health_action,
            done_on=timezone.localdate(),
            note="x",
        )
    services.discussion_action_complete(
        actor=actor_for(police_user),
        action=police_action,
        done_on=timezone.localdate(),
        note="Records checked; joint visit done.",
    )
    police_action.refresh_from_db()
    assert police_action.done_by == police_user
    assert police_action.is_done


def test_a_partner_not_invited_cannot_mark_actions(worker, other_police_user) -> None:  # type: ignore[no-untyped-def]
    discussion = recorded_discussion(recorder=worker)
    action = discussion.actions.get(owner_role="police")
    with pytest.raises(PermissionDenied):
        services.discussion_action_complete(
            actor=actor_for(other_police_user),
            action=action,
            done_on=timezone.localdate(),
            note="x",
        )


def test_no_s47_with_a_medium_risk_meeting_puts_the_child_on_the_waiting_list(worker) -> None:  # type: ignore[no-untyped-def]
    from haven.protection.models import MeetingReferral

    child = PersonFactory()
    actor = actor_for(worker)
    discussion = services.strategy_discussion_start(actor=actor, details=_details([child]))
    services.discussion_agencies_save(
        actor=actor,
        discussion=discussion,
        lines=[
            services.AgencyLine(role=r, attendance="attended")
            for r in ("police", "health", "education", "social_care")
        ],
    )
    services.discussion_decision_save(
        actor=actor,
        discussion=discussion,
        data=services.DecisionInput(
            decision="no_s47",
            rationale="Risk is medium: partners can manage it with a multi-agency plan.",
            next_step="medium_risk_meeting",
        ),
    )
    services.strategy_discussion_complete(actor=actor, discussion=discussion)
    referral = MeetingReferral.objects.get(child=child)
    assert referral.is_waiting
    assert referral.discussion == discussion
    assert not Section47Enquiry.objects.filter(child=child).exists()


def test_a_discussion_is_not_finished_without_a_chair(edt, chair) -> None:  # type: ignore[no-untyped-def]
    """The emergency duty team has no manager here, so no chair is named by default: the
    draft saves, but the record cannot be finished until someone says who chaired."""
    actor = actor_for(edt)
    discussion = recorded_discussion_draft(actor)
    assert discussion.chair is None
    state = services.completeness(discussion)
    assert state.problems == {"details": "Select who chaired the discussion"}
    with pytest.raises(ValidationError) as raised:
        services.strategy_discussion_complete(actor=actor, discussion=discussion)
    assert raised.value.message_dict == {"details": ["Select who chaired the discussion"]}
    services.strategy_discussion_update_details(
        actor=actor,
        discussion=discussion,
        details=_details(
            [s.child for s in discussion.subjects.all()], is_formal=False, chair=chair
        ),
    )
    assert services.strategy_discussion_complete(actor=actor, discussion=discussion).is_recorded


def test_the_recorders_own_manager_chairs_by_default(worker, chair) -> None:  # type: ignore[no-untyped-def]
    discussion = services.strategy_discussion_start(
        actor=actor_for(worker), details=_details([PersonFactory()])
    )
    assert discussion.chair == chair
    own = services.strategy_discussion_start(
        actor=actor_for(chair), details=_details([PersonFactory()])
    )
    assert own.chair == chair


def recorded_discussion_draft(actor):  # type: ignore[no-untyped-def]
    """A draft with everything but a chair: agencies, information, decision."""
    discussion = services.strategy_discussion_start(
        actor=actor, details=_details([PersonFactory()], is_formal=False)
    )
    services.discussion_agencies_save(
        actor=actor,
        discussion=discussion,
        lines=[
            services.AgencyLine(role="police", attendance="attended", agency=police()),
            services.AgencyLine(role="health", attendance="apologies", agency=health()),
            services.AgencyLine(role="education", attendance="apologies", agency=education()),
            services.AgencyLine(role="social_care", attendance="attended"),
        ],
    )
    services.discussion_information_save(
        actor=actor,
        discussion=discussion,
        shared={
            line.pk: "What they know." for line in discussion.agencies.all() if line.is_invited
        },
    )
    services.discussion_decision_save(
        actor=actor,
        discussion=discussion,
        data=services.DecisionInput(
            decision=codes.Decision.NO_S47,
            rationale="No concerns of significant harm.",
            next_step=codes.NextStep.ASSESSMENT,
        ),
    )
    return StrategyDiscussion.objects.get(pk=discussion.pk)


def test_an_action_belongs_only_to_an_invited_organisation(worker, chair) -> None:  # type: ignore[no-untyped-def]
    from haven.accounts.models import Agency
    from tests.factories.accounts import AgencyFactory

    actor = actor_for(worker)
    discussion = recorded_discussion(recorder=worker, chair=chair, actions=[])
    other_force = AgencyFactory(name="Another Police Force", kind=Agency.Kind.POLICE)
    due = timezone.localdate() + timedelta(days=3)

    def add(**owner):  # type: ignore[no-untyped-def]
        return services.discussion_action_add(
            actor=actor,
            discussion=discussion,
            data=services.ActionInput(description="Check the records.", due_on=due, **owner),
        )

    before = discussion.actions.count()
    with pytest.raises(ValidationError) as raised:
        add(owner_role="police", owner_agency=other_force)
    assert "invited" in raised.value.message_dict["owner_agency"][0]
    assert discussion.actions.count() == before
    # With no organisation chosen, the invited organisation of that agency's line owns it.
    assert add(owner_role="police").owner_agency == police()
    assert add(owner_role="education").owner_agency == education()
    assert add(owner_role="social_care").owner_agency is None
    # An organisation that owns actions cannot be taken off the invitations.
    with pytest.raises(ValidationError) as raised:
        services.discussion_agencies_save(
            actor=actor,
            discussion=discussion,
            lines=[
                services.AgencyLine(
                    role="police", attendance="not_invited", not_invited_reason="Not needed."
                ),
                services.AgencyLine(role="health", attendance="attended", agency=health()),
                services.AgencyLine(role="education", attendance="apologies", agency=education()),
                services.AgencyLine(role="social_care", attendance="attended"),
            ],
        )
    assert "Haven Police" in raised.value.message_dict["agencies"][0]


@pytest.mark.parametrize(
    ("held", "target"),
    [
        # Saturday: Monday 9 March is day 1 of 15, so Friday 27 March (not Monday 30).
        (datetime(2026, 3, 7, 11, 0, tzinfo=LONDON), date(2026, 3, 27)),
        # A weekday: Tuesday 10 March is day 1, so Monday 30 March.
        (datetime(2026, 3, 9, 10, 30, tzinfo=LONDON), date(2026, 3, 30)),
        # Good Friday 3 April 2026, with Easter Monday after it: Tuesday 7 April is day 1,
        # so Monday 27 April, the same as for a discussion on Thursday 2 April.
        (datetime(2026, 4, 3, 20, 0, tzinfo=LONDON), date(2026, 4, 27)),
        (datetime(2026, 4, 2, 9, 0, tzinfo=LONDON), date(2026, 4, 27)),
    ],
)
def test_conference_target_counts_from_a_weekend_or_bank_holiday(worker, held, target) -> None:  # type: ignore[no-untyped-def]
    from haven.core import timescales

    discussion = recorded_discussion(recorder=worker, held_at=held)
    enquiry = Section47Enquiry.objects.get(discussion=discussion)
    due = timezone.localtime(enquiry.conference_due_at, LONDON)
    assert due.date() == target
    # Due by the end of the target date, whatever the time of the discussion: the queue is
    # not red during the target date, and red the morning after.
    late_on_the_day = datetime.combine(target, datetime.min.time(), tzinfo=LONDON) + timedelta(
        hours=22
    )
    next_morning = late_on_the_day + timedelta(hours=11)
    assert timescales.rag(enquiry.conference_due_at, now=late_on_the_day) != timescales.Rag.RED
    assert timescales.rag(enquiry.conference_due_at, now=next_morning) == timescales.Rag.RED
