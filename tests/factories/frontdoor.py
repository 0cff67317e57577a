"""Factories for the front door. They write rows directly, for arranging tests; tests of
behaviour call the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from haven.frontdoor import codes
from haven.frontdoor.models import (
    ConcernCategory,
    Contact,
    ContactDecision,
    ContactPerson,
    Episode,
    InformationRequest,
    LevelOfNeed,
)
from tests.factories.accounts import TeamFactory, UserFactory
from tests.factories.people import PersonFactory


def category(key: str) -> ConcernCategory:
    """One of the seeded concern categories, by key ("neglect", "domestic-abuse"...)."""
    return ConcernCategory.objects.get(key=key)


def level(key: str = "additional-needs") -> LevelOfNeed:
    return LevelOfNeed.objects.get(key=key)


class ContactFactory(factory.django.DjangoModelFactory):
    """A complete contact awaiting a decision. ``children=[...]`` puts people on it;
    ``categories=["neglect"]`` its concern categories."""

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    channel = codes.Channel.PHONE
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    due_at = factory.LazyAttribute(lambda o: o.received_at + timedelta(days=1))
    team = factory.SubFactory(TeamFactory, name="Front door")
    source = codes.ReferralSource.SCHOOLS
    referrer_name = "Dana Teacher"
    referrer_organisation = "Harbour Primary School"
    concern_summary = "Arrives hungry most days and in the same clothes."
    immediate_risk = False
    consent = codes.Consent.GIVEN
    completed_at = factory.LazyAttribute(lambda o: o.received_at + timedelta(minutes=20))

    @factory.post_generation
    def children(self: Contact, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for child in extracted:
                ContactPerson.objects.create(
                    contact=self, person=child, role=codes.PersonRole.CHILD
                )

    @factory.post_generation
    def categories(self: Contact, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.concern_categories.set([category(key) for key in extracted])


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    contact = factory.SubFactory(ContactFactory)
    person = factory.SubFactory(PersonFactory)
    role = codes.PersonRole.CHILD


class InformationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationRequest

    contact = factory.SubFactory(ContactFactory)
    agency_kind = codes.AgencyKind.SCHOOL
    agency_name = "Harbour Primary School"
    question = "Attendance this term?"
    requested_at = factory.LazyFunction(timezone.now)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A current decision on a contact (the contact is marked decided)."""

    class Meta:
        model = ContactDecision
        skip_postgeneration_save = True

    contact = factory.SubFactory(ContactFactory)
    level_of_need = factory.LazyFunction(level)
    outcome = codes.Outcome.INFORMATION_ADVICE
    rationale = "Advice given to the school about support available."
    decided_by = factory.SubFactory(UserFactory)
    decided_at = factory.LazyAttribute(lambda o: o.contact.received_at + timedelta(hours=3))

    @factory.post_generation
    def mark(self: ContactDecision, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            Contact.objects.filter(pk=self.contact_id).update(decided_at=self.decided_at)


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    child = factory.SubFactory(PersonFactory)
    referral_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    referral_source = codes.ReferralSource.POLICE
    primary_need = codes.PrimaryNeed.ABUSE_OR_NEGLECT
    opened_at = factory.LazyFunction(timezone.now)
