import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from haven.audit.chain import GENESIS
from haven.audit.models import AppendOnlyError, Event
from haven.audit.services import event_record
from haven.core.actor import Actor

pytestmark = pytest.mark.django_db


def record_three(actor: Actor) -> list[Event]:
    return [
        event_record(
            actor=actor,
            action=Event.Action.VIEW,
            object_type="people.person",
            object_id=str(n),
            child_id=n,
            detail={"n": n},
        )
        for n in (1, 2, 3)
    ]


def test_each_event_links_to_the_one_before(make_user) -> None:
    actor = Actor(user=make_user(), ip_address="10.0.0.1", user_agent="pytest")
    first, second, third = record_three(actor)
    assert (
        first.prev_hash == GENESIS
        or first.prev_hash
        == Event.objects.filter(id__lt=first.id)
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
    )
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_audit_verify_says_intact(make_user, capsys) -> None:
    record_three(Actor(user=make_user()))
    call_command("audit_verify")
    assert capsys.readouterr().out.strip() == "intact"


def test_a_row_changed_in_the_database_is_named_by_audit_verify(make_user) -> None:
    _, second, _ = record_three(Actor(user=make_user()))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET object_id = %s WHERE id = %s", ["999", second.id])
    with pytest.raises(CommandError, match=rf"broken at event {second.id}: its content"):
        call_command("audit_verify")


def test_a_row_removed_in_the_database_breaks_the_next_link(make_user) -> None:
    _, second, third = record_three(Actor(user=make_user()))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [second.id])
    with pytest.raises(CommandError, match=rf"broken at event {third.id}: its link"):
        call_command("audit_verify")


def test_events_cannot_be_changed_or_deleted_through_the_orm(make_user) -> None:
    event = record_three(Actor(user=make_user()))[0]
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()


def test_an_event_records_who_where_and_why(make_user) -> None:
    user = make_user()
    event = event_record(
        actor=Actor(user=user, ip_address="192.0.2.7", user_agent="Firefox"),
        action=Event.Action.VIEW,
        target=user,
        child_id=42,
        reason="Checking before a visit",
        detail={"section": "chronology"},
    )
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.ip_address, event.user_agent) == (
        user,
        user.email,
        "192.0.2.7",
        "Firefox",
    )
    assert (event.object_type, event.object_id, event.child_id) == (
        "accounts.user",
        str(user.pk),
        42,
    )
    assert event.reason == "Checking before a visit"
    assert event.detail == {"section": "chronology"}
