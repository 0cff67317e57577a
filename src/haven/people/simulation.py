"""The people generator: the families whose children come to the council's notice each year.

For each reporting year it makes the new children (the profile's children a year, less the
share already known from earlier years), in families: a mother, often a father or step-father,
brothers and sisters (some half-siblings), living together at an address in one of the city's
wards, at a school near home. About 2% of the people made get a second, near-duplicate record
(a typo, a nickname, day and month swapped, a missing NHS number...), as happens when a
contact is recorded without finding the existing record; ``demo.PlantedDuplicate`` keeps the
answers. Rows are written in bulk with their search keys; one audit event covers the run.

Later generators (contacts, referrals...) call ``children_noticed_in(ctx)`` for the children
who come to notice in the year.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Min
from django.utils import timezone

from haven.demo import population
from haven.demo.city import City
from haven.demo.models import PlantedDuplicate
from haven.demo.simulation import Generator, SimulationContext, register
from haven.people import codes, identifiers
from haven.people.matching import NameRecord, fold, keys_for
from haven.people.models import (
    Address,
    ChronologyEntry,
    Person,
    Postcode,
    Relationship,
    School,
    SearchKey,
    Ward,
)
from haven.people.nicknames import NICKNAMES, full_names_for

FAMILY_SIZES = ((1, 0.55), (2, 0.28), (3, 0.11), (4, 0.04), (5, 0.02))
LANGUAGES = {
    "APKN": (("English", 0.55), ("Urdu", 0.3), ("Punjabi", 0.15)),
    "ABAN": (("English", 0.5), ("Bengali", 0.5)),
    "AIND": (("English", 0.6), ("Punjabi", 0.25), ("Gujarati", 0.15)),
    "BAFR": (("English", 0.55), ("Somali", 0.25), ("Tigrinya", 0.1), ("French", 0.1)),
    "WOTH": (("Romanian", 0.45), ("Polish", 0.35), ("English", 0.2)),
    "WROM": (("Romanian", 0.7), ("English", 0.3)),
    "OOTH": (("Arabic", 0.4), ("Kurdish", 0.3), ("Farsi", 0.3)),
    "CHNE": (("Chinese", 0.5), ("English", 0.5)),
}
DISABILITY_CODES = [c for c in codes.Disability.values if c != codes.Disability.NONE]
_KEYBOARD = {
    "a": "sqz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


@dataclass
class Made:
    """Rows for one year, before they are written."""

    people: list[Person] = field(default_factory=list)
    addresses: list[tuple[int, Address]] = field(default_factory=list)
    relationships: list[tuple[int, int, str, bool]] = field(default_factory=list)
    created_at: dict[int, datetime] = field(default_factory=dict)
    duplicates: list[tuple[int, int, str]] = field(default_factory=list)
    children: list[int] = field(default_factory=list)


def ensure_city(city: City) -> None:
    """The wards, their postcodes and the schools, made once."""
    if Ward.objects.filter(code=city.wards[0].code).exists():
        return
    wards = Ward.objects.bulk_create([Ward(code=w.code, name=w.name) for w in city.wards])
    Postcode.objects.bulk_create(
        [
            Postcode(postcode=p, ward=ward)
            for ward, plan in zip(wards, city.wards, strict=True)
            for p in plan.postcodes
        ]
    )
    School.objects.bulk_create(
        [School(urn=s.urn, name=s.name, phase=s.phase, postcode=s.postcode) for s in city.schools],
        ignore_conflicts=True,
    )


class Builder:
    """Makes one year's families with the year's random numbers."""

    def __init__(self, ctx: SimulationContext, used_la_ids: set[str]) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.made = Made()
        self.used_la_ids = used_la_ids
        self.schools = {s.urn: s for s in School.objects.all()}
        self.today = ctx.today

    # -- people ---------------------------------------------------------------------------

    def la_id(self) -> str:
        while True:
            candidate = identifiers.make_la_id(self.rng)
            if candidate not in self.used_la_ids:
                self.used_la_ids.add(candidate)
                return candidate

    def person(
        self,
        *,
        kind: str,
        first: str,
        last: str,
        sex: str,
        born: date | None,
        ethnicity: str,
        expected: date | None = None,
        **extra: Any,
    ) -> int:
        rng = self.rng
        is_child = kind == codes.PersonKind.CHILD
        if sex in ("M", "F") and rng.random() < 0.95:
            gender = codes.Gender.MALE if sex == "M" else codes.Gender.FEMALE
        else:
            gender = codes.Gender.NOT_KNOWN
        languages = LANGUAGES.get(ethnicity, (("English", 1.0),))
        language = rng.choices([lang for lang, _ in languages], weights=[w for _, w in languages])[
            0
        ]
        disabilities: list[str] = []
        if is_child and born is not None:
            roll = rng.random()
            if roll < 0.08:
                disabilities = sorted(set(rng.sample(DISABILITY_CODES, rng.choice((1, 1, 2)))))
            elif roll < 0.6:
                disabilities = [codes.Disability.NONE]
        middle = ""
        if rng.random() < 0.35:
            middle = population.pick_first_name(rng, ethnicity, sex)
        nhs = identifiers.make_nhs_number(rng) if rng.random() < (0.85 if is_child else 0.4) else ""
        died = None
        if is_child and born is not None and rng.random() < 0.0005:
            died = min(self.today, born + timedelta(days=rng.randrange(30, 3000)))
        person = Person(
            la_id=self.la_id(),
            kind=kind,
            first_name=first,
            middle_names=middle,
            last_name=last,
            date_of_birth=born,
            expected_date_of_birth=expected,
            sex=sex,
            gender=gender,
            ethnicity=ethnicity,
            disabilities=disabilities,
            first_language=language,
            nhs_number=nhs,
            date_of_death=died,
            is_restricted=is_child and rng.random() < 0.003,
            **extra,
        )
        self.made.people.append(person)
        self.made.created_at[len(self.made.people) - 1] = self.ctx.moment_in_year(rng)
        return len(self.made.people) - 1

    def birth_date(self, age_years: int) -> date:
        """A date of birth for someone ``age_years`` old at the year's start."""
        start = self.ctx.year.start
        born = start - timedelta(days=age_years * 365 + self.rng.randrange(365))
        return min(born, self.today)

    def child_age(self) -> int:
        # Contacts are about all ages: babies and teenagers most often.
        return self.rng.choices(
            range(18), weights=[9, 7, 6, 6, 6, 6, 5, 5, 5, 5, 5, 5, 6, 7, 8, 8, 7, 5]
        )[0]

    def school_for(self, age: int, ward_index: int) -> School | None:
        if age < 4 or age > 15 or self.rng.random() > 0.85:
            return None
        phase = "primary" if age <= 10 else "secondary"
        choices = self.ctx.city.schools_in(ward_index, phase) or [
            s for s in self.ctx.city.schools if s.phase == phase
        ]
        if not choices:
            return None
        return self.schools.get(self.rng.choice(choices).urn)

    # -- a family -------------------------------------------------------------------------

    def family(self) -> int:  # noqa: PLR0915 - one household, start to finish
        """One household; returns how many of its children came to notice."""
        rng = self.rng
        ethnicity = population.pick_ethnicity(rng)
        surname = population.pick_last_name(rng, ethnicity)
        noticed = rng.choices([n for n, _ in FAMILY_SIZES], weights=[w for _, w in FAMILY_SIZES])[0]
        others = 1 if rng.random() < 0.3 else 0
        ward_index = rng.randrange(len(self.ctx.city.wards))
        ward = self.ctx.city.wards[ward_index]
        postcode = rng.choice(ward.postcodes)
        line_1 = f"{rng.randrange(1, 240)} {rng.choice(ward.streets)}"
        moved_in = self.ctx.year.start - timedelta(days=rng.randrange(30, 3650))

        children: list[tuple[int, int]] = []  # (row, age)
        taken: set[str] = set()

        def first_name(sex: str) -> str:
            # Parents do not give two children (or a child and themselves) the same name.
            name = population.pick_first_name(rng, ethnicity, sex)
            for _ in range(8):
                if name not in taken:
                    break
                name = population.pick_first_name(rng, ethnicity, sex)
            taken.add(name)
            return name

        half_surname = population.pick_last_name(rng, ethnicity) if rng.random() < 0.15 else ""
        for number in range(noticed + others):
            sex = rng.choice("MF") if rng.random() > 0.01 else "U"
            unborn = number == 0 and rng.random() < 0.015
            age = 0 if unborn else self.child_age()
            last = half_surname if half_surname and number == 1 else surname
            if unborn:
                row = self.person(
                    kind=codes.PersonKind.CHILD,
                    first="Baby",
                    last=last,
                    sex="U",
                    born=None,
                    ethnicity=ethnicity,
                    expected=self.today + timedelta(days=rng.randrange(20, 180)),
                )
            else:
                born = self.birth_date(age)
                upn = identifiers.make_upn(rng) if 4 <= age <= 16 and rng.random() < 0.6 else ""
                row = self.person(
                    kind=codes.PersonKind.CHILD,
                    first=first_name(sex),
                    last=last,
                    sex=sex,
                    born=born,
                    ethnicity=ethnicity,
                    upn=upn,
                    school=self.school_for(age, ward_index),
                )
            children.append((row, age))
            if number < noticed:
                self.made.children.append(row)
        eldest = max(age for _, age in children)
        mother_age = eldest + rng.randrange(17, 30)
        mother_surname = (
            surname if rng.random() < 0.8 else population.pick_last_name(rng, ethnicity)
        )
        adults = [
            self.person(
                kind=codes.PersonKind.ADULT,
                first=first_name("F"),
                last=mother_surname,
                sex="F",
                born=self.birth_date(mother_age) if rng.random() < 0.9 else None,
                ethnicity=ethnicity,
            )
        ]
        father = None
        if rng.random() < 0.55:
            father = self.person(
                kind=codes.PersonKind.ADULT,
                first=first_name("M"),
                last=surname if rng.random() < 0.7 else population.pick_last_name(rng, ethnicity),
                sex="M",
                born=self.birth_date(mother_age + rng.randrange(-3, 9))
                if rng.random() < 0.8
                else None,
                ethnicity=ethnicity,
            )
            adults.append(father)
        step = father is not None and rng.random() < 0.2
        for person_row in [row for row, _ in children] + adults:
            self.made.addresses.append(
                (
                    person_row,
                    Address(
                        line_1=line_1,
                        town=self.ctx.city.name,
                        postcode=postcode,
                        ward_code=ward.code,
                        ward_name=ward.name,
                        moved_in=moved_in,
                    ),
                )
            )
            if rng.random() < 0.2:
                old_ward = self.ctx.city.wards[rng.randrange(len(self.ctx.city.wards))]
                self.made.addresses.append(
                    (
                        person_row,
                        Address(
                            line_1=f"{rng.randrange(1, 240)} {rng.choice(old_ward.streets)}",
                            town=self.ctx.city.name,
                            postcode=rng.choice(old_ward.postcodes),
                            ward_code=old_ward.code,
                            ward_name=old_ward.name,
                            moved_in=moved_in - timedelta(days=rng.randrange(200, 2000)),
                            moved_out=moved_in,
                        ),
                    )
                )
        rels = self.made.relationships
        for index, (child, _age) in enumerate(children):
            rels.append((child, adults[0], codes.RelationshipKind.PARENT, True))
            if father is not None:
                kind = codes.RelationshipKind.STEP_PARENT if step else codes.RelationshipKind.PARENT
                rels.append((child, father, kind, True))
            for other_index in range(index + 1, len(children)):
                # The second child of a family with a half-sibling has another father.
                half = bool(half_surname) and 1 in (index, other_index)
                kind = (
                    codes.RelationshipKind.HALF_SIBLING if half else codes.RelationshipKind.SIBLING
                )
                rels.append((child, children[other_index][0], kind, True))
        if father is not None:
            rels.append((adults[0], father, codes.RelationshipKind.HOUSEHOLD_MEMBER, True))
        return noticed

    # -- near-duplicates ------------------------------------------------------------------

    def typo(self, name: str) -> str:
        if len(name) < 4:
            return name + name[-1]
        rng = self.rng
        i = rng.randrange(1, len(name) - 1)
        kind = rng.randrange(4)
        if kind == 0:  # swap two letters
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if kind == 1:  # drop a letter
            return name[:i] + name[i + 1 :]
        if kind == 2:  # double a letter
            return name[:i] + name[i] + name[i:]
        near = _KEYBOARD.get(name[i].lower(), "e")
        return name[:i] + rng.choice(near) + name[i + 1 :]

    def nickname(self, first: str) -> str | None:
        folded = fold(first)
        if folded in NICKNAMES:
            return self.rng.choice(NICKNAMES[folded]).title()
        fulls = sorted(full_names_for(folded) - {folded})
        return self.rng.choice(fulls).title() if fulls else None

    def plant_duplicates(self, count: int) -> None:
        rng = self.rng
        people = self.made.people
        candidates = [i for i, p in enumerate(people) if p.first_name != "Baby"]
        for original in rng.sample(candidates, min(count, len(candidates))):
            source = people[original]
            first, last, born = source.first_name, source.last_name, source.date_of_birth
            changes = []
            ways = rng.sample(
                ["first_typo", "last_typo", "nickname", "swap_date", "names_swapped", "hyphen"],
                rng.choice((1, 1, 2)),
            )
            for way in ways:
                if way == "first_typo":
                    first = self.typo(first)
                    changes.append("first name misspelt")
                elif way == "last_typo":
                    last = self.typo(last)
                    changes.append("last name misspelt")
                elif way == "nickname" and (short := self.nickname(first)):
                    first = short
                    changes.append("nickname")
                elif way == "swap_date" and born and born.day <= 12 and born.day != born.month:
                    born = born.replace(day=born.month, month=born.day)
                    changes.append("day and month swapped")
                elif way == "names_swapped":
                    first, last = last, first
                    changes.append("first and last names swapped")
                elif way == "hyphen" and "-" not in last:
                    last = f"{last}-{population.pick_last_name(rng, source.ethnicity)}"
                    changes.append("double-barrelled surname")
            if not changes:
                first = self.typo(first)
                changes.append("first name misspelt")
            duplicate = Person(
                la_id=self.la_id(),
                kind=source.kind,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                expected_date_of_birth=source.expected_date_of_birth,
                sex=source.sex if rng.random() < 0.9 else codes.Sex.UNKNOWN,
                ethnicity=source.ethnicity if rng.random() < 0.6 else codes.Ethnicity.NOBT,
                nhs_number=source.nhs_number if rng.random() < 0.2 else "",
                first_language=source.first_language,
            )
            people.append(duplicate)
            row = len(people) - 1
            self.made.created_at[row] = self.ctx.moment_in_year(rng)
            if rng.random() < 0.6:
                home = next(
                    (a for r, a in self.made.addresses if r == original and a.moved_out is None),
                    None,
                )
                if home is not None:
                    self.made.addresses.append(
                        (
                            row,
                            Address(
                                line_1=home.line_1,
                                town=home.town,
                                postcode=home.postcode,
                                ward_code=home.ward_code,
                                ward_name=home.ward_name,
                                moved_in=home.moved_in,
                            ),
                        )
                    )
            self.made.duplicates.append((original, row, ", ".join(changes)))


