"""Sections other apps add to the child's page (a child protection plan, the case and its
assessments, exploitation risk over time, missing episodes).

An app registers, from its ``AppConfig.ready()``::

    from haven.people import sections

    sections.register("cp-plan", "Child protection", "protection/panels/child_section.html",
                      context=plan_section, order=20)

``context(request, person)`` returns the template's context (available as ``section``), or
None when there is nothing to show this user for this child, in which case the section is
left out. Sections appear in ``order`` between the child's details and the chronology. Each
must fetch through its own app's selectors (scoped to ``request.user``) with a fixed number of
queries, and its heading is the ``title`` given here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from haven.core.http import AuthenticatedRequest
    from haven.people.models import Person

SectionContext = Callable[["AuthenticatedRequest", "Person"], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    context: SectionContext
    order: int = 100


@dataclass(frozen=True)
class Shown:
    section: Section
    context: dict[str, Any]


_sections: dict[str, Section] = {}


def register(
    key: str, title: str, template: str, context: SectionContext, *, order: int = 100
) -> None:
    _sections[key] = Section(key, title, template, context, order)


def sections_for(request: AuthenticatedRequest, person: Person) -> list[Shown]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, person)
        if context is not None:
            shown.append(Shown(section, context))
    return shown
