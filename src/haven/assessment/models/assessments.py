"""Child and family assessments: strength-based, in the child's own words, authorised by a
manager.

- ``Assessment`` is the Standard Safeguarding Dataset's ``ssd_cin_assessments``:
  ``start_date`` (``cina_assessment_start_date``), ``child_seen``
  (``cina_assessment_child_seen``, worked out from the visits when it is submitted),
  ``authorised_at`` (``cina_assessment_auth_date``), ``outcome`` (one flag of
  ``cina_assessment_outcome_json``; ``cina_assessment_outcome_nfa`` when no further action),
  ``team`` and ``worker`` (``cina_assessment_team``/``_worker_id``). It is due at ``due_at``,
  45 working days (rule ``assessment``) from the referral for the case's first assessment, from
  its own start for a later one in the same case; stored when it starts.
- ``AssessmentFactor`` is ``ssd_assessment_factors`` as one row per CIN factor code (the SSD's
  ``cinf_assessment_factors_json`` list), so factors can be counted on both databases.
- ``AssessmentReview`` is each manager's decision: authorised, or returned with comments.

The assessment is written as a draft, saved as the worker types; its status follows from its
timestamps (UX.md 4): a draft, returned (``returned_at`` set since the last submission),
awaiting authorisation (``submitted_at``), authorised (``authorised_at``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from haven.assessment import codes


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    RETURNED = "returned", "Returned for changes"
    SUBMITTED = "submitted", "Awaiting authorisation"
    AUTHORISED = "authorised", "Authorised"


STATUS_COLOURS = {
    Status.DRAFT: "grey",
    Status.RETURNED: "orange",
    Status.SUBMITTED: "blue",
    Status.AUTHORISED: "green",
}


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def unfinished(self) -> AssessmentQuerySet:
        return self.filter(authorised_at__isnull=True)

    def awaiting_authorisation(self) -> AssessmentQuerySet:
        return self.filter(submitted_at__isnull=False, authorised_at__isnull=True)

    def in_progress(self) -> AssessmentQuerySet:
        """Being written or changed: not submitted, not authorised."""
        return self.filter(submitted_at__isnull=True, authorised_at__isnull=True)


class Assessment(models.Model):
    """A child and family assessment (single assessment) for one child in one case."""

    case = models.ForeignKey(
        "assessment.Case", on_delete=models.PROTECT, related_name="assessments"
    )
    child = models.ForeignKey(  # cina_person_id
        "people.Person", on_delete=models.PROTECT, related_name="assessments"
    )
    team = models.ForeignKey(  # cina_assessment_team
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(  # cina_assessment_worker_id
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The social worker writing the assessment.",
    )
    start_date = models.DateField()  # cina_assessment_start_date
    due_at = models.DateTimeField(help_text="45 working days from the referral (rule assessment).")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The child's last authorised assessment, shown beside this one.",
    )
    # The strength-based sections.
    worries = models.TextField("What are we worried about?", blank=True)
    working_well = models.TextField("What is working well?", blank=True)
    needs_to_happen = models.TextField("What needs to happen?", blank=True)
    scale = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    scale_given_by = models.CharField(max_length=300, blank=True)
    child_voice = models.TextField("The child's own words", blank=True)
    analysis = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=codes.Outcome.choices, blank=True)
    child_seen = models.BooleanField(null=True, blank=True)  # cina_assessment_child_seen
    # The life of the record.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True, help_text="The draft's last save.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    authorised_at = models.DateTimeField(null=True, blank=True)  # cina_assessment_auth_date
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(authorised_at__isnull=True),
                name="assessment_one_unfinished_per_case",
            ),
            models.CheckConstraint(
                condition=Q(authorised_at__isnull=True) | Q(submitted_at__isnull=False),
                name="assessment_authorised_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__lte=10),
                name="assessment_scale_0_to_10",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(authorised_at__isnull=True),
                name="assessment_unfinished_due",
            ),
            models.Index(fields=["child", "-start_date"], name="assessment_child"),
            models.Index(fields=["authorised_at"], name="assessment_authorised"),
        ]
        permissions = [
            ("write_assessment", "Can write child and family assessments"),
            ("authorise_assessment", "Can authorise or return child and family assessments"),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.child} from {self.start_date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:assessment", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"CFA-{self.pk:06d}" if self.pk else "New assessment"

    @property
    def status(self) -> Status:
        if self.authorised_at is not None:
            return Status.AUTHORISED
        if self.submitted_at is not None:
            return Status.SUBMITTED
        if self.returned_at is not None:
            return Status.RETURNED
        return Status.DRAFT

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_editable(self) -> bool:
        return self.submitted_at is None and self.authorised_at is None

    @property
    def within_timescale(self) -> bool | None:
        """Authorised by its due moment (None while not authorised)."""
        if self.authorised_at is None:
            return None
        return self.authorised_at <= self.due_at


class AssessmentFactor(models.Model):
    """One factor identified at the end of an assessment (a CIN census code)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=3, choices=codes.Factor.choices)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="assessment_factor_once")
        ]
        indexes = [models.Index(fields=["code"], name="assessment_factor_code")]

    def __str__(self) -> str:
        return self.get_code_display()


class AssessmentReview(models.Model):
    """A manager's decision on a submitted assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=12, choices=codes.ReviewDecision.choices)
    comments = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(comments=""),
                name="assessment_return_has_comments",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.decided_at:%d %b %Y}"
