"""Recording contacts, completing them, deciding, changing decisions, oversight, episodes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from haven.audit.models import Event
from haven.frontdoor import codes, services
from haven.frontdoor.models import Contact, ContactDecision, Episode, OversightNote
from haven.frontdoor.selectors import status_of
from haven.people.models import ChronologyEntry
from tests.conftest import actor_for
from tests.factories.frontdoor import (
    ContactFactory,
    DecisionFactory,
    EpisodeFactory,
    category,
    level,
)
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def record(actor, children, *, received_at=None, urgent=False, categories=("neglect",)):
    """Record and complete a phone contact through the services, as the pages do."""
    contact = services.contact_start(
        actor=actor,
        channel=codes.Channel.PHONE,
        received_at=received_at or datetime.now(tz=LONDON) - timedelta(minutes=30),
    )
    for child in children:
        services.contact_person_add(actor=actor, contact=contact, person=child)
    services.contact_update(
        actor=actor,
        contact=contact,
        data={
            "source": codes.ReferralSource.SCHOOLS,
            "referrer_name": "Dana Teacher",
            "referrer_organisation": "Harbour Primary School",
            "concern_categories": [category(key) for key in categories],
            "concern_summary": "Both children arrive hungry and unwashed.",
            "immediate_risk": urgent,
            "immediate_risk_detail": "Left alone overnight" if urgent else "",
            "consent": codes.Consent.GIVEN,
        },
    )
    return services.contact_complete(actor=actor, contact=contact)


def decide(actor, contact, outcome=codes.Outcome.REFERRAL, team=None, **extra):
    children = tuple(services.contacts.children_of(contact))
    return services.decision_make(
        actor=actor,
        contact=contact,
        data=services.DecisionInput(
            level_of_need=level("complex-significant"),
            outcome=outcome,
            rationale="Chronic neglect of both children; needs a statutory assessment now.",
            primary_need=codes.PrimaryNeed.ABUSE_OR_NEGLECT if team else "",
            receiving_team=team,
            referred_children=children if team else (),
            **extra,
        ),
    )


@time_machine.travel(datetime(2025, 3, 14, 10, 0, tzinfo=LONDON), tick=False)
def test_the_clock_starts_when_the_concern_arrived_not_when_typed(rao_actor):
    arrived = datetime(2025, 3, 14, 9, 15, tzinfo=LONDON)  # a Friday
    contact = services.contact_start(
        actor=rao_actor, channel=codes.Channel.PHONE, received_at=arrived
    )
    assert contact.received_at == arrived
    assert contact.created_at > arrived
    # One working day: the weekend does not count.
    assert contact.due_at == datetime(2025, 3, 17, 9, 15, tzinfo=LONDON)
    assert contact.assigned_to == rao_actor.user
    assert status_of(contact) == codes.Status.NEEDS_TRIAGE


def test_a_time_in_the_future_is_refused(rao_actor):
    with pytest.raises(ValidationError) as error:
        services.contact_start(
            actor=rao_actor,
            channel=codes.Channel.PHONE,
            received_at=datetime.now(tz=LONDON) + timedelta(hours=2),
        )
    assert "received_at" in error.value.message_dict


def test_immediate_risk_makes_it_due_at_once_and_tells_the_duty_decision_makers(
    rao_actor, siblings, social_worker, team_manager, django_capture_on_commit_callbacks
):
    amy, _ = siblings
    with django_capture_on_commit_callbacks(execute=True):
        contact = record(rao_actor, [amy], urgent=True)
    assert contact.due_at == contact.received_at
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {social_worker.email, team_manager.email}
    assert "immediate risk" in mail.outbox[0].subject
    assert amy.first_name not in mail.outbox[0].body  # no child's details by email


def test_completing_writes_the_contact_into_each_childs_chronology(rao_actor, siblings):
    amy, ben = siblings
    contact = record(rao_actor, [amy, ben])
    assert contact.completed_at is not None
    for child in (amy, ben):
        entry = ChronologyEntry.objects.get(child=child, kind="contact_received")
        assert entry.occurred_at == contact.received_at
        assert "Harbour" not in entry.summary  # the source code label, not the referrer
        assert "neglect" in entry.summary
        assert entry.url == contact.get_absolute_url()
    assert status_of(contact) == codes.Status.AWAITING_DECISION


def test_an_incomplete_contact_says_what_is_missing(rao_actor, siblings):
    contact = services.contact_start(
        actor=rao_actor, channel=codes.Channel.PHONE, received_at=datetime.now(tz=LONDON)
    )
    with pytest.raises(ValidationError) as error:
        services.contact_complete(actor=rao_actor, contact=contact)
    assert set(error.value.message_dict) == {
        "people",
        "source",
        "concern_summary",
        "immediate_risk",
        "consent",
    }
    services.contact_mention_add(
        actor=rao_actor, contact=contact, role=codes.PersonRole.CHILD, given_name="Amy Carter"
    )
    services.contact_person_add(actor=rao_actor, contact=contact, person=siblings[0])
    with pytest.raises(ValidationError) as error:
        services.contact_complete(actor=rao_actor, contact=contact)
    assert error.value.message_dict["people"] == ["Link or remove everyone named before finishing"]


def test_consent_not_sought_needs_the_reason(rao_actor):
    contact = services.contact_start(
        actor=rao_actor, channel=codes.Channel.PHONE, received_at=datetime.now(tz=LONDON)
    )
    with pytest.raises(ValidationError) as error:
        services.contact_update(
            actor=rao_actor, contact=contact, data={"consent": codes.Consent.NOT_SOUGHT}
        )
    assert error.value.message_dict == {"consent_detail": ["Enter why consent was not sought"]}
    services.contact_update(
        actor=rao_actor,
        contact=contact,
        data={"consent": codes.Consent.NOT_SOUGHT, "consent_detail": "Asking would alert him"},
    )
    event = Event.objects.filter(action="update", object_id=str(contact.pk)).first()
    assert event.detail["changes"]["consent"] == {"old": "", "new": "not_sought"}


def test_a_referral_and_advice_officer_can_never_decide(rao_actor, siblings, assessment_team):
    contact = record(rao_actor, [siblings[0]])
    with pytest.raises(PermissionDenied):
        decide(rao_actor, contact, team=assessment_team)
    assert not ContactDecision.objects.exists()


def test_a_referral_opens_an_episode_for_each_child_and_both_chronologies_show_it(
    rao_actor, sw_actor, siblings, assessment_team
):
    amy, ben = siblings
    contact = record(rao_actor, [amy, ben])
    decision = decide(sw_actor, contact, team=assessment_team)
    contact.refresh_from_db()
    assert contact.decided_at == decision.decided_at
    assert status_of(contact) == codes.Status.DECIDED
    episodes = Episode.objects.filter(contact=contact)
    assert {e.child for e in episodes} == {amy, ben}
    for episode in episodes:
        assert episode.referral_source == codes.ReferralSource.SCHOOLS
        assert episode.primary_need == "N1"
        assert episode.receiving_team == assessment_team
        assert episode.referral_date == contact.received_at.astimezone(LONDON).date()
    for child in (amy, ben):
        kinds = set(ChronologyEntry.objects.filter(child=child).values_list("kind", flat=True))
        assert {"contact_received", "contact_decision", "episode_opened"} <= kinds
    assert Event.objects.filter(object_type="frontdoor.contactdecision", action="create").exists()


def test_a_referral_needs_the_primary_need_team_and_a_reason(rao_actor, sw_actor, siblings):
    contact = record(rao_actor, [siblings[0]])
    with pytest.raises(ValidationError) as error:
        services.decision_make(
            actor=sw_actor,
            contact=contact,
            data=services.DecisionInput(
                level_of_need=level(), outcome=codes.Outcome.REFERRAL, rationale="short"
            ),
        )
    assert {"primary_need", "receiving_team", "referred_children", "rationale"} <= set(
        error.value.message_dict
    )


def test_an_incomplete_or_decided_contact_cannot_be_decided(rao_actor, sw_actor, siblings):
    draft = services.contact_start(
        actor=rao_actor, channel=codes.Channel.PHONE, received_at=datetime.now(tz=LONDON)
    )
    with pytest.raises(ValidationError):
        decide(sw_actor, draft, outcome=codes.Outcome.INFORMATION_ADVICE)
    contact = record(rao_actor, [siblings[0]], categories=())
    decide(sw_actor, contact, outcome=codes.Outcome.INFORMATION_ADVICE)
    with pytest.raises(ValidationError):
        decide(sw_actor, contact, outcome=codes.Outcome.NO_FURTHER_ACTION)


def test_three_contacts_in_twelve_months_need_the_history_weighed(rao_actor, sw_actor, siblings):
    amy, _ = siblings
    for months_ago in (9, 4):
        earlier = ContactFactory(
            children=[amy],
            categories=["behaviour"],
            received_at=datetime.now(tz=LONDON) - timedelta(days=30 * months_ago),
        )
        DecisionFactory(contact=earlier, outcome=codes.Outcome.INFORMATION_ADVICE)
    contact = record(rao_actor, [amy], categories=("behaviour",))
    with pytest.raises(ValidationError) as error:
        decide(sw_actor, contact, outcome=codes.Outcome.NO_FURTHER_ACTION)
    assert "history_weighing" in error.value.message_dict
    decision = decide(
        sw_actor,
        contact,
        outcome=codes.Outcome.EARLY_HELP,
        history_weighing="Three contacts about behaviour; school support has worked; early help "
        "with a named lead is proportionate and will be reviewed.",
    )
    flags = list(decision.flags.all())
    assert [(f.rule, f.count, f.child, f.about) for f in flags] == [
        ("repeated_contacts", 3, amy, amy)
    ]


def test_a_brothers_contacts_and_repeated_neglect_count_too(rao_actor, sw_actor, siblings):
    amy, ben = siblings
    older = ContactFactory(
        children=[ben],
        categories=["neglect"],
        received_at=datetime.now(tz=LONDON) - timedelta(days=400),
    )
    DecisionFactory(contact=older, outcome=codes.Outcome.EARLY_HELP)
    contact = record(rao_actor, [amy], categories=("neglect",))
    from haven.frontdoor import harm

    assessment = harm.assess(contact)
    rules = {(f.rule, f.about.first_name) for f in assessment.flags}
    # Amy has one neglect contact (this one); Ben had one 13 months ago. Neither has two yet:
    assert rules == set()
    second = ContactFactory(
        children=[ben],
        categories=["neglect"],
        received_at=datetime.now(tz=LONDON) - timedelta(days=100),
    )
    DecisionFactory(contact=second, outcome=codes.Outcome.INFORMATION_ADVICE)
    assessment = harm.assess(contact)
    assert {(f.rule, f.about.first_name) for f in assessment.flags} == {("repeated_neglect", "Ben")}
    histories = assessment.histories[amy.pk]
    assert [h.relation for h in histories] == ["This child", "Brother of Amy"]
    assert histories[1].low_outcomes == 2


def test_a_referral_is_not_held_back_by_the_pattern(rao_actor, sw_actor, siblings, assessment_team):
    amy, _ = siblings
    for days in (200, 100):
        ContactFactory(
            children=[amy],
            categories=["neglect"],
            received_at=datetime.now(tz=LONDON) - timedelta(days=days),
        )
    contact = record(rao_actor, [amy])
    decision = decide(sw_actor, contact, team=assessment_team)
    assert decision.flags.count() == 2  # still stored, for the scorecard


def test_changing_a_decision_keeps_the_old_one_and_withdraws_episodes(
    rao_actor, sw_actor, siblings, assessment_team
):
    amy, ben = siblings
    contact = record(rao_actor, [amy, ben])
    first = decide(sw_actor, contact, team=assessment_team)
    changed = services.decision_change(
        actor=sw_actor,
        decision=first,
        data=services.DecisionInput(
            level_of_need=level("additional-needs"),
            outcome=codes.Outcome.EARLY_HELP,
            rationale="New information from school: needs are met with early help support.",
        ),
        reason="School confirmed attendance is now good",
    )
    first.refresh_from_db()
    assert not first.is_current
    assert changed.is_current
    assert changed.supersedes == first
    assert Episode.objects.open().filter(contact=contact).count() == 0
    assert Episode.objects.filter(contact=contact, withdrawn_at__isnull=False).count() == 2
    event = Event.objects.get(object_type="frontdoor.contactdecision", action="update")
    assert event.reason == "School confirmed attendance is now good"
    assert event.detail["changes"]["outcome"] == {"old": "referral", "new": "early_help"}
    assert ChronologyEntry.objects.filter(child=amy, kind="contact_decision_changed").exists()


def test_oversight_and_countersigning(rao_actor, sw_actor, siblings, team_manager):
    contact = record(rao_actor, [siblings[0]], categories=())
    decision = decide(sw_actor, contact, outcome=codes.Outcome.INFORMATION_ADVICE)
    manager = actor_for(team_manager)
    with pytest.raises(PermissionDenied):
        services.oversight_add(
            actor=sw_actor, contact=contact, kind="note", text="I agree with this"
        )
    services.oversight_add(
        actor=manager, contact=contact, kind="note", text="Agree; review in a month"
    )
    services.oversight_add(
        actor=manager, contact=contact, kind="countersignature", text="Countersigned"
    )
    with pytest.raises(ValidationError):
        services.oversight_add(
            actor=manager, contact=contact, kind="countersignature", text="Again"
        )
    assert OversightNote.objects.filter(decision=decision).count() == 2


def test_rereferral_within_twelve_months_of_the_previous_referral(sw_actor, assessment_team):
    child = PersonFactory()
    EpisodeFactory(
        child=child,
        referral_date=date(2024, 6, 1),
        closed_on=date(2024, 9, 1),
        closure_reason="RC8",
    )
    with time_machine.travel(datetime(2025, 5, 1, 10, tzinfo=LONDON)):
        episode = services.episode_open(
            actor=sw_actor,
            child=child,
            referral_date=date(2025, 5, 1),
            referral_source="6",
            primary_need="N1",
            receiving_team=assessment_team,
        )
    assert episode.is_rereferral
    assert episode.previous_episode is not None
    with pytest.raises(ValidationError):
        services.episode_open(
            actor=sw_actor,
            child=child,
            referral_date=date(2025, 5, 1),
            referral_source="6",
            primary_need="N1",
            receiving_team=assessment_team,
        )
    services.episode_close(
        actor=sw_actor, episode=episode, closed_on=date(2025, 5, 20), reason="RC7"
    )
    episode.refresh_from_db()
    assert not episode.is_open
    assert episode.closure_reason == "RC7"
    with pytest.raises(ValidationError):
        services.episode_close(
            actor=sw_actor, episode=episode, closed_on=date(2025, 5, 21), reason="RC7"
        )


def test_a_referral_more_than_a_year_on_is_not_a_rereferral(sw_actor):
    child = PersonFactory()
    EpisodeFactory(
        child=child,
        referral_date=date(2023, 1, 10),
        closed_on=date(2023, 3, 1),
        closure_reason="RC7",
    )
    with time_machine.travel(datetime(2025, 5, 1, 10, tzinfo=LONDON)):
        episode = services.episode_open(
            actor=sw_actor,
            child=child,
            referral_date=date(2025, 5, 1),
            referral_source="2A",
            primary_need="N4",
            receiving_team=None,
        )
    assert not episode.is_rereferral


def test_information_requests_make_the_contact_wait_without_moving_its_deadline(
    rao_actor, siblings
):
    contact = record(rao_actor, [siblings[0]])
    due = contact.due_at
    asked = services.information_request_add(
        actor=rao_actor,
        contact=contact,
        agency_kind=codes.AgencyKind.HEALTH,
        agency_name="Harbour GP surgery",
        question="Is Amy registered and seen recently?",
    )
    assert status_of(Contact.objects.get(pk=contact.pk)) == codes.Status.AWAITING_INFORMATION
    with pytest.raises(ValidationError):
        services.information_request_answer(
            actor=rao_actor,
            request=asked,
            response="Seen",
            answered_at=asked.requested_at - timedelta(hours=1),
        )
    services.information_request_answer(actor=rao_actor, request=asked, response="Seen in May")
    contact.refresh_from_db()
    assert status_of(contact) == codes.Status.AWAITING_DECISION
    assert contact.due_at == due


def test_who_may_withdraw(rao_actor, sw_actor, siblings):
    started = services.contact_start(
        actor=rao_actor, channel=codes.Channel.PHONE, received_at=datetime.now(tz=LONDON)
    )
    services.contact_withdraw(actor=rao_actor, contact=started, reason="Started this one in error")
    complete = record(rao_actor, [siblings[0]])
    with pytest.raises(PermissionDenied):
        services.contact_withdraw(actor=rao_actor, contact=complete, reason="Duplicate of another")
    services.contact_withdraw(actor=sw_actor, contact=complete, reason="Duplicate of C000001")
    complete.refresh_from_db()
    assert status_of(complete) == codes.Status.WITHDRAWN


def test_assigning(rao_actor, social_worker, rao, siblings):
    contact = ContactFactory(children=[siblings[0]])
    services.contact_assign(actor=rao_actor, contact=contact, assignee=rao)  # taking it
    assert contact.assigned_to == rao
    with pytest.raises(PermissionDenied):
        services.contact_assign(actor=rao_actor, contact=contact, assignee=social_worker)
    services.contact_assign(actor=actor_for(social_worker), contact=contact, assignee=social_worker)
    contact.refresh_from_db()
    assert contact.assigned_to == social_worker


def test_answering_yes_tells_the_duty_decision_makers_at_once_and_only_once(
    rao_actor, siblings, social_worker, team_manager, django_capture_on_commit_callbacks
):
    """An officer interrupted after answering "Yes" still leaves someone who knows."""
    amy, _ = siblings
    contact = services.contact_start(
        actor=rao_actor,
        channel=codes.Channel.PHONE,
        received_at=datetime.now(tz=LONDON) - timedelta(minutes=5),
    )
    services.contact_person_add(actor=rao_actor, contact=contact, person=amy)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_update(
            actor=rao_actor,
            contact=contact,
            data={"immediate_risk": True, "immediate_risk_detail": "Threatened with a knife"},
        )
    assert contact.completed_at is None
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {social_worker.email, team_manager.email}
    contact.refresh_from_db()
    assert contact.urgent_notified_at is not None
    # Changing the answer back and forth, then finishing, tells nobody a second time.
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_update(actor=rao_actor, contact=contact, data={"immediate_risk": False})
        services.contact_update(
            actor=rao_actor,
            contact=contact,
            data={"immediate_risk": True, "immediate_risk_detail": "Threatened again"},
        )
        services.contact_update(
            actor=rao_actor,
            contact=contact,
            data={
                "source": codes.ReferralSource.SCHOOLS,
                "concern_summary": "Said at school she is scared to go home.",
                "consent": codes.Consent.GIVEN,
            },
        )
        services.contact_complete(actor=rao_actor, contact=contact)
    assert len(mail.outbox) == 1


def test_an_urgent_partner_referral_is_not_announced_again_when_triaged(
    rao_actor, siblings, social_worker, django_capture_on_commit_callbacks
):
    amy, _ = siblings
    contact = ContactFactory(
        team=social_worker.team,
        completed_at=None,
        immediate_risk=True,
        immediate_risk_detail="Referrer says a child is at immediate risk.",
        urgent_notified_at=datetime.now(tz=LONDON),
        children=[amy],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_complete(actor=rao_actor, contact=contact)
    assert mail.outbox == []


def test_a_manager_directs_the_work_before_the_decision(
    rao_actor, sw_actor, siblings, team_manager
):
    contact = record(rao_actor, [siblings[0]], categories=())
    manager = actor_for(team_manager)
    note = services.oversight_add(
        actor=manager,
        contact=contact,
        kind="note",
        text="Ask the school nurse about weight before deciding.",
    )
    assert note.decision is None
    assert ChronologyEntry.objects.filter(child=siblings[0], kind="contact_oversight").exists()
    with pytest.raises(ValidationError) as error:
        services.oversight_add(
            actor=manager, contact=contact, kind="countersignature", text="Agreed, signed"
        )
    assert "no decision to countersign" in str(error.value)
    # Once closed without a decision there is nothing left to direct.
    services.contact_withdraw(actor=sw_actor, contact=contact, reason="Duplicate of C000999")
    with pytest.raises(PermissionDenied):
        services.oversight_add(actor=manager, contact=contact, kind="note", text="Too late now")


def test_a_referral_goes_only_to_a_team_that_takes_referrals(
    rao_actor, sw_actor, siblings, front_door, assessment_team
):
    from haven.frontdoor.forms import DecisionForm

    contact = record(rao_actor, [siblings[0]])
    offered = DecisionForm(children=[siblings[0]], harm_met=False).fields["receiving_team"]
    assert list(offered.queryset) == [assessment_team]  # not the front door
    with pytest.raises(ValidationError) as error:
        decide(sw_actor, contact, team=front_door)
    assert "receiving_team" in error.value.message_dict
    assert decide(sw_actor, contact, team=assessment_team).receiving_team == assessment_team
