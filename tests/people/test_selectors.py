"""``visible_q``: the rule of ``persons_visible`` as a condition on another model's rows."""

from __future__ import annotations

import pytest

from haven.accounts.roles import Role
from haven.missing.models import MissingEpisode
from haven.people.models import ChronologyEntry
from haven.people.selectors import persons_visible, visible_q
from tests.factories.missing import MissingEpisodeFactory
from tests.factories.people import ChronologyEntryFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_staff_see_rows_of_current_records_only(make_user) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    kept, merged = PersonFactory(), PersonFactory()
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])
    on_kept = ChronologyEntryFactory(child=kept)
    ChronologyEntryFactory(child=merged)
    found = ChronologyEntry.objects.filter(visible_q(worker, "child"))
    assert list(found) == [on_kept]
    assert set(persons_visible(worker)) == {kept}


def test_a_row_with_no_person_is_not_a_visible_persons_row(make_user) -> None:
    worker = make_user(Role.MISSING_CHILDREN_WORKER)
    linked = MissingEpisodeFactory()
    MissingEpisodeFactory(child=None, given_name="Nina Named")
    assert list(MissingEpisode.objects.filter(visible_q(worker, "child"))) == [linked]


def test_those_who_may_not_see_people_see_no_rows(make_user) -> None:
    administrator = make_user(Role.ADMINISTRATOR)
    ChronologyEntryFactory(child=PersonFactory())
    assert not ChronologyEntry.objects.filter(visible_q(administrator, "child")).exists()