def _write(ctx: SimulationContext, made: Made) -> dict[str, int]:
    people = ctx.bulk_create(Person, made.people)
    now = timezone.now()
    ids = [person.pk for person in people]
    address_rows = [
        (
            ids[row],
            a.kind,
            a.line_1,
            a.line_2,
            a.town,
            a.postcode,
            a.ward_code,
            a.ward_name,
            a.moved_in,
            a.moved_out,
            now,
            now,
        )
        for row, a in made.addresses
    ]
    ctx.insert_rows(
        Address,
        [
            "person",
            "kind",
            "line_1",
            "line_2",
            "town",
            "postcode",
            "ward_code",
            "ward_name",
            "moved_in",
            "moved_out",
            "created_at",
            "updated_at",
        ],
        address_rows,
    )
    relationship_rows = []
    for a, b, kind, together in made.relationships:
        relationship_rows.append((ids[a], ids[b], kind, together, now))
        relationship_rows.append((ids[b], ids[a], codes.INVERSE[kind], together, now))
    ctx.insert_rows(
        Relationship, ["person", "relative", "kind", "lives_with", "created_at"], relationship_rows
    )
    postcodes: dict[int, list[str]] = {}
    for row, address in made.addresses:
        postcodes.setdefault(row, []).append(address.postcode)
    key_rows = [
        (person.pk, key)
        for row, person in enumerate(people)
        for key in keys_for(
            names=[NameRecord(person.first_name, person.last_name)],
            date_of_birth=person.date_of_birth,
            expected_date_of_birth=person.expected_date_of_birth,
            postcodes=postcodes.get(row, []),
            nhs_number=person.nhs_number,
            upn=person.upn,
        )
    ]
    ctx.insert_rows(SearchKey, ["person", "key"], key_rows)
    by = "Haven simulator"
    entry_rows = [
        (
            person.pk,
            made.created_at[row],
            "person_created",
            f"Record created for {person.full_name}",
            by,
            "people.person",
            str(person.pk),
            "",
            made.created_at[row],
        )
        for row, person in enumerate(people)
    ]
    entry_rows += [
        (
            ids[row],
            made.created_at[row],
            "address_changed",
            f"Address recorded: {address}"[:300],
            by,
            "people.address",
            "",
            "",
            made.created_at[row],
        )
        for row, address in made.addresses
        if address.moved_out is None
    ]
    ctx.insert_rows(
        ChronologyEntry,
        [
            "child",
            "occurred_at",
            "kind",
            "summary",
            "actor_label",
            "target_type",
            "target_id",
            "url",
            "recorded_at",
        ],
        entry_rows,
    )
    ctx.bulk_create(
        PlantedDuplicate,
        [
            PlantedDuplicate(original_id=ids[a], duplicate_id=ids[b], changes=changes)
            for a, b, changes in made.duplicates
        ],
    )
    children = [ids[row] for row in made.children]
    ctx.shared.setdefault("people.children_noticed", {})[ctx.year.label] = children
    return {
        "people": len(people),
        "children noticed": len(children),
        "addresses": len(address_rows),
        "relationships": len(relationship_rows),
        "search keys": len(key_rows),
        "chronology entries": len(entry_rows),
        "planted duplicates": len(made.duplicates),
    }


