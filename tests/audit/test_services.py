import pytest

from haven.audit.models import Event
from haven.audit.services import children_listed
from haven.core.actor import Actor

pytestmark = pytest.mark.django_db


def test_a_list_is_one_event_naming_each_child_once(make_user) -> None:
    actor = Actor(user=make_user(), ip_address="10.0.0.1", user_agent="pytest")
    event = children_listed(
        actor=actor,
        object_type="assessment.case",
        child_ids=[7, None, 3, 7],
        detail={"page": "assessment:team"},
    )
    assert event is not None
    assert event.action == Event.Action.VIEW
    assert event.object_type == "assessment.case"
    assert event.detail == {"page": "assessment:team", "children": [3, 7]}


def test_an_empty_list_writes_nothing(make_user) -> None:
    actor = Actor(user=make_user(), ip_address="10.0.0.1", user_agent="pytest")
    before = Event.objects.count()
    assert children_listed(actor=actor, object_type="x.y", child_ids=[None]) is None
    assert Event.objects.count() == before
