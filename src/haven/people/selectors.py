"""Reading people: always through the user, so that a list and a record cannot disagree.

``persons_visible(user)`` is the one rule for who sees whom; every other selector starts from
it. Search (``person_search``) looks candidates up on the search-key index and scores them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from haven.accounts.roles import Role
from haven.core.calendar import local_tz
from haven.people import codes, matching, sharing
from haven.people.models import (
    Address,
    ChronologyEntry,
    DuplicateCandidate,
    Person,
    PersonMerge,
    PersonName,
    Relationship,
    SearchKey,
)

if TYPE_CHECKING:
    from haven.accounts.models import User


def _is_partner(user: User) -> bool:
    cached = getattr(user, "_haven_is_partner", None)
    if cached is None:
        cached = user.groups.filter(name=Role.PARTNER.label).exists()
        user._haven_is_partner = cached  # type: ignore[attr-defined]
    return bool(cached)


def persons_visible(user: User) -> QuerySet[Person]:
    """The people ``user`` may see: every current record for staff who work with children,
    only those in records shared with their agency for a partner, none for anyone else (the
    administrator included). Restricted records are in the list; opening one asks a reason."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Person.objects.none()
    if not user.has_perm("people.view_person"):
        return Person.objects.none()
    people = Person.objects.current()
    if _is_partner(user):
        providers = sharing.share_providers()
        if not providers or user.agency_id is None:
            return Person.objects.none()
        shared = Q(pk__in=providers[0](user))
        for provider in providers[1:]:
            shared |= Q(pk__in=provider(user))
        return people.filter(shared)
    return people


def visible_q(user: User, path: str) -> Q:
    """``persons_visible`` as a condition on another model's rows, whose person is at ``path``
    (``"child"``, ``"episode__child"``): for staff, a join on the current record, so the
    database reads the other model's rows by their own indexes instead of probing them once
    for every person in the council; for partners, the records shared with them."""
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or not user.has_perm("people.view_person")
    ):
        return Q(pk__in=[])
    if _is_partner(user):
        return Q(**{f"{path}__in": persons_visible(user).values("pk")})
    return Q(**{f"{path}__isnull": False, f"{path}__merged_into__isnull": True})


def person_get(*, user: User, person_id: int) -> Person:
    """One person the user may see, or 404 (the same rule as every list)."""
    found = persons_visible(user).select_related("school").filter(pk=person_id).first()
    if found is None:
        raise Http404("No person with that ID")
    return found


def person_merged_into(*, user: User, person_id: int) -> Person | None:
    """For a record that was merged: the visible record it now lives in."""
    merged = Person.objects.filter(pk=person_id, merged_into__isnull=False).first()
    if merged is None:
        return None
    target = merged
    for _ in range(10):  # merges can chain: A into B, then B into C
        if target.merged_into_id is None:
            break
        target = Person.objects.get(pk=target.merged_into_id)
    return persons_visible(user).filter(pk=target.pk).first()


def siblings_of(person: Person) -> list[Person]:
    """Brothers and sisters (full and half), current relationships, eldest first."""
    rows = (
        Relationship.objects.filter(
            person=person,
            kind__in=codes.SIBLING_KINDS,
            ended_on__isnull=True,
            relative__merged_into__isnull=True,
        )
        .exclude(relative=person)
        .select_related("relative")
    )
    siblings = {row.relative_id: row.relative for row in rows}
    return sorted(
        siblings.values(),
        key=lambda p: (p.date_of_birth or p.expected_date_of_birth or date.max, p.first_name),
    )


@dataclass
class RelationshipRow:
    relationship: Relationship
    relative: Person
    label: str
    is_sibling: bool


