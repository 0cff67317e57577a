"""What the two reference-data import commands share: reading, reporting, keeping rejects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haven.people.imports import ReadResult, write_rejected


def report(
    command: BaseCommand, path: Path, result: ReadResult[Any], counts: dict[str, int]
) -> None:
    summary = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in counts.items())
    command.stdout.write(f"{path.name}: {summary}; {result.skipped:,} outside the filter.")
    if result.rejected:
        rejects = path.with_name(f"{path.stem}.rejected.csv")
        write_rejected(rejects, result.rejected)
        first = result.rejected[0]
        command.stderr.write(
            f"{len(result.rejected):,} rows could not be loaded (the first, line {first.line}: "
            f"{first.reason}). They are in {rejects}, each with its reason: fix them there and "
            "load that file again."
        )


def existing(path_name: str) -> Path:
    path = Path(path_name)
    if not path.is_file():
        raise CommandError(f"No file at {path}")
    return path
