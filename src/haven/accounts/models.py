from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import (  # type: ignore[attr-defined]  # Django's own helpers
    AbstractBaseUser,
    PermissionsMixin,
    _auser_has_module_perms,
    _auser_has_perm,
    _user_has_module_perms,
    _user_has_perm,
)
from django.db import models
from django.utils import timezone

from haven.accounts.roles import Role


class Agency(models.Model):
    """A partner organisation whose staff refer children and share strategy discussions."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        permissions = [("manage_agencies", "Can manage partner agencies")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of staff, with a type that says what work reaches it and one manager."""

    class Kind(models.TextChoices):
        FRONT_DOOR = "front_door", "Front door"
        ASSESSMENT = "assessment", "Assessment"
        EXPLOITATION = "exploitation", "Exploitation"
        MISSING = "missing", "Missing children"
        OUT_OF_HOURS = "out_of_hours", "Out of hours"
        QUALITY = "quality", "Quality"
        PERFORMANCE = "performance", "Performance"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    manager = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_teams", "Can manage teams")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff or a partner: signs in by email; roles are groups."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="For partner users: the agency they work for.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can open the configuration screens.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        permissions = [("manage_users", "Can manage users and their roles")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> list[Role]:
        """The user's roles, in the order Role lists them."""
        names = {group.name for group in self.groups.all()}
        return [role for role in Role if role.label in names]

    # Permissions come from roles alone (ADR 0011): Django's PermissionsMixin lets an active
    # superuser through every check, which would open every child's record to an account made
    # with ``createsuperuser``. These ask the backends whatever the flag says.
    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and _user_has_perm(self, perm, obj)

    async def ahas_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and await _auser_has_perm(self, perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and _user_has_module_perms(self, app_label)

    async def ahas_module_perms(self, app_label: str) -> bool:
        return self.is_active and await _auser_has_module_perms(self, app_label)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def primary_role(self) -> Role | None:
        roles = self.roles
        return roles[0] if roles else None