def relationships_of(person: Person) -> list[RelationshipRow]:
    """Everyone related to the person, current first; siblings, then parents and carers,
    then the rest."""
    rows = (
        Relationship.objects.filter(person=person, relative__merged_into__isnull=True)
        .exclude(relative=person)
        .select_related("relative")
        .order_by("ended_on", "kind", "relative__date_of_birth")
    )
    order: dict[str, int] = {
        str(kind): i
        for i, kind in enumerate(
            [
                *codes.SIBLING_KINDS,
                *codes.PARENT_KINDS,
                codes.RelationshipKind.CHILD,
                codes.RelationshipKind.STEP_CHILD,
                codes.RelationshipKind.CARED_FOR,
                codes.RelationshipKind.HOUSEHOLD_MEMBER,
                codes.RelationshipKind.OTHER,
            ]
        )
    }
    result = [
        RelationshipRow(row, row.relative, row.get_kind_display(), row.kind in codes.SIBLING_KINDS)
        for row in rows
    ]
    return sorted(
        result,
        key=lambda r: (r.relationship.ended_on is not None, order.get(r.relationship.kind, 99)),
    )


def addresses_of(person: Person) -> list[Address]:
    return list(person.addresses.order_by("moved_out", "-moved_in", "-id"))


def current_address(person: Person) -> Address | None:
    return person.addresses.filter(moved_out__isnull=True).order_by("-moved_in", "-id").first()


def other_names_of(person: Person) -> list[PersonName]:
    return list(person.other_names.all())


# --- The chronology -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChronologyFilter:
    kinds: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None


def chronology_for(
    *, user: User, person: Person, filters: ChronologyFilter | None = None
) -> QuerySet[ChronologyEntry]:
    """The person's chronology, newest first, filtered by kind and period. One indexed query
    (child, occurred_at); the caller paginates."""
    person = person_get(user=user, person_id=person.pk)
    filters = filters or ChronologyFilter()
    entries = ChronologyEntry.objects.filter(child=person).select_related("actor")
    if filters.kinds:
        entries = entries.filter(kind__in=filters.kinds)
    tz = local_tz()
    if filters.date_from:
        entries = entries.filter(
            occurred_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz)
        )
    if filters.date_to:
        entries = entries.filter(
            occurred_at__lt=datetime.combine(
                filters.date_to + timedelta(days=1), time.min, tzinfo=tz
            )
        )
    return entries.order_by("-occurred_at", "-id")


def chronology_kinds_present(person: Person) -> set[str]:
    return set(
        ChronologyEntry.objects.filter(child=person)
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )


# --- Search -------------------------------------------------------------------------------


@dataclass
class PersonMatch:
    """One search result: the person, a score from 0 to 1, and why it matched, in words."""

    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    current_postcode: str = ""

    @property
    def strength(self) -> str:
        if self.score >= 0.85:
            return "Strong match"
        if self.score >= 0.6:
            return "Possible match"
        return "Weak match"


# How many people to score at most: enough for typos and swaps, few enough to stay fast.
NARROW_CANDIDATES = 300
BROAD_CANDIDATES = 200
BROAD_WITH_DATE = 40
MIN_SCORE = 0.45
BROAD_WHEN_FEWER_THAN = 40


def _candidate_ids(
    restrict: QuerySet[Person] | None, keys: Iterable[str], *, broad_limit: int = 200
) -> list[int]:
    keys = sorted(keys)
    narrow = [key for key in keys if matching.is_narrow(key)]
    broad = [key for key in keys if not matching.is_narrow(key)]
    found: list[int] = []

    def lookup(chosen: list[str], limit: int, exclude: list[int]) -> list[int]:
        found_keys = SearchKey.objects.filter(key__in=chosen).exclude(person_id__in=exclude)
        if restrict is not None:
            found_keys = found_keys.filter(person_id__in=restrict.values("pk"))
        rows = (
            found_keys.values("person_id")
            .annotate(hits=Count("person_id"))
            .order_by("-hits", "person_id")[:limit]
        )
        return [row["person_id"] for row in rows]

    if narrow:
        found = lookup(narrow, NARROW_CANDIDATES, [])
    # Surname or first-name sound alone pick out many people: use them only when the narrow
    # keys (name pairs, date of birth, postcode, numbers) found few.
    if broad and len(found) < BROAD_WHEN_FEWER_THAN:
        found += lookup(broad, broad_limit, found)
    return found


