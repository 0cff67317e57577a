"""Work queues show each section's most urgent rows with the total, and the whole section on
request, keeping the filters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from haven.core import worklists
from haven.core.worklists import Link, Rows, Section, Tag, WorkRow

pytestmark = pytest.mark.django_db


def _rows(count: int, overdue: int) -> list[WorkRow]:
    now = timezone.now()
    return [
        WorkRow(
            item=Link(f"Item {n}", f"/item/{n}/"),
            children=(),
            status=Tag("Open"),
            owner="",
            due_at=now + (timedelta(hours=-1 - n) if n < overdue else timedelta(days=3 + n)),
            started_at=now - timedelta(days=10),
        )
        for n in range(count)
    ]


@pytest.fixture
def section() -> Iterator[dict[str, object]]:
    """A test section whose rows the test sets."""
    state: dict[str, object] = {"rows": []}
    worklists.register(
        Section(
            key="test-queue",
            title="Test queue",
            permission="accounts.view_user",  # any permission the social worker lacks is fine
            rows=lambda work: state["rows"],  # type: ignore[arg-type,return-value]
            order=1,
        )
    )
    yield state
    worklists.unregister("test-queue")


@pytest.fixture
def viewer(make_user):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    user = make_user(Role.SOCIAL_WORKER)
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    return user


def test_a_long_queue_shows_its_most_urgent_rows_with_the_total(client, section, viewer) -> None:
    section["rows"] = _rows(30, overdue=2)
    client.force_login(viewer)
    page = client.get(reverse("core:my-work")).content.decode()
    table = page.split('data-section="test-queue"')[1].split("</table>")[0]
    assert table.count('<tr class="govuk-table__row" data-rag') == worklists.SHOWN_ROWS
    assert "Item 0<" in table
    assert "Item 1<" in table
    assert "Showing the 25 most urgent of 30." in page
    assert "Test queue <span" in page
    assert ">30, 2 overdue<" in page
    everything = client.get(reverse("core:my-work"), {"show": "test-queue"}).content.decode()
    table = everything.split('data-section="test-queue"')[1].split("</table>")[0]
    assert table.count('<tr class="govuk-table__row" data-rag') == 30
    assert "Showing the" not in everything


def test_a_queue_loaded_in_part_says_how_many_there_are(client, section, viewer) -> None:
    section["rows"] = Rows(_rows(40, overdue=40), total=1234)
    client.force_login(viewer)
    page = client.get(reverse("core:my-work"), {"frontdoor-channel": "email"}).content.decode()
    assert ">1234, at least 40 overdue<" in page
    assert "Showing the 25 most urgent of 1234." in page
    assert "Show the 40 most urgent" in page
    assert (
        "frontdoor-channel=email" in page.split("Show the 40 most urgent")[0].rsplit("href=", 1)[1]
    )
