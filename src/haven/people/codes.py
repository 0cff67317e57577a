"""The code tables a person's record uses, in one place.

Sex, ethnicity and disability are the DfE children in need census codes, so returns need no
mapping; gender follows the Standard Safeguarding Dataset (``pers_gender``). Field names on
``Person`` follow the SSD's ``ssd_person`` (see docs/adr/0101-people-identity-and-matching.md).
"""

from __future__ import annotations

from django.db import models


class Sex(models.TextChoices):
    """As recorded on a birth certificate or gender recognition certificate (CIN census)."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class Gender(models.TextChoices):
    """Gender identity (SSD ``pers_gender``). Not returned to the DfE."""

    NOT_KNOWN = "00", "Not known"
    MALE = "01", "Boy or man"
    FEMALE = "02", "Girl or woman"
    SELF_DESCRIBED = "09", "Prefers to self-describe"


class Ethnicity(models.TextChoices):
    """The 20 DfE main ethnicity categories used by the school and CIN censuses."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy or Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    """CIN census disability codes (a child may have several; NONE stands alone)."""

    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Diagnosed with autism or Asperger syndrome"
    DDA = "DDA", "Other disability under the Equality Act 2010"


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult"


class SchoolPhase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"
    ALTERNATIVE = "alternative", "Alternative provision"
    POST_16 = "post_16", "Sixteen plus"


class NameKind(models.TextChoices):
    PREVIOUS = "previous", "Previous name"
    ALIAS = "alias", "Also known as"
    BIRTH = "birth", "Name at birth"


class AddressKind(models.TextChoices):
    """SSD ``addr_address_type``."""

    HOME = "home", "Home"
    PLACEMENT = "placement", "Placement"
    TEMPORARY = "temporary", "Temporary accommodation"
    OTHER = "other", "Other"


class RelationshipKind(models.TextChoices):
    """How ``relative`` is related to ``person``: "Anna (relative) is Ben's (person) parent".

    Every relationship is kept both ways: saving one writes its inverse (``INVERSE``).
    """

    PARENT = "parent", "Parent"
    CHILD = "child", "Child"
    STEP_PARENT = "step_parent", "Step-parent"
    STEP_CHILD = "step_child", "Step-child"
    CARER = "carer", "Carer"
    CARED_FOR = "cared_for", "Cared for"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    OTHER = "other", "Other"


INVERSE: dict[str, str] = {
    RelationshipKind.PARENT: RelationshipKind.CHILD,
    RelationshipKind.CHILD: RelationshipKind.PARENT,
    RelationshipKind.STEP_PARENT: RelationshipKind.STEP_CHILD,
    RelationshipKind.STEP_CHILD: RelationshipKind.STEP_PARENT,
    RelationshipKind.CARER: RelationshipKind.CARED_FOR,
    RelationshipKind.CARED_FOR: RelationshipKind.CARER,
    RelationshipKind.SIBLING: RelationshipKind.SIBLING,
    RelationshipKind.HALF_SIBLING: RelationshipKind.HALF_SIBLING,
    RelationshipKind.HOUSEHOLD_MEMBER: RelationshipKind.HOUSEHOLD_MEMBER,
    RelationshipKind.OTHER: RelationshipKind.OTHER,
}

# The kinds a person adding a relationship chooses from (the inverse is written for them).
SIBLING_KINDS = (RelationshipKind.SIBLING, RelationshipKind.HALF_SIBLING)
PARENT_KINDS = (RelationshipKind.PARENT, RelationshipKind.STEP_PARENT, RelationshipKind.CARER)

# Common first languages in an English city, offered as suggestions; any text is accepted.
COMMON_LANGUAGES = [
    "English",
    "Urdu",
    "Punjabi",
    "Bengali",
    "Arabic",
    "Polish",
    "Somali",
    "Romanian",
    "Pashto",
    "Kurdish",
    "Portuguese",
    "Tigrinya",
    "Gujarati",
    "Chinese",
    "French",
    "Spanish",
    "Farsi",
    "Lithuanian",
    "Albanian",
    "British Sign Language",
]
