"""Every front door page that shows a child's details writes an audit event naming the
children (one per child on a contact page; one naming them all on a list)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from haven.audit.models import Event
from haven.core.actor import Actor
from haven.frontdoor import services
from haven.frontdoor.models import InboundEmail, PoliceImportProblem
from tests.factories.frontdoor import ContactFactory, DecisionFactory
from tests.frontdoor.test_police import GOOD_AND_BAD

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
SYSTEM = Actor.system("tests")


def _views(page: str) -> list[Event]:
    return [
        e
        for e in Event.objects.filter(action=Event.Action.VIEW)
        if (e.detail or {}).get("page") == page
    ]


def test_the_oversight_page_is_audited_for_each_child(client, team_manager, siblings, front_door):
    contact = ContactFactory(team=front_door, children=list(siblings))
    DecisionFactory(contact=contact)
    client.force_login(team_manager)
    assert client.get(reverse("frontdoor:oversight", args=[contact.pk])).status_code == 200
    assert {e.child_id for e in _views("oversight")} == {siblings[0].pk, siblings[1].pk}


def test_the_new_person_page_is_audited(client, rao, siblings, front_door):
    contact = ContactFactory(team=front_door, completed_at=None, children=[siblings[0]])
    client.force_login(rao)
    assert client.get(reverse("frontdoor:person-new", args=[contact.pk])).status_code == 200
    assert [e.child_id for e in _views("person-new")] == [siblings[0].pk]


def test_police_pages_showing_named_children_are_audited(client, rao):
    record = services.police_import(actor=SYSTEM, filename="a.csv", data=GOOD_AND_BAD.encode())
    problem = PoliceImportProblem.objects.get()
    client.force_login(rao)
    client.get(reverse("frontdoor:police-import", args=[record.pk]))
    (event,) = _views("police-import")
    assert len(event.detail["contacts"]) == record.rows_created
    client.get(reverse("frontdoor:police-problem", args=[problem.pk]))
    (event,) = _views("police-problem")
    assert (event.object_type, event.object_id) == (
        "frontdoor.policeimportproblem",
        str(problem.pk),
    )


def test_the_quarantine_list_is_audited(client, rao):
    email = InboundEmail.objects.create(
        message_key="broken-1",
        message_id="<broken@example.test>",
        source=InboundEmail.Source.UPLOAD,
        subject="About Amy",
        arrived_at=datetime.now(tz=LONDON) - timedelta(hours=1),
        quarantined_at=datetime.now(tz=LONDON),
        quarantine_reason="Not an email",
    )
    client.force_login(rao)
    client.get(reverse("frontdoor:quarantine"))
    (event,) = _views("quarantine")
    assert event.detail["emails"] == [email.pk]


def test_a_workflow_report_read_names_every_child_in_it(client, team_manager, siblings, front_door):
    ContactFactory(team=front_door, children=[siblings[0]])
    ContactFactory(team=front_door, children=[siblings[1]])
    report = services.workflow_report_make(actor=SYSTEM, send=False)
    client.force_login(team_manager)
    client.get(report.get_absolute_url())
    (event,) = _views("workflow-report")
    assert event.detail["children"] == sorted([siblings[0].pk, siblings[1].pk])