def _load_candidates(people: list[Person]) -> dict[int, matching.Candidate]:
    ids = [p.pk for p in people]
    names: dict[int, list[matching.NameRecord]] = defaultdict(list)
    for row in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id", "first_name", "last_name"
    ):
        names[row[0]].append(matching.NameRecord(row[1], row[2]))
    postcodes: dict[int, list[str]] = defaultdict(list)
    for pid, postcode in (
        Address.objects.filter(person_id__in=ids)
        .exclude(postcode="")
        .order_by("moved_out", "-moved_in")
        .values_list("person_id", "postcode")
    ):
        postcodes[pid].append(postcode)
    return {
        p.pk: matching.Candidate(
            person_id=p.pk,
            first_name=p.first_name,
            last_name=p.last_name,
            date_of_birth=p.date_of_birth,
            expected_date_of_birth=p.expected_date_of_birth,
            other_names=names.get(p.pk, []),
            postcodes=postcodes.get(p.pk, []),
            nhs_number=p.nhs_number,
            la_id=p.la_id,
            upn=p.upn,
        )
        for p in people
    }


def person_search(
    *, user: User, query: str | matching.ParsedQuery, limit: int = 10
) -> list[PersonMatch]:
    """People the user may see who match what was typed, best first, each with its reasons.

    An NHS number, LA ID or UPN finds its person exactly; names, dates of birth in any common
    form and postcodes are matched forgivingly (typos, nicknames, accents, hyphenated
    surnames, names or day and month swapped). Five queries whatever the data size."""
    parsed = matching.parse_query(query) if isinstance(query, str) else query
    visible = persons_visible(user)
    if parsed.is_empty:
        return []
    exact: list[Person] = []
    if parsed.identifier:
        exact = list(
            visible.filter(Q(la_id=parsed.identifier) | Q(upn=parsed.identifier)).select_related(
                "school"
            )[:limit]
        )
    if parsed.nhs_number:
        exact += list(
            visible.filter(nhs_number=parsed.nhs_number)
            .select_related("school")
            .exclude(pk__in=[p.pk for p in exact])[:limit]
        )
    if exact and not parsed.names and not parsed.dates:
        candidates = _load_candidates(exact)
        return [
            PersonMatch(
                p,
                *matching.score(parsed, candidates[p.pk]),
                current_postcode=_first(candidates[p.pk].postcodes),
            )
            for p in exact
        ]
    # Staff see every current record (merged ones have no keys), so only a partner's search
    # needs the key lookup narrowed to what they may see.
    restrict = visible if _is_partner(user) else None
    # With a date of birth the narrow keys nearly always hold the person; a few broad
    # candidates still cover a mistyped date as well as a mistyped name.
    broad_limit = BROAD_WITH_DATE if parsed.dates else BROAD_CANDIDATES
    ids = _candidate_ids(restrict, matching.query_keys(parsed), broad_limit=broad_limit)
    people = list(visible.filter(pk__in=ids).select_related("school")) if ids else []
    seen = {p.pk for p in people}
    people += [p for p in exact if p.pk not in seen]
    candidates = _load_candidates(people)
    matches = []
    for person in people:
        value, reasons = matching.score(parsed, candidates[person.pk])
        if value >= MIN_SCORE:
            matches.append(
                PersonMatch(person, value, reasons, _first(candidates[person.pk].postcodes))
            )
    matches.sort(key=lambda m: (-m.score, m.person.last_name, m.person.first_name, m.person.pk))
    return matches[:limit]


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def likely_matches(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    postcode: str = "",
    nhs_number: str = "",
    limit: int = 5,
) -> list[PersonMatch]:
    """Existing people who may be the one about to be created (shown before saving)."""
    parsed = matching.ParsedQuery(text=f"{first_name} {last_name}")
    parsed.names = [part for part in matching.fold(f"{first_name} {last_name}").split(" ") if part]
    if date_of_birth:
        parsed.dates = [date_of_birth]
        if date_of_birth.day <= 12 and date_of_birth.day != date_of_birth.month:
            parsed.swapped_dates = [
                date_of_birth.replace(month=date_of_birth.day, day=date_of_birth.month)
            ]
    parsed.postcode = postcode
    parsed.nhs_number = nhs_number
    return [m for m in person_search(user=user, query=parsed, limit=limit) if m.score >= 0.6]


