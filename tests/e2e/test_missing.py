"""Missing children journeys in the browser: a missing episode imported from the police's CSV,
its return home interview due 72 hours after the return, offered, done late and placed on the
child's file, all on the child's page; an episode recorded directly and its return; a child
named by the police linked to their record; the management information for a quarter with
each share opening its children. Every page visited is checked with axe."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from haven.accounts.models import Team
from haven.accounts.roles import Role
from haven.core.calendar import local_tz
from haven.missing.information import Period
from haven.missing.models import MissingEpisode
from tests.e2e.conftest import axe_check
from tests.factories.accounts import TeamFactory
from tests.factories.missing import MissingEpisodeFactory, interview_stage
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def staff(make_user: Any) -> dict[str, Any]:
    front_door = TeamFactory(name="Front door e2e", kind=Team.Kind.FRONT_DOOR)
    missing_team = TeamFactory(name="Missing Children e2e", kind=Team.Kind.MISSING)
    return {
        "rao": make_user(
            Role.REFERRAL_AND_ADVICE_OFFICER,
            email="rani.e2e@example.test",
            full_name="Rani Rao",
            team=front_door,
        ),
        "worker": make_user(
            Role.MISSING_CHILDREN_WORKER,
            email="milo.e2e@example.test",
            full_name="Milo Grant",
            team=missing_team,
        ),
        "analyst": make_user(
            Role.PERFORMANCE_ANALYST, email="ana.e2e@example.test", full_name="Ana Lindqvist"
        ),
    }


def _fill_moment(scope: Any, moment: datetime) -> None:
    local = timezone.localtime(moment, local_tz())
    scope.get_by_label("Day").fill(str(local.day))
    scope.get_by_label("Month").fill(str(local.month))
    scope.get_by_label("Year").fill(str(local.year))
    scope.get_by_label("Time (24-hour)").fill(local.strftime("%H:%M"))


def _csv(went: datetime, back: datetime | None) -> bytes:
    fmt = "%Y-%m-%d %H:%M"
    header = (
        "police_reference,occurred_at,notification_type,children,narrative,risk_level,"
        "returned_at,where_found,looked_after\n"
    )
    row = (
        f"WM/E2E/77,{went:{fmt}},missing,Jade Okoro (14/06/2010),"
        f"Jade did not come home from school.,High,{back.strftime(fmt) if back else ''},"
        f"{'The bus station' if back else ''},no\n"
    )
    return (header + row).encode()


def test_a_police_notification_to_a_late_interview_on_the_childs_file(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    jade = PersonFactory(first_name="Jade", last_name="Okoro", date_of_birth=date(2010, 6, 14))
    now = timezone.localtime().replace(second=0, microsecond=0)
    went = now - timedelta(days=5)
    back = now - timedelta(hours=90)

    # The front door imports the police's file: Jade's missing episode is made and linked.
    sign_in(staff["rao"])
    page.goto("/front-door/police/")
    axe_check(page)
    page.get_by_label("Upload a police notifications file").set_input_files(
        {"name": "police.csv", "mimeType": "text/csv", "buffer": _csv(went, back)}
    )
    page.get_by_role("button", name="Import").click()
    axe_check(page)
    episode = MissingEpisode.objects.get()
    assert episode.child == jade
    due = timezone.localtime(episode.interview.due_at)
    assert due == back + timedelta(hours=72)

    # The missing children worker sees it on the queue with hours left, overdue.
    page.context.clear_cookies()
    sign_in(staff["worker"])
    page.goto("/missing/")
    axe_check(page)
    row = page.locator("#interviews-due tbody tr").filter(has_text="Jade Okoro")
    expect(row).to_contain_text("18 hours overdue")
    expect(row).to_contain_text(f"{due:%-d %b %Y %H:%M}")
    row.get_by_role("link", name="Jade Okoro").click()
    expect(page.locator("#interview-status")).to_have_text("To offer")
    axe_check(page)

    # The offer, 10 hours after the return: accepted.
    page.get_by_role("link", name="Record the offer of an interview").click()
    axe_check(page)
    _fill_moment(page.locator("#id_offered_at"), back + timedelta(hours=10))
    page.get_by_label("You (Milo Grant)").check()
    page.get_by_label("Accepted").check()
    page.get_by_role("button", name="Save the offer").click()
    expect(page.locator("#interview-status")).to_have_text("Accepted, to hold")
    axe_check(page)

    # The interview, 80 hours after the return: late. Bad input first: kept with a message.
    page.get_by_role("link", name="Record the interview").click()
    axe_check(page)
    # What is typed is kept as a draft as it is typed: it is still there after a reload.
    page.get_by_label("What made the child leave? (push factors)").fill("Rows at home about curfew")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at", timeout=10_000)
    page.reload()
    expect(page.get_by_label("What made the child leave? (push factors)")).to_have_value(
        "Rows at home about curfew"
    )
    axe_check(page)
    _fill_moment(page.locator("#id_done_at"), back + timedelta(hours=80))
    page.get_by_label("Someone from another organisation").check()
    page.get_by_label("Their name and organisation").fill("Kim Lee, Haven Runaways Service")
    page.get_by_label("What made the child leave? (push factors)").fill("Rows at home about curfew")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save the interview").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what drew the child away, or that they did not say"
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what the exploitation concerns are"
    )
    expect(page.get_by_label("What made the child leave? (push factors)")).to_have_value(
        "Rows at home about curfew"
    )
    axe_check(page)
    page.get_by_label("What drew the child away? (pull factors)").fill("Older friends in town")
    page.get_by_label("Where were they, and who with?").fill("A flat in Aston with two older boys")
    page.get_by_label("What are the concerns?").fill("Given a new phone and cannabis")
    page.get_by_role("button", name="Save the interview").click()
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("more than 72 hours")
    expect(page.locator("#interview-done")).to_contain_text("80 hours after the child came back")
    expect(page.locator("#interview-done")).to_contain_text("Late")
    axe_check(page)

    # Placed on Jade's file, after checking the report.
    page.get_by_role("link", name="Place the report on Jade's file").click()
    axe_check(page)
    page.get_by_role("button", name="Place the report on file").click()
    expect(page.locator("#interview-status")).to_have_text("On the child's file")
    axe_check(page)

    # Jade's page shows the episode, the late interview and what she said.
    page.get_by_role("link", name="Jade Okoro").first.click()
    axe_check(page)
    section = page.locator("#missing-episodes")
    expect(section).to_contain_text("80 hours after the return")
    expect(section).to_contain_text("Late")
    expect(page.locator("#latest-interview")).to_contain_text("Older friends in town")
    expect(page.locator("#chronology")).to_be_visible()
    expect(page.get_by_text("Return home interview report on file")).to_be_visible()


def test_recording_an_episode_and_the_return(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    PersonFactory(first_name="Leo", last_name="Marsh", date_of_birth=date(2011, 9, 2))
    sign_in(staff["worker"])
    page.goto("/missing/")
    axe_check(page)
    page.get_by_role("button", name="Record a missing episode").click()
    axe_check(page)
    page.get_by_label("Find the child").fill("Leo Marsh")
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"Leo Marsh\s*: choose")).click()
    axe_check(page)
    went = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=6)
    _fill_moment(page.locator("#id_went_missing_at"), went)
    page.get_by_label("No", exact=True).first.check()
    page.get_by_label("Medium").check()
    page.get_by_label("Not known", exact=True).check()
    page.get_by_role("button", name="Record the episode").click()
    expect(page.get_by_role("heading", name="Leo Marsh is missing")).to_be_visible()
    expect(page.locator(".moj-identity-bar")).to_contain_text("Missing now")
    axe_check(page)

    page.get_by_role("button", name="Record the return").click()
    axe_check(page)
    back = went + timedelta(hours=4)
    _fill_moment(page.locator("#id_returned_at"), back)
    page.get_by_label("Where were they found? (optional)").fill("A friend's house")
    page.get_by_role("button", name="Record the return").click()
    due = back + timedelta(hours=72)
    expect(page.get_by_text(f"due by {due:%-d %B %Y %H:%M}")).to_be_visible()
    expect(page.locator("#interview-status")).to_have_text("To offer")
    axe_check(page)


def test_linking_a_child_named_by_the_police(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    ava = PersonFactory(first_name="Ava", last_name="Stone", date_of_birth=date(2009, 1, 20))
    PersonFactory(first_name="Ava", last_name="Stone", date_of_birth=date(2009, 1, 20))
    MissingEpisodeFactory(
        child=None,
        given_name="Ava Stone",
        given_date_of_birth=date(2009, 1, 20),
        source=MissingEpisode.Source.POLICE,
        police_reference="WM/E2E/9",
    )
    sign_in(staff["worker"])
    page.goto("/missing/")
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"Ava Stone\s*: link to their record")).click()
    axe_check(page)
    expect(page.locator("#suggestions tbody tr")).to_have_count(2)
    page.get_by_label("Find the child").fill(ava.la_id)
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.locator("#search-results").get_by_role(
        "button", name=re.compile(r"Ava Stone\s*: this is the child")
    ).click()
    expect(page.locator("#episode-details")).to_contain_text("Ava Stone")
    axe_check(page)
    assert MissingEpisode.objects.get().child == ava


def test_the_interview_shares_for_a_quarter_open_their_children(
    page: Any, sign_in: Any, staff: dict[str, Any]
) -> None:
    quarter = Period.last_complete_quarter()
    start = datetime.combine(
        quarter.date_from + timedelta(days=10), datetime.min.time(), tzinfo=local_tz()
    )
    offered = PersonFactory(first_name="Olu", last_name="Offered")
    late = PersonFactory(first_name="Lara", last_name="Late")
    never = PersonFactory(first_name="Nia", last_name="Never")
    for n, child in enumerate((offered, late, never)):
        made = MissingEpisodeFactory(
            child=child,
            went_missing_at=start + timedelta(days=n),
            returned_at=start + timedelta(days=n, hours=8),
        )
        if child is offered:
            interview_stage(made, done_after_hours=20, on_file=True, by=staff["worker"])
        elif child is late:
            interview_stage(made, done_after_hours=90, by=staff["worker"])
    sign_in(staff["analyst"])
    page.goto("/missing/information/")
    axe_check(page)
    expect(page.locator("#period")).to_have_text(quarter.label)
    expect(page.locator('[data-share="offered"]')).to_have_text("67%")
    expect(page.locator('[data-share="within_72_hours"]')).to_have_text("33%")
    expect(page.locator('[data-share="on_file"]')).to_have_text("33%")
    page.locator('[data-measure="within_72_hours"]').get_by_role("link").click()
    axe_check(page)
    expect(page.locator("#drill-count")).to_contain_text("1 child, 33% of the 3")
    expect(page.locator("#children")).to_contain_text("Olu Offered")
    expect(page.locator("#children")).not_to_contain_text("Lara Late")
    page.get_by_role("link", name=re.compile("children who went missing and came back")).click()
    axe_check(page)
    expect(page.locator("#children tbody tr")).to_have_count(3)
    page.get_by_role("link", name="Management information").click()
    axe_check(page)
    expect(page.locator("#wards")).to_be_visible()


def test_taking_an_interview_giving_it_on_and_deciding_not_to_offer_one(
    page: Any, sign_in: Any, staff: dict[str, Any], make_user: Any
) -> None:
    colleague = make_user(
        Role.MISSING_CHILDREN_WORKER,
        email="kim.e2e@example.test",
        full_name="Kim Lee",
        team=staff["worker"].team,
    )
    now = timezone.now()
    MissingEpisodeFactory(
        child=PersonFactory(first_name="Sam", last_name="Rivers"),
        went_missing_at=now - timedelta(hours=30),
        returned_at=now - timedelta(hours=12),
    )
    sign_in(staff["worker"])
    page.goto("/work/team/")
    axe_check(page)
    section = page.locator('[data-section="missing-interviews"]')
    expect(section).to_contain_text("Sam Rivers")
    section.get_by_role("button", name=re.compile("Assign to me")).click()
    axe_check(page)
    expect(page.locator("#interview-details")).to_contain_text("Milo Grant")
    page.goto("/work/")
    axe_check(page)
    expect(page.locator('[data-section="missing-interviews"]')).to_contain_text("Sam Rivers")
    page.locator('[data-section="missing-interviews"]').get_by_role(
        "link", name=re.compile("Return home interview")
    ).click()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Change.*who arranges the interview")).click()
    axe_check(page)
    page.get_by_label("Worker").select_option(label=f"Kim Lee ({staff['worker'].team})")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#interview-details")).to_contain_text("Kim Lee")
    axe_check(page)
    page.get_by_role("link", name="Record that no interview will be offered").click()
    axe_check(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why no interview will be offered"
    )
    axe_check(page)
    page.get_by_label("Why will no interview be offered?").fill(
        "Lives in Sandwell; their runaways service arranges the interview"
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#interview-status")).to_have_text("Not offered")
    axe_check(page)
    assert colleague.return_interviews.count() == 1
