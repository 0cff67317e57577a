import csv
import io

import pytest
from django.urls import reverse

from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from tests.conftest import actor_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.QUALITY_AUDITOR, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.SOCIAL_WORKER, 403),
        (Role.REFERRAL_AND_ADVICE_OFFICER, 403),
        (Role.TEAM_MANAGER, 403),
        (Role.PARTNER, 403),
        (Role.SENIOR_LEADER, 403),
        (Role.PERFORMANCE_ANALYST, 403),
    ],
)
def test_only_auditors_and_administrators_read_the_audit_log(
    client, make_user, role, status
) -> None:
    user = make_user(role)
    client.force_login(user)
    for url in (reverse("audit:events"), reverse("audit:export")):
        response = client.get(url)
        assert response.status_code == status
    if status == 403:
        denied = Event.objects.filter(action=Event.Action.PERMISSION_DENIED, actor=user)
        assert set(denied.values_list("object_id", flat=True)) == {
            reverse("audit:events"),
            reverse("audit:export"),
        }


def test_who_looked_at_a_record(client, auditor, make_user) -> None:
    worker = make_user(Role.SOCIAL_WORKER, full_name="Wendy Worker")
    other = make_user(Role.SOCIAL_WORKER, full_name="Oscar Other")
    event_record(
        actor=actor_for(worker),
        action=Event.Action.VIEW,
        object_type="people.person",
        object_id="17",
        child_id=17,
    )
    event_record(
        actor=actor_for(other),
        action=Event.Action.VIEW,
        object_type="people.person",
        object_id="18",
        child_id=18,
    )
    client.force_login(auditor)
    response = client.get(
        reverse("audit:events"), {"object_type": "people.person", "object_id": "17"}
    )
    assert [event.actor for event in response.context["page"]] == [worker]
    assert "Wendy Worker" in response.content.decode()


def test_what_a_person_looked_at_in_a_date_range(client, auditor, make_user) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    event_record(
        actor=actor_for(worker),
        action=Event.Action.VIEW,
        object_type="people.person",
        object_id="5",
        child_id=5,
    )
    client.force_login(auditor)
    response = client.get(
        reverse("audit:events"),
        {
            "actor": worker.pk,
            "date_from_day": "1",
            "date_from_month": "1",
            "date_from_year": "2020",
        },
    )
    assert response.context["page"].paginator.count == 1
    bad = client.get(
        reverse("audit:events"),
        {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"},
    )
    assert bad.status_code == 200
    assert "From must be a real date" in bad.content.decode()


def test_export_is_csv_of_the_filtered_events_and_is_itself_audited(
    client, auditor, make_user
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    event_record(
        actor=actor_for(worker),
        action=Event.Action.VIEW,
        object_type="people.person",
        object_id="5",
        child_id=5,
        reason='=HYPERLINK("http://x")',
    )
    client.force_login(auditor)
    response = client.get(reverse("audit:export"), {"child_id": "5"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "occurred_at", "actor", "action"]
    assert len(rows) == 2
    assert rows[1][2] == worker.email
    assert not rows[1][9].startswith("="), "formula-like values are neutralised for spreadsheets"
    assert Event.objects.filter(action=Event.Action.EXPORT, actor=auditor).exists()


def test_system_actions_are_labelled(system_actor: Actor) -> None:
    event = event_record(actor=system_actor, action=Event.Action.CREATE, object_type="x")
    assert event.actor is None
    assert event.actor_label == "haven:tests"


def test_searching_the_audit_log_is_itself_recorded(client, auditor, make_user) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    client.force_login(auditor)
    response = client.get(reverse("audit:events"), {"actor": worker.pk, "page": "1"})
    assert response.context["page"].paginator.count == 0  # not its own record
    search = Event.objects.get(action=Event.Action.SEARCH, actor=auditor)
    assert search.object_type == "audit.event"
    assert search.detail == {"filters": {"actor": str(worker.pk)}, "page": 1}
    client.get(reverse("audit:events"))
    assert Event.objects.filter(action=Event.Action.SEARCH, actor=auditor).count() == 2


def test_who_looked_at_a_child_by_their_la_id(client, auditor, social_worker) -> None:
    from haven.people.services import person_create

    child = person_create(actor=actor_for(social_worker), first_name="Ada", last_name="Obi")
    other = person_create(actor=actor_for(social_worker), first_name="Ben", last_name="Obi")
    for person in (child, other):
        event_record(
            actor=actor_for(social_worker),
            action=Event.Action.VIEW,
            target=person,
            child_id=person.pk,
        )
    client.force_login(auditor)
    for given in (child.la_id, child.la_id.lower(), str(child.pk)):
        response = client.get(reverse("audit:events"), {"child_id": given})
        page = response.context["page"]
        assert page.paginator.count >= 2, given  # created and viewed
        assert {event.child_id for event in page} == {child.pk}, given
    search = Event.objects.filter(action=Event.Action.SEARCH, actor=auditor).latest("id")
    assert search.child_id == child.pk
    unknown = client.get(reverse("audit:events"), {"child_id": "ZZ-NOPE"})
    assert "No child has that LA ID" in unknown.content.decode()
