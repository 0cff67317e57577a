"""What arrives by itself: emails from the front door's mailbox (or uploaded as .eml/.msg)
and police notifications imported from CSV. Each keeps its original, is idempotent by its own
key (Message-ID, police reference), and what cannot be read is kept for a person to fix."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from haven.frontdoor import codes


class InboundEmail(models.Model):
    """One email taken from the mailbox or uploaded. ``message_key`` (a hash of the Message-ID,
    or of the whole message when it has none) makes taking it twice impossible.

    ``arrived_at`` is when the mail server received it (IMAP INTERNALDATE), which starts the
    contact's clock; ``taken_at`` is when Haven stored it. A message that could not be read is
    quarantined with the reason, for someone to make a contact from by hand or dismiss."""

    class Source(models.TextChoices):
        MAILBOX = "mailbox", "Front door mailbox"
        UPLOAD = "upload", "Uploaded file"

    message_key = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=998, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    folder = models.CharField(max_length=200, blank=True)
    imap_uid = models.PositiveBigIntegerField(null=True, blank=True)
    arrived_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    to_addresses = models.TextField(blank=True)
    subject = models.CharField(max_length=998, blank=True)
    body_text = models.TextField(blank=True)
    raw = models.FileField(upload_to="frontdoor/email/%Y/%m/", max_length=300)
    raw_size = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.OneToOneField(
        "frontdoor.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="email",
    )
    quarantined_at = models.DateTimeField(null=True, blank=True)
    quarantine_reason = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-arrived_at", "-id"]
        indexes = [
            models.Index(
                fields=["quarantined_at", "resolved_at"], name="frontdoor_email_quarantine"
            )
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id or f"Email {self.pk}"

    @property
    def is_in_quarantine(self) -> bool:
        return self.quarantined_at is not None and self.resolved_at is None


class EmailAttachment(models.Model):
    """A file attached to an email. Kept when its type and size are allowed (the text of PDFs
    and Word documents is extracted and shown); otherwise refused, with the reason, and only
    the original message holds it."""

    email = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=300)
    content_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="frontdoor/attachments/%Y/%m/", max_length=300, blank=True)
    refused_reason = models.CharField(max_length=300, blank=True)
    extracted_text = models.TextField(blank=True)
    text_note = models.CharField(
        max_length=300, blank=True, help_text="Why no text was extracted, when none was."
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_kept(self) -> bool:
        return not self.refused_reason


class PoliceImport(models.Model):
    """One police notifications file imported, with its counts."""

    class Via(models.TextChoices):
        BROWSER = "browser", "Uploaded in the browser"
        COMMAND = "command", "Imported by command"
        CORRECTION = "correction", "Corrected row"

    filename = models.CharField(max_length=300)
    file = models.FileField(upload_to="frontdoor/police/%Y/%m/", max_length=300, blank=True)
    via = models.CharField(max_length=20, choices=Via.choices)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_already_imported = models.PositiveIntegerField(default=0)
    rows_bad = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%d %b %Y %H:%M})"


class PoliceNotification(models.Model):
    """One police notification (a domestic abuse incident, a missing child...), by its police
    reference: importing it again changes nothing. Each makes one contact (source 6)."""

    police_reference = models.CharField(max_length=100, unique=True)
    notification_type = models.CharField(
        max_length=20, choices=codes.PoliceNotificationType.choices
    )
    occurred_at = models.DateTimeField()
    children = models.TextField()
    adults = models.TextField(blank=True)
    address = models.CharField(max_length=500, blank=True)
    narrative = models.TextField()
    officer = models.CharField(max_length=200, blank=True)
    risk_level = models.CharField(max_length=50, blank=True)
    police_import = models.ForeignKey(
        PoliceImport, on_delete=models.PROTECT, related_name="notifications"
    )
    line_number = models.PositiveIntegerField()
    contact = models.OneToOneField(
        "frontdoor.Contact", on_delete=models.PROTECT, related_name="police_notification"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["notification_type", "-occurred_at"], name="frontdoor_police_type")
        ]

    def __str__(self) -> str:
        return self.police_reference

    @property
    def is_domestic_abuse(self) -> bool:
        return self.notification_type == "domestic_abuse"


class PoliceImportProblem(models.Model):
    """A row that could not be imported: its line, why, and the row as it was, kept for a
    person to correct and import (or dismiss) in the browser."""

    police_import = models.ForeignKey(
        PoliceImport, on_delete=models.CASCADE, related_name="problems"
    )
    line_number = models.PositiveIntegerField()
    reasons = models.JSONField(default=list)
    raw = models.JSONField(default=dict, help_text="The row's values by column.")
    raw_line = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(max_length=300, blank=True)
    notification = models.ForeignKey(
        PoliceNotification, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["police_import", "line_number"]
        indexes = [models.Index(fields=["resolved_at"], name="frontdoor_problem_open")]

    def __str__(self) -> str:
        return f"Line {self.line_number}: {'; '.join(self.reasons)}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
