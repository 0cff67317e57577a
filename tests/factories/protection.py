"""Factories for child protection records. ``recorded_discussion(...)`` builds a finished
strategy discussion through the services, as a user would; the factories write rows directly
for arranging tests of lists and permissions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import factory
from django.utils import timezone

from haven.accounts.models import Agency, Team, User
from haven.accounts.roles import Role
from haven.core.actor import Actor
from haven.people.models import Person
from haven.protection import codes, services
from haven.protection.models import (
    DiscussionAction,
    DiscussionAgency,
    DiscussionChild,
    Meeting,
    MeetingConsideration,
    MeetingKind,
    MeetingReferral,
    StrategyDiscussion,
)
from tests.factories.accounts import AgencyFactory, TeamFactory, UserFactory
from tests.factories.people import PersonFactory


def police() -> Agency:
    return AgencyFactory(name="Haven Police", kind=Agency.Kind.POLICE)


def health() -> Agency:
    return AgencyFactory(name="Haven Community Health Trust", kind=Agency.Kind.HEALTH)


def education() -> Agency:
    return AgencyFactory(name="Haven Schools Safeguarding", kind=Agency.Kind.EDUCATION)


class StrategyDiscussionFactory(factory.django.DjangoModelFactory):
    """A recorded discussion row (``completed_at`` set); ``children=[...]`` adds subjects."""

    class Meta:
        model = StrategyDiscussion
        skip_postgeneration_save = True

    origin = codes.Origin.OPEN_CASE
    held_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    method = codes.Method.PHONE
    is_formal = True
    recorded_by = factory.SubFactory(UserFactory, role=Role.SOCIAL_WORKER)
    decision = codes.Decision.SINGLE_AGENCY_S47
    rationale = "Bruising seen by the school; the explanation given does not fit the injury."
    completed_at = factory.LazyFunction(timezone.now)
    version_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def children(self: StrategyDiscussion, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        for child in extracted or [PersonFactory()]:
            DiscussionChild.objects.create(
                discussion=self,
                child=child,
                name=child.full_name,
                date_of_birth=child.date_of_birth,
            )


class DiscussionAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscussionAgency

    discussion = factory.SubFactory(StrategyDiscussionFactory)
    role = codes.AgencyRole.POLICE
    agency = factory.LazyFunction(police)
    attendance = codes.Attendance.ATTENDED


class DiscussionActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscussionAction

    discussion = factory.SubFactory(StrategyDiscussionFactory)
    description = "Visit the child at school with a police officer."
    owner_role = codes.AgencyRole.POLICE
    owner_agency = factory.LazyFunction(police)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=2))


def medium_risk() -> MeetingKind:
    """The seeded medium-risk meeting (made again if a browser test's rollback lost it)."""
    from haven.protection.models import MeetingKindTimescale

    kind, _ = MeetingKind.objects.get_or_create(
        key="medium-risk",
        defaults={"name": "Medium-risk multi-agency meeting", "short_name": "MRM"},
    )
    MeetingKindTimescale.objects.get_or_create(
        kind=kind, risk_level="medium", defaults={"timescale_key": "medium_risk_meeting"}
    )
    return kind


class MeetingReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingReferral

    kind = factory.LazyFunction(medium_risk)
    child = factory.SubFactory(PersonFactory)
    risk_level = codes.RiskLevel.MEDIUM
    reason = "Going missing overnight; older friends."
    referred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    due_at = factory.LazyAttribute(lambda o: o.referred_at + timedelta(days=7))


def plan_agreed(
    *,
    actor: Actor,
    meeting: Meeting,
    referral: MeetingReferral,
    description: str = "School to check attendance daily.",
    owner_role: str = "education",
    due_in_days: int = 7,
) -> MeetingConsideration:
    """The meeting considers the referred child and agrees a plan with one action."""
    return services.meeting_consider_child(
        actor=actor,
        meeting=meeting,
        referral=referral,
        data=services.ConsiderationInput(
            risk_level="medium",
            outcome="plan_agreed",
            discussion_summary="Plan agreed.",
            actions=(
                services.ActionInput(
                    description=description,
                    owner_role=owner_role,
                    due_on=timezone.localdate() + timedelta(days=due_in_days),
                ),
            ),
        ),
    )


def recorded_discussion(
    *,
    recorder: User,
    children: list[Person] | None = None,
    chair: User | None = None,
    held_at: datetime | None = None,
    decision: str = codes.Decision.JOINT_S47,
    lines: list[services.AgencyLine] | None = None,
    actions: list[services.ActionInput] | None = None,
    team: Team | None = None,
) -> StrategyDiscussion:
    """A strategy discussion recorded through the services: police, health and education
    invited (education sent apologies), children's social care attended."""
    actor = Actor(user=recorder, ip_address="127.0.0.1", user_agent="pytest")
    children = children or [PersonFactory()]
    held_at = held_at or timezone.now() - timedelta(hours=2)
    discussion = services.strategy_discussion_start(
        actor=actor,
        details=services.DiscussionDetails(
            children=tuple(children),
            held_at=held_at,
            method=codes.Method.VIDEO,
            is_formal=True,
            chair=chair,
        ),
    )
    if team is not None:
        StrategyDiscussion.objects.filter(pk=discussion.pk).update(team=team)
        discussion.refresh_from_db()
    services.discussion_agencies_save(
        actor=actor,
        discussion=discussion,
        lines=lines
        or [
            services.AgencyLine(
                role="police", attendance="attended", agency=police(), attendees="DC Reid"
            ),
            services.AgencyLine(
                role="health", attendance="attended", agency=health(), attendees="Named nurse"
            ),
            services.AgencyLine(role="education", attendance="apologies", agency=education()),
            services.AgencyLine(role="social_care", attendance="attended", attendees="Sam"),
        ],
    )
    shared = {
        line.pk: f"{line.get_role_display()} shared what they know."
        for line in discussion.agencies.all()
        if line.is_invited
    }
    services.discussion_information_save(actor=actor, discussion=discussion, shared=shared)
    services.discussion_decision_save(
        actor=actor,
        discussion=discussion,
        data=services.DecisionInput(
            decision=decision,
            rationale="Unexplained bruising to the face and a history of similar concerns.",
            next_step=codes.NextStep.ASSESSMENT if decision == codes.Decision.NO_S47 else "",
        ),
    )
    held_day: date = timezone.localtime(held_at).date()
    for data in actions or [
        services.ActionInput(
            description="Police to check records and visit.",
            owner_role="police",
            owner_agency=police(),
            owner_name="DC Reid",
            due_on=held_day + timedelta(days=2),
        ),
        services.ActionInput(
            description="Health to arrange a medical.",
            owner_role="health",
            owner_agency=health(),
            due_on=held_day + timedelta(days=1),
        ),
    ]:
        services.discussion_action_add(actor=actor, discussion=discussion, data=data)
    return services.strategy_discussion_complete(actor=actor, discussion=discussion)


__all__ = ["TeamFactory"]
