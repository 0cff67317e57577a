"""The fictional city the simulator fills: wards with their postcodes and streets, and
primary and secondary schools. The same seed and profile always give the same city.

Postcodes use the outward codes HV1, HV2... (no real postcode area is called HV), so nothing
the simulator makes can be a real address. Ward codes use the E05999 range, which the ONS
has not issued.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.demo.simulation import Profile

_WARD_NAMES = [
    "Harbourside",
    "Kingsmead",
    "Ashgrove",
    "Millbrook",
    "Fenwick",
    "Oakhurst",
    "Redhill",
    "Stonebridge",
    "Willowfield",
    "Brackenwood",
    "Castle Vale",
    "Elmdon",
    "Foxhollies",
    "Greenacre",
    "Hollybank",
    "Ironbridge",
    "Juniper Hill",
    "Larkrise",
    "Marshgate",
    "Netherton",
    "Orchard Park",
    "Pinfold",
    "Quarry Bank",
    "Rowley Green",
    "Saltley Cross",
    "Thornfield",
    "Underhill",
    "Victoria Park",
    "Weaver's Green",
    "Yardley Heath",
    "Abbeyfields",
    "Beacon Hill",
    "Canal Side",
    "Dovecote",
    "Eastgate",
    "Fairholme",
    "Gorsebrook",
    "Hawthorn",
    "Ingleby",
    "Jubilee Fields",
    "Kestrel Way",
    "Lindenfield",
]
_STREET_WORDS = [
    "Albert",
    "Alder",
    "Beech",
    "Birch",
    "Bridge",
    "Canal",
    "Cedar",
    "Chapel",
    "Church",
    "Clifton",
    "Colliery",
    "Coronation",
    "Cromwell",
    "Dale",
    "Elm",
    "Foundry",
    "Garden",
    "George",
    "Grange",
    "Hazel",
    "High",
    "Holly",
    "King",
    "Laurel",
    "Lime",
    "Manor",
    "Maple",
    "Market",
    "Meadow",
    "Mill",
    "Moor",
    "Nelson",
    "Oak",
    "Park",
    "Priory",
    "Queen",
    "Railway",
    "Rose",
    "School",
    "Spring",
    "Station",
    "Victoria",
    "Water",
    "Wellington",
    "Willow",
    "Windmill",
    "York",
    "Sandpiper",
    "Heron",
    "Kingfisher",
    "Lapwing",
    "Plover",
]
_STREET_TYPES = [
    "Road",
    "Street",
    "Close",
    "Avenue",
    "Lane",
    "Grove",
    "Crescent",
    "Way",
    "Drive",
    "Walk",
    "Terrace",
    "Gardens",
]
_SAINTS = [
    "Mary",
    "Michael",
    "Peter",
    "Paul",
    "John",
    "Anne",
    "Thomas",
    "Joseph",
    "Chad",
    "Edmund",
    "Alban",
    "Bernadette",
    "Patrick",
    "Catherine",
    "Luke",
    "Francis",
]
# Letters a postcode's inward code may use.
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class WardPlan:
    code: str
    name: str
    postcodes: tuple[str, ...]
    streets: tuple[str, ...]


@dataclass(frozen=True)
class SchoolPlan:
    urn: str
    name: str
    phase: str  # a people.codes.SchoolPhase value
    postcode: str
    ward_index: int


@dataclass
class City:
    name: str
    wards: list[WardPlan]
    schools: list[SchoolPlan] = field(default_factory=list)

    def schools_in(self, ward_index: int, phase: str) -> list[SchoolPlan]:
        return [s for s in self.schools if s.ward_index == ward_index and s.phase == phase]


def _ward_names(count: int) -> list[str]:
    names = list(_WARD_NAMES)
    for compass in ("North", "South", "East", "West"):
        names += [f"{name} {compass}" for name in _WARD_NAMES]
    return names[:count]


def build_city(*, seed: int, profile: Profile) -> City:
    rng = random.Random(f"{seed}:city:{profile.name}")  # noqa: S311 - synthetic, repeatable
    wards = []
    for index, name in enumerate(_ward_names(profile.wards)):
        district = index + 1
        postcodes: set[str] = set()
        while len(postcodes) < profile.postcodes_per_ward:
            inward = (
                f"{rng.randrange(10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
            )
            postcodes.add(f"HV{district} {inward}")
        streets = {
            f"{rng.choice(_STREET_WORDS)} {rng.choice(_STREET_TYPES)}"
            for _ in range(max(12, profile.postcodes_per_ward // 3))
        }
        wards.append(
            WardPlan(
                code=f"E05999{district:03d}",
                name=name,
                postcodes=tuple(sorted(postcodes)),
                streets=tuple(sorted(streets)),
            )
        )
    city = City(name=profile.council, wards=wards)
    urn = 990000
    for phase, count in (
        ("primary", profile.primary_schools),
        ("secondary", profile.secondary_schools),
    ):
        for number in range(count):
            ward_index = number % len(wards)
            ward = wards[ward_index]
            base = ward.name.split(" ")[0]
            style = rng.randrange(4)
            if phase == "primary":
                name = [
                    f"{base} Primary School",
                    f"St {rng.choice(_SAINTS)}'s Primary School",
                    f"{base} Infant and Junior School",
                    f"{rng.choice(_STREET_WORDS)} Primary Academy",
                ][style]
            else:
                name = [
                    f"{base} Academy",
                    f"{base} High School",
                    f"St {rng.choice(_SAINTS)}'s Catholic High School",
                    f"{rng.choice(_STREET_WORDS)} School",
                ][style]
            if any(s.name == name for s in city.schools):
                name = f"{name} ({ward.name})"
            urn += 1
            city.schools.append(
                SchoolPlan(
                    urn=str(urn),
                    name=name,
                    phase=phase,
                    postcode=rng.choice(ward.postcodes),
                    ward_index=ward_index,
                )
            )
    return city