def run(ctx: SimulationContext) -> dict[str, int]:
    ensure_city(ctx.city)
    builder = Builder(ctx, set(Person.objects.values_list("la_id", flat=True)))
    profile = ctx.profile
    target = profile.children_noticed_per_year
    if not ctx.is_first_year:
        target = round(target * (1 - profile.already_known_share))
    made_children = 0
    while made_children < target:
        made_children += builder.family()
    builder.plant_duplicates(round(len(builder.made.people) * profile.duplicate_share))
    return _write(ctx, builder.made)


def children_noticed_in(ctx: SimulationContext) -> list[int]:
    """The children who come to notice in ctx's year: those first recorded in it, and a share
    of those already known (re-referred), chosen the same way for a seed."""
    shared = ctx.shared.get("people.children_noticed", {}).get(ctx.year.label)
    start = datetime.combine(
        ctx.year.start, datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    end = start.replace(year=start.year + 1)
    new = (
        shared
        if shared is not None
        else sorted(
            ChronologyEntry.objects.filter(
                kind="person_created",
                occurred_at__gte=start,
                occurred_at__lt=end,
                child__kind=codes.PersonKind.CHILD,
                child__merged_into__isnull=True,
            ).values_list("child_id", flat=True)
        )
    )
    earlier = sorted(
        Person.objects.filter(kind=codes.PersonKind.CHILD, merged_into__isnull=True)
        .annotate(first=Min("chronology__occurred_at"))
        .filter(first__lt=start)
        .values_list("pk", flat=True)
    )
    wanted = round(
        len(new) * ctx.profile.already_known_share / max(1e-9, 1 - ctx.profile.already_known_share)
    )
    rng = random.Random(f"{ctx.seed}:people-renoticed:{ctx.year.label}")  # noqa: S311
    return sorted(set(new) | set(rng.sample(earlier, min(wanted, len(earlier)))))


register(
    Generator(
        name="people",
        order=10,
        run=run,
        description="Families, their addresses, schools and relationships; "
        "planted near-duplicate records.",
    )
)
