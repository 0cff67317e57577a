"""People in the API: search and read, scoped to the caller, every call audited.

Tokens need the ``people:read`` scope. A restricted record is read only with a ``reason``
(at least 10 characters), which is audited like the reason given in the browser.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from haven.accounts.models import User
from haven.api.auth import api_actor, require_scope
from haven.api.reading import open_people, record_read
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.people import codes, selectors

router = Router(tags=["people"])


class MatchOut(Schema):
    id: int
    la_id: str
    name: str
    kind: str
    date_of_birth: date | None
    restricted: bool
    score: float
    reasons: list[str]


class AddressOut(Schema):
    address: str
    postcode: str
    ward_code: str
    ward_name: str
    moved_in: date | None
    moved_out: date | None


class OtherNameOut(Schema):
    kind: str
    first_name: str
    last_name: str
    used_until: date | None


class SchoolOut(Schema):
    urn: str
    name: str
    phase: str


class RelativeOut(Schema):
    id: int
    la_id: str
    name: str
    relationship: str
    lives_with: bool


class PersonOut(Schema):
    id: int
    la_id: str
    kind: str
    first_name: str
    middle_names: str
    last_name: str
    preferred_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    date_of_death: date | None
    sex: str
    gender: str
    ethnicity: str
    disabilities: list[str]
    first_language: str
    nhs_number: str
    upn: str
    school_urn: str | None
    school: SchoolOut | None
    other_names: list[OtherNameOut]
    restricted: bool
    addresses: list[AddressOut]
    relationships: list[RelativeOut]


class SearchParams(Schema):
    q: str
    limit: int = 10


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("people.view_person"):
        raise PermissionDenied("You do not have permission to see people's records.")
    return user


@router.get("", response=list[MatchOut], summary="Search for people")
def search(request: HttpRequest, params: Query[SearchParams]) -> list[MatchOut]:
    """Names (typos, nicknames and swaps forgiven), dates of birth in any common form,
    postcodes, NHS numbers and LA IDs; best first, each with the reasons it matches."""
    require_scope(request, "people:read")
    user = _user(request)
    if not params.q.strip():
        raise HttpError(422, "Enter something to search for in q")
    limit = max(1, min(params.limit, 50))
    matches = selectors.person_search(user=user, query=params.q[:200], limit=limit)
    event_record(
        actor=api_actor(request),
        action=Event.Action.SEARCH,
        object_type="people.person",
        detail={"query": params.q[:200], "results": [m.person.pk for m in matches], "via": "api"},
    )
    return [
        MatchOut(
            id=m.person.pk,
            la_id=m.person.la_id,
            name=m.person.full_name,
            kind=m.person.kind,
            date_of_birth=None if m.person.is_restricted else m.person.date_of_birth,
            restricted=m.person.is_restricted,
            score=m.score,
            reasons=m.reasons,
        )
        for m in matches
    ]


@router.get("/{person_id}", response=PersonOut, summary="Read a person's record")
def read(request: HttpRequest, person_id: int, reason: str = "") -> PersonOut:
    """One person the caller may see. A restricted record needs ``reason``."""
    require_scope(request, "people:read")
    user = _user(request)
    person = selectors.person_get(user=user, person_id=person_id)
    open_people(request, [person], reason)
    record_read(request, target=person, child_ids=[person.pk])
    return PersonOut(
        id=person.pk,
        la_id=person.la_id,
        kind=person.kind,
        first_name=person.first_name,
        middle_names=person.middle_names,
        last_name=person.last_name,
        preferred_name=person.preferred_name,
        date_of_birth=person.date_of_birth,
        expected_date_of_birth=person.expected_date_of_birth,
        date_of_death=person.date_of_death,
        sex=person.sex,
        gender=person.gender,
        ethnicity=person.ethnicity,
        disabilities=list(person.disabilities),
        first_language=person.first_language,
        nhs_number=person.nhs_number,
        upn=person.upn,
        school_urn=person.school.urn if person.school else None,
        school=(
            SchoolOut(urn=person.school.urn, name=person.school.name, phase=person.school.phase)
            if person.school
            else None
        ),
        other_names=[
            OtherNameOut(
                kind=name.kind,
                first_name=name.first_name,
                last_name=name.last_name,
                used_until=name.used_until,
            )
            for name in selectors.other_names_of(person)
        ],
        restricted=person.is_restricted,
        addresses=[
            AddressOut(
                address=str(a),
                postcode=a.postcode,
                ward_code=a.ward_code,
                ward_name=a.ward_name,
                moved_in=a.moved_in,
                moved_out=a.moved_out,
            )
            for a in selectors.addresses_of(person)
        ],
        relationships=[
            RelativeOut(
                id=row.relative.pk,
                la_id=row.relative.la_id,
                name=row.relative.full_name,
                relationship=codes.RelationshipKind(row.relationship.kind).value,
                lives_with=row.relationship.lives_with,
            )
            for row in selectors.relationships_of(person)
            if row.relationship.ended_on is None
        ],
    )


ROUTES = [("/people", router)]
