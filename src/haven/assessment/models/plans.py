"""Child in need plans and their reviews, and the services a child and family receive.

- ``CinPlan`` is the Standard Safeguarding Dataset's ``ssd_cin_plans``: ``start_date`` and
  ``end_date`` (``cinp_cin_plan_start_date``/``_end_date``), ``team`` and ``worker``
  (``cinp_cin_plan_team``/``_worker_id``). One current plan per case.
- ``CinPlanReview``: each review, due when the plan (or the last review) set it (rule
  ``cin_plan_review``); a current plan always has one review not yet held.
- ``ServiceType`` is council configuration (seeded, changed in the configuration screens).
- ``Service``: what is provided, by whom, when it was agreed and when it started, so that
  "services start without delay" can be measured from the assessment's start: the case's
  latest assessment started on or before the service was agreed, or the agreement when there
  is none (``selectors.with_wait_start``; the team page's waiting list and median).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from haven.assessment import codes


class CinPlan(models.Model):
    """A child in need plan, from its start to its end."""

    case = models.ForeignKey("assessment.Case", on_delete=models.PROTECT, related_name="plans")
    child = models.ForeignKey(  # cinp_person_id
        "people.Person", on_delete=models.PROTECT, related_name="cin_plans"
    )
    assessment = models.ForeignKey(
        "assessment.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The assessment that recommended the plan.",
    )
    start_date = models.DateField()  # cinp_cin_plan_start_date
    end_date = models.DateField(null=True, blank=True)  # cinp_cin_plan_end_date
    end_reason = models.TextField(blank=True)
    needs_to_happen = models.TextField(help_text="What needs to happen, and who will do it.")
    team = models.ForeignKey(  # cinp_cin_plan_team
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(  # cinp_cin_plan_worker_id
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(end_date__isnull=True),
                name="assessment_one_current_cin_plan",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assessment_cin_plan_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-start_date"], name="assessment_plan_child"),
            models.Index(fields=["start_date"], name="assessment_plan_start"),
        ]
        permissions = [("manage_cin_plan", "Can start, review and end child in need plans")]

    def __str__(self) -> str:
        return f"Child in need plan for {self.child} from {self.start_date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:plan", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class CinPlanReview(models.Model):
    """A review of a child in need plan: due when set, held when it was."""

    plan = models.ForeignKey(CinPlan, on_delete=models.CASCADE, related_name="reviews")
    due_date = models.DateField()
    due_at = models.DateTimeField(help_text="The due date as a moment, for queues.")
    held_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=codes.PlanReviewOutcome.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(held_on__isnull=True),
                name="assessment_one_plan_review_due",
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | ~Q(outcome=""),
                name="assessment_plan_review_held_has_outcome",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(held_on__isnull=True),
                name="assessment_plan_review_due",
            )
        ]

    def __str__(self) -> str:
        return f"Review due {self.due_date:%d %b %Y}"

    @property
    def within_timescale(self) -> bool | None:
        if self.held_on is None:
            return None
        return self.held_on <= self.due_date


class ServiceType(models.Model):
    """A kind of service the council provides or commissions (configuration)."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service provided to the child or family: agreed, started, ended."""

    case = models.ForeignKey("assessment.Case", on_delete=models.PROTECT, related_name="services")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="services")
    plan = models.ForeignKey(
        CinPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    provider = models.CharField(max_length=300)
    agreed_on = models.DateField(help_text="When the service was agreed with the family.")
    start_date = models.DateField(null=True, blank=True, help_text="Empty while waiting.")
    end_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-agreed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("agreed_on")),
                name="assessment_service_starts_after_agreed",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | (Q(start_date__isnull=False) & Q(end_date__gte=F("start_date"))),
                name="assessment_service_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-agreed_on"], name="assessment_service_case"),
            models.Index(fields=["start_date"], name="assessment_service_start"),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} from {self.provider}"

    @property
    def is_waiting(self) -> bool:
        return self.start_date is None

    @property
    def is_current(self) -> bool:
        return self.start_date is not None and self.end_date is None
