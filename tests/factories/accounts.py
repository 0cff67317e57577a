from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from haven.accounts.models import Agency, Team, User
from haven.accounts.roles import STAFF_ROLES, Role

PASSWORD = "correct horse battery staple"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Team.Kind.FRONT_DOOR


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``role=Role.SOCIAL_WORKER`` puts them in that role's group."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Social worker"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self: User, create: bool, extracted: Role | None, **kwargs: Any) -> None:
        if extracted is not None:
            self.groups.add(Group.objects.get(name=Role(extracted).label))
            self.is_staff = Role(extracted) in STAFF_ROLES
        self.save()
