"""Factories for allocation and assessment. They write rows directly, for arranging tests
(lists, permissions, query counts); tests of behaviour call the services."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import factory
from django.utils import timezone

from haven.assessment import codes
from haven.assessment.models import (
    Allocation,
    Assessment,
    AssessmentFactor,
    Case,
    CinPlan,
    CinPlanReview,
    Closure,
    Service,
    ServiceType,
    Visit,
)
from haven.core.calendar import local_tz
from tests.factories.frontdoor import EpisodeFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """An allocated case: ``CaseFactory(worker=sw, team=team)``; its episode is made too."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    episode = factory.SubFactory(EpisodeFactory, receiving_team=factory.SelfAttribute("..team"))
    child = factory.LazyAttribute(lambda o: o.episode.child)
    team = None
    worker = None
    referral_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=20))
    allocated_at = factory.LazyAttribute(lambda o: o.referral_at + timedelta(hours=6))
    first_visit_due_at = factory.LazyAttribute(lambda o: o.referral_at + timedelta(days=7))
    first_seen_at = None

    @factory.post_generation
    def allocation(self: Case, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and self.worker_id:
            Allocation.objects.create(
                case=self,
                worker_id=self.worker_id,
                team_id=self.team_id,
                started_at=self.allocated_at or self.referral_at,
            )


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    case = factory.SubFactory(CaseFactory)
    child = factory.LazyAttribute(lambda o: o.case.child)
    visited_at = factory.LazyAttribute(lambda o: o.case.referral_at + timedelta(days=2))
    kind = codes.VisitKind.HOME
    child_seen = True
    seen_alone = True
    recorded_at = factory.LazyFunction(timezone.now)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment with every part written; ``factors=["16A"]`` sets its factors."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    child = factory.LazyAttribute(lambda o: o.case.child)
    team = factory.LazyAttribute(lambda o: o.case.team)
    worker = factory.LazyAttribute(lambda o: o.case.worker)
    start_date = factory.LazyAttribute(lambda o: timezone.localdate(o.case.referral_at))
    due_at = factory.LazyAttribute(lambda o: o.case.referral_at + timedelta(days=63))
    worries = "Both parents drink heavily at weekends and the children are left alone."
    working_well = "Grandmother lives nearby and has the children most evenings."
    needs_to_happen = "Parents to engage with the alcohol service; grandmother's support agreed."
    scale = 4
    scale_given_by = "Social worker and grandmother"
    child_voice = '"I like it at Nan\'s because there is always tea."'
    analysis = "Neglect is episodic and linked to drinking; strengths in the wider family."
    outcome = codes.Outcome.CIN_PLAN

    @factory.post_generation
    def factors(self: Assessment, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            for code in extracted if extracted is not None else ["1B", "16A"]:
                AssessmentFactor.objects.create(assessment=self, code=code)


class CinPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CinPlan
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    child = factory.LazyAttribute(lambda o: o.case.child)
    team = factory.LazyAttribute(lambda o: o.case.team)
    worker = factory.LazyAttribute(lambda o: o.case.worker)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    needs_to_happen = "Weekly family support; parents attend the alcohol service."

    @factory.post_generation
    def review(self: CinPlan, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and self.end_date is None:
            due = extracted or (self.start_date + timedelta(days=90))
            CinPlanReview.objects.create(
                plan=self,
                due_date=due,
                due_at=datetime.combine(due, time(17, 0), tzinfo=local_tz()),
            )


def service_type(key: str = "family-support") -> ServiceType:
    """One of the seeded service types."""
    return ServiceType.objects.get(key=key)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    case = factory.SubFactory(CaseFactory)
    child = factory.LazyAttribute(lambda o: o.case.child)
    service_type = factory.LazyFunction(service_type)
    provider = "Haven Family Support"
    agreed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    recorded_at = factory.LazyFunction(timezone.now)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    case = factory.SubFactory(CaseFactory)
    closed_on = factory.LazyFunction(timezone.localdate)
    reason = codes.ClosureReason.NFA_AFTER_ASSESSMENT
    summary = "Assessment found no further action needed; school will keep an eye."
    proposed_at = factory.LazyFunction(timezone.now)
