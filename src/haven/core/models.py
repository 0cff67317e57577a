from django.db import models


class TimeStampedModel(models.Model):
    """Base for records people edit: when the row was made and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class Timescale(models.Model):
    """A timescale rule the council owns: how long something may take from its start event.

    Defaults (statutory and local) are seeded by a migration from ``core.timescales.DEFAULTS``;
    administrators change lengths in the configuration screens. Records store the ``due_at``
    worked out when they open, so a later change does not move deadlines already set.
    """

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", "working days"
        CALENDAR_DAYS = "calendar_days", "calendar days"
        HOURS = "hours", "hours"
        MONTHS = "months", "months"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    start_event = models.CharField(max_length=200, help_text="What starts the clock.")
    length = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_configuration", "Can manage the council's configuration")]

    def __str__(self) -> str:
        return f"{self.name}: {self.length} {self.get_unit_display()}"


class ScheduledRun(models.Model):
    """One run of a schedule at one slot: the unique pair makes each slot run once, however
    many schedulers are up (two web hosts, a restarted worker)."""

    schedule = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schedule", "slot"], name="core_scheduled_run_once")
        ]
        indexes = [models.Index(fields=["schedule", "-slot"])]

    def __str__(self) -> str:
        return f"{self.schedule} at {self.slot:%Y-%m-%d %H:%M}"