# --- Duplicates and merges ----------------------------------------------------------------


def duplicate_candidates(
    *, user: User, status: str = DuplicateCandidate.Status.OPEN
) -> QuerySet[DuplicateCandidate]:
    """The review list, most likely first: only for those who may merge."""
    if not user.has_perm("people.merge_persons"):
        return DuplicateCandidate.objects.none()
    visible = persons_visible(user)
    return (
        DuplicateCandidate.objects.filter(status=status, person_a__in=visible, person_b__in=visible)
        .select_related("person_a", "person_b", "decided_by")
        .order_by("-match_probability", "id")
    )


def duplicate_candidate_get(*, user: User, candidate_id: int) -> DuplicateCandidate:
    found = (
        DuplicateCandidate.objects.select_related("person_a", "person_b")
        .filter(pk=candidate_id)
        .first()
    )
    if found is None or not user.has_perm("people.merge_persons"):
        raise Http404("No such pair")
    visible = persons_visible(user)
    if not visible.filter(pk__in=[found.person_a_id, found.person_b_id]).count() == 2:
        raise Http404("No such pair")
    return found


def merges_of(*, user: User, person: Person) -> QuerySet[PersonMerge]:
    """Merges into this person, newest first (for undoing)."""
    return (
        PersonMerge.objects.filter(kept=person)
        .select_related("merged", "merged_by", "undone_by")
        .order_by("-merged_at")
    )


def merge_get(*, user: User, merge_id: int) -> PersonMerge:
    found = PersonMerge.objects.select_related("kept", "merged").filter(pk=merge_id).first()
    if found is None or not user.has_perm("people.merge_persons"):
        raise Http404("No such merge")
    if not persons_visible(user).filter(pk=found.kept_id).exists():
        raise Http404("No such merge")
    return found


def compare_rows(first: Person, second: Person) -> list[dict[str, Any]]:
    """Two records side by side for a manager deciding whether they are one person."""

    def show(person: Person, name: str) -> str:
        value = getattr(person, name)
        if name in ("sex", "ethnicity", "gender", "kind"):
            return str(getattr(person, f"get_{name}_display")())
        if isinstance(value, date):
            return value.strftime("%-d %B %Y")
        return str(value or "")

    rows = []
    for name, label in [
        ("la_id", "LA ID"),
        ("first_name", "First name"),
        ("middle_names", "Middle names"),
        ("last_name", "Last name"),
        ("date_of_birth", "Date of birth"),
        ("sex", "Sex"),
        ("ethnicity", "Ethnicity"),
        ("nhs_number", "NHS number"),
        ("upn", "UPN"),
        ("kind", "Child or adult"),
    ]:
        a, b = show(first, name), show(second, name)
        rows.append({"label": label, "a": a, "b": b, "same": a == b})
    a_addr, b_addr = current_address(first), current_address(second)
    rows.append(
        {
            "label": "Current address",
            "a": str(a_addr or ""),
            "b": str(b_addr or ""),
            "same": str(a_addr or "") == str(b_addr or ""),
        }
    )
    return rows


def prefetch_current_addresses() -> Prefetch:
    return Prefetch(
        "addresses",
        queryset=Address.objects.filter(moved_out__isnull=True),
        to_attr="current_addresses",
    )
