"""The parts of a child and family assessment: one task each on the task list, one question
page each, the same list on "check your answers" and the manager's page.

Each part names the assessment fields it holds and says when it is complete; the rule for the
CIN factor codes (code 21 "no factors identified" stands only on its own) lives here too, used
by the form, the service and the API alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from haven.assessment import codes

if TYPE_CHECKING:
    from haven.assessment.models import Assessment

TEXT_FIELDS = (
    "worries",
    "working_well",
    "needs_to_happen",
    "scale_given_by",
    "child_voice",
    "analysis",
)
DRAFT_FIELDS = (*TEXT_FIELDS, "scale", "outcome", "factors")


class Progress(StrEnum):
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    fields: tuple[str, ...]
    hint: str
    missing: str  # the message when it is not complete at submission

    def values(self, assessment: Assessment, factors: list[str]) -> dict[str, Any]:
        return {
            name: (factors if name == "factors" else getattr(assessment, name))
            for name in self.fields
        }

    def progress(self, assessment: Assessment, factors: list[str]) -> Progress:
        filled = [_filled(value) for value in self.values(assessment, factors).values()]
        if all(filled) and not (self.key == "factors" and factor_problem(factors)):
            return Progress.COMPLETED
        return Progress.IN_PROGRESS if any(filled) else Progress.NOT_STARTED


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | tuple):
        return bool(value if not isinstance(value, str) else value.strip())
    return True


PARTS: tuple[Part, ...] = (
    Part(
        "worries",
        "What are we worried about?",
        ("worries",),
        "The harm that has happened, the danger of future harm, and what makes things harder. "
        "Say who is worried and why, in plain words the family can read.",
        "Say what we are worried about",
    ),
    Part(
        "working-well",
        "What is working well?",
        ("working_well",),
        "The strengths and safety already there: the people, routines and times when things "
        "go well for the child.",
        "Say what is working well",
    ),
    Part(
        "needs",
        "What needs to happen?",
        ("needs_to_happen",),
        "What needs to change for the child to be safe and well, who will do it and by when.",
        "Say what needs to happen",
    ),
    Part(
        "scale",
        "Scaling",
        ("scale", "scale_given_by"),
        "On a scale of 0 to 10, where 10 means the child is safe and well enough for us to "
        "step back, and 0 means the child is not safe at home.",
        "Give the scaling score and who gave it",
    ),
    Part(
        "child",
        "The child's own words",
        ("child_voice",),
        "What the child said, drew or showed you, in their own words. For a baby or a child "
        "who cannot say, what you saw of their day and how they responded.",
        "Record the child's own words",
    ),
    Part(
        "analysis",
        "Analysis",
        ("analysis",),
        "What the information means for the child: the risks and strengths weighed together, "
        "what is likely to happen if nothing changes, and why you reach your conclusion.",
        "Write the analysis",
    ),
    Part(
        "factors",
        "Assessment factors",
        ("factors",),
        "The factors identified at the end of the assessment (children in need census codes). "
        "Choose every factor that applies, or 21 on its own if there are none.",
        "Choose the assessment factors",
    ),
    Part(
        "outcome",
        "Outcome",
        ("outcome",),
        "What happens next for the child.",
        "Choose the outcome of the assessment",
    ),
)
PARTS_BY_KEY = {part.key: part for part in PARTS}


def part_after(key: str) -> Part | None:
    keys = [part.key for part in PARTS]
    index = keys.index(key)
    return PARTS[index + 1] if index + 1 < len(PARTS) else None


def factor_problem(values: Iterable[str]) -> str | None:
    """Why these CIN factor codes cannot stand together, or None when they can."""
    chosen = list(values)
    unknown = [code for code in chosen if code not in codes.Factor.values]
    if unknown:
        return f"{', '.join(unknown)} is not a children in need census factor code"
    if codes.NO_FACTORS in chosen and len(chosen) > 1:
        return (
            "Factor 21 (no factors identified) cannot be chosen with other factors: untick 21, "
            "or untick the other factors"
        )
    return None


def missing_parts(assessment: Assessment, factors: list[str]) -> list[Part]:
    """The parts not complete: what stops the assessment being submitted."""
    return [part for part in PARTS if part.progress(assessment, factors) != Progress.COMPLETED]
