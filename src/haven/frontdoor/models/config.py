"""The council's own front-door settings: levels of need, concern categories and the pattern
that raises the cumulative-harm alert. Seeded with defaults by a data migration and edited by
administrators in the configuration screens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class LevelOfNeed(models.Model):
    """One of the council's levels of need (its threshold document), lowest first."""

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, help_text="Shown as a hint beside the choice.")
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "levels of need"

    def __str__(self) -> str:
        return self.name


class ConcernCategory(models.Model):
    """A kind of concern a contact can raise (neglect, domestic abuse...). ``is_neglect`` feeds
    the cumulative-harm pattern; ``marks_domestic_abuse`` flags the contact on every list."""

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    is_neglect = models.BooleanField(
        default=False, help_text="Counts towards the repeated-neglect part of the pattern."
    )
    marks_domestic_abuse = models.BooleanField(
        default=False, help_text="Marks the contact as a domestic abuse contact."
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "concern categories"

    def __str__(self) -> str:
        return self.name


class CumulativeHarmPattern(models.Model):
    """When a child's history (and their brothers' and sisters') should stop a decision of no
    further action, advice or early help until the decision maker says how it was weighed.

    One row, seeded by a migration; administrators change the numbers."""

    history_months = models.PositiveSmallIntegerField(
        default=24, help_text="How far back the decision page shows contacts."
    )
    contact_window_months = models.PositiveSmallIntegerField(
        default=12, help_text="The period in which repeated contacts are counted."
    )
    contact_threshold = models.PositiveSmallIntegerField(
        default=3,
        help_text="This many contacts in the period (this one included) raise the alert.",
    )
    neglect_window_months = models.PositiveSmallIntegerField(
        default=24, help_text="The period in which contacts raising neglect are counted."
    )
    neglect_threshold = models.PositiveSmallIntegerField(
        default=2,
        help_text="This many contacts raising neglect (this one included) raise the alert.",
    )
    include_siblings = models.BooleanField(
        default=True, help_text="Count brothers' and sisters' contacts as well as the child's."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cumulative-harm pattern"
        verbose_name_plural = "cumulative-harm pattern"

    def __str__(self) -> str:
        return (
            f"{self.contact_threshold} or more contacts in {self.contact_window_months} months, "
            f"or neglect in {self.neglect_threshold} or more contacts"
        )

    def clean(self) -> None:
        errors = {}
        if self.contact_threshold < 2:
            errors["contact_threshold"] = "Enter 2 or more"
        if self.neglect_threshold < 1:
            errors["neglect_threshold"] = "Enter 1 or more"
        if self.contact_window_months < 1:
            errors["contact_window_months"] = "Enter 1 month or more"
        if self.history_months < max(self.contact_window_months, self.neglect_window_months):
            errors["history_months"] = (
                "The history shown must cover the periods the pattern counts in"
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def current(cls) -> CumulativeHarmPattern:
        """The council's pattern, or the defaults when none is stored."""
        return cls.objects.order_by("pk").first() or cls()
