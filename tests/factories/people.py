"""Factories for people. They write rows directly (with search keys), for arranging tests;
tests of behaviour call the services."""

from __future__ import annotations

import random
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import factory

from haven.people import codes, identifiers
from haven.people.models import (
    Address,
    ChronologyEntry,
    Person,
    PersonName,
    Postcode,
    Relationship,
    School,
    Ward,
)
from haven.people.services import search_keys_rebuild

_rng = random.Random(20240403)


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E0599{n:04d}")
    name = factory.Sequence(lambda n: f"Ward {n}")


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = factory.Sequence(lambda n: f"HV{n % 9 + 1} {n % 10}AB")
    ward = factory.SubFactory(WardFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("urn",)

    urn = factory.Sequence(lambda n: f"{150000 + n}")
    name = factory.Sequence(lambda n: f"Haven Primary School {n}")
    phase = codes.SchoolPhase.PRIMARY


class PersonFactory(factory.django.DjangoModelFactory):
    """A child by default; ``PersonFactory(kind="adult", ...)`` for an adult."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    la_id = factory.Sequence(lambda n: f"HV{10000000 + n}")
    kind = codes.PersonKind.CHILD
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker(
        "date_between", start_date=date(2008, 1, 1), end_date=date(2023, 12, 31)
    )
    sex = codes.Sex.UNKNOWN
    ethnicity = codes.Ethnicity.WBRI

    @factory.post_generation
    def keys(self: Person, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            search_keys_rebuild(person=self)


def valid_nhs_number() -> str:
    return identifiers.make_nhs_number(_rng)


class PersonNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonName

    person = factory.SubFactory(PersonFactory)
    kind = codes.NameKind.PREVIOUS
    first_name = ""
    last_name = factory.Faker("last_name", locale="en_GB")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    person = factory.SubFactory(PersonFactory)
    line_1 = factory.Sequence(lambda n: f"{n + 1} Harbour Road")
    town = "Haven"
    postcode = "B12 9QA"
    moved_in = date(2020, 1, 1)


class RelationshipFactory(factory.django.DjangoModelFactory):
    """One direction only; use ``relationship_add`` for both ways."""

    class Meta:
        model = Relationship

    person = factory.SubFactory(PersonFactory)
    relative = factory.SubFactory(PersonFactory, kind=codes.PersonKind.ADULT)
    kind = codes.RelationshipKind.PARENT


class ChronologyEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChronologyEntry

    child = factory.SubFactory(PersonFactory)
    occurred_at = factory.Faker(
        "date_time_between", start_date="-2y", end_date="now", tzinfo=ZoneInfo("Europe/London")
    )
    kind = "person_created"
    summary = factory.Sequence(lambda n: f"Something happened ({n})")
