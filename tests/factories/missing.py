"""Factories for missing episodes and return home interviews. They write rows directly, for
arranging tests (the management information, queues, query counts); tests of behaviour call
the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory
from django.utils import timezone

from haven.missing.models import MissingEpisode, ReturnInterview
from tests.factories.people import PersonFactory


class MissingEpisodeFactory(factory.django.DjangoModelFactory):
    """A missing episode recorded in Haven, with its interview row (``due_at`` 72 hours after
    the return, when there is one). ``returned_at=None`` for a child missing now."""

    class Meta:
        model = MissingEpisode
        skip_postgeneration_save = True

    child = factory.SubFactory(PersonFactory)
    went_missing_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    returned_at = factory.LazyAttribute(lambda o: o.went_missing_at + timedelta(hours=20))
    source = MissingEpisode.Source.RECORDED
    recorded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def interview(self: MissingEpisode, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        due = self.returned_at + timedelta(hours=72) if self.returned_at else None
        ReturnInterview.objects.create(episode=self, due_at=due, **kwargs)


def interview_stage(
    episode: MissingEpisode,
    *,
    offered_after_hours: float | None = None,
    accepted: bool | None = None,
    done_after_hours: float | None = None,
    on_file: bool = False,
    by: Any = None,
) -> ReturnInterview:
    """Move an episode's interview on: offered and done so many hours after the return,
    placed on file. Written directly, without the services' checks."""
    interview = episode.interview
    returned: datetime = episode.returned_at  # type: ignore[assignment]
    if offered_after_hours is not None:
        interview.offered_at = returned + timedelta(hours=offered_after_hours)
        interview.offered_by = by
        interview.offered_by_name = "" if by else "Alex Worker, Haven Runaways Service"
        interview.accepted = accepted
        if accepted is False:
            interview.declined_reason = "Did not want to talk"
    if done_after_hours is not None:
        interview.offered_at = interview.offered_at or returned + timedelta(hours=1)
        interview.accepted = True
        interview.done_at = returned + timedelta(hours=done_after_hours)
        interview.done_by = by
        interview.done_by_name = "" if by else "Alex Worker, Haven Runaways Service"
        interview.push_factors = "Arguments at home"
        interview.pull_factors = "Friends in town"
        interview.where_and_with_whom = "At a friend's flat"
        interview.exploitation_concerns = False
    if on_file:
        interview.placed_on_file_at = (interview.done_at or timezone.now()) + timedelta(hours=2)
        interview.placed_on_file_by = by
    interview.save()
    return interview
