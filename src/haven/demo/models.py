"""What the simulator has made: one row per generator and year, and the near-duplicate
people it planted (the answers the matching benchmarks are marked against)."""

from __future__ import annotations

from django.db import models


class SimulationRun(models.Model):
    """A generator's work for one reporting year. A second run finds it and skips that year,
    so the demo starts in seconds the second time and ``--years`` can be raised to top up."""

    generator = models.CharField(max_length=50)
    period = models.CharField(max_length=20, help_text="The reporting year, like 2025-26.")
    profile = models.CharField(max_length=20)
    seed = models.IntegerField()
    created = models.JSONField(default=dict, help_text="Rows made, by model.")
    seconds = models.FloatField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["generator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["generator", "period"], name="demo_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.generator} {self.period} ({self.profile}, seed {self.seed})"


class PlantedDuplicate(models.Model):
    """A second record the simulator made for someone who already had one, and how it was
    changed (typo, nickname, swapped date parts...).

    Plain ids rather than foreign keys: this is the answer sheet, and a merge (which moves
    every link to a person) must not rewrite it."""

    original_id = models.BigIntegerField(db_index=True)
    duplicate_id = models.BigIntegerField()
    changes = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["duplicate_id"], name="demo_planted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} duplicates {self.original_id} ({self.changes})"
