"""Other apps add sections to the child's page through ``haven.people.sections``."""

from collections.abc import Iterator

import pytest

from haven.people import sections
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_section(settings, tmp_path) -> Iterator[None]:
    (tmp_path / "test_section.html").write_text("<p>Plan category: {{ section.category }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    sections.register(
        "test-plan",
        "Child protection",
        "test_section.html",
        context=lambda request, person: (
            {"category": "Neglect"} if person.first_name == "Ava" else None
        ),
        order=10,
    )
    yield
    sections._sections.pop("test-plan")


def test_a_registered_section_shows_when_it_has_something_for_this_child(
    client, social_worker, plan_section
) -> None:
    ava = PersonFactory(first_name="Ava")
    ben = PersonFactory(first_name="Ben")
    client.force_login(social_worker)
    page = client.get(ava.get_absolute_url()).content.decode()
    assert '<h2 class="govuk-heading-l" id="section-test-plan">Child protection</h2>' in page
    assert "Plan category: Neglect" in page
    assert page.index("Child protection") < page.index('id="chronology"')
    other = client.get(ben.get_absolute_url()).content.decode()
    assert "section-test-plan" not in other
