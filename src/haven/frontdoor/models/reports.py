"""The twice-daily workflow report: a snapshot of every open contact at one moment, kept so
that any past report reads exactly as it did (rows copy their values; nothing is recomputed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class WorkflowReport(models.Model):
    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        ON_REQUEST = "on_request", "On request"

    as_of = models.DateTimeField(help_text="The moment the report describes.")
    generated_at = models.DateTimeField(auto_now_add=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_count = models.PositiveIntegerField(default=0)
    totals = models.JSONField(
        default=dict, help_text="Counts by status, channel and RAG, as shown on the report."
    )
    emailed_to = models.JSONField(default=list, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["-as_of"], name="frontdoor_report_as_of")]

    def __str__(self) -> str:
        return f"Workflow report {self.as_of:%d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("frontdoor:report", args=[self.pk])


class WorkflowReportRow(models.Model):
    """One open contact as it stood when the report was made."""

    report = models.ForeignKey(WorkflowReport, on_delete=models.CASCADE, related_name="rows")
    contact = models.ForeignKey(
        "frontdoor.Contact", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_reference = models.CharField(max_length=20)
    children = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=20)
    team = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField()
    age_working_hours = models.FloatField()
    status = models.CharField(max_length=30)
    owner = models.CharField(max_length=200, blank=True)
    due_at = models.DateTimeField()
    hours_to_deadline = models.FloatField(help_text="Negative when overdue.")
    rag = models.CharField(max_length=5)
    is_urgent = models.BooleanField(default=False)
    is_domestic_abuse = models.BooleanField(default=False)
    email_delay_minutes = models.FloatField(
        null=True, blank=True, help_text="From the email arriving to its contact being made."
    )

    class Meta:
        ordering = ["report", "due_at", "id"]

    def __str__(self) -> str:
        return f"{self.contact_reference} in {self.report}"
