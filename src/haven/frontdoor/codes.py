"""The code tables the front door uses, in one place.

Referral source, primary need and reason for closure are the DfE children in need (CIN)
census codes, so the census and Annex A need no mapping. Outcomes follow the Standard
Safeguarding Dataset's ``cine_referral_outcome_json`` list.
"""

from __future__ import annotations

from django.db import models


class ReferralSource(models.TextChoices):
    """Where a contact came from: the CIN census "source of referral" codes."""

    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = "1B", "Individual: acquaintance, such as a neighbour or childminder"
    INDIVIDUAL_SELF = "1C", "Individual: the child themselves"
    INDIVIDUAL_OTHER = "1D", "Individual: someone else, such as a stranger or an MP"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    HEALTH_GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    HEALTH_SCHOOL_NURSE = "3C", "Health services: school nurse"
    HEALTH_OTHER_PRIMARY = "3D", "Health services: other primary health services"
    HEALTH_EMERGENCY = "3E", "Health services: A&E (emergency department)"
    HEALTH_OTHER = "3F", "Health services: other, such as a hospital or hospice"
    HOUSING = "4", "Housing: council housing or a housing association"
    LA_SOCIAL_CARE = "5A", "Council services: social care, such as adult social care"
    LA_OTHER_INTERNAL = "5B", "Council services: other internal, such as the youth offending team"
    LA_EXTERNAL = "5C", "Council services: another council's services"
    LA_EARLY_HELP = "5D", "Council services: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency: courts, probation, immigration, Cafcass, prison"
    OTHER = "8", "Other: children's centres, voluntary organisations, independent providers"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


# The broad groups the DfE publishes referrals by (table C5), for reports and the simulator.
SOURCE_GROUPS: dict[str, tuple[str, ...]] = {
    "Individual": ("1A", "1B", "1C", "1D"),
    "Schools": ("2A",),
    "Education services": ("2B",),
    "Health services": ("3A", "3B", "3C", "3D", "3E", "3F"),
    "Housing": ("4",),
    "Council services": ("5A", "5B", "5C", "5D"),
    "Police": ("6",),
    "Other legal agency": ("7",),
    "Other": ("8",),
    "Anonymous": ("9",),
    "Unknown": ("10",),
}


class PrimaryNeed(models.TextChoices):
    """CIN census primary need codes (``cine_cin_primary_need``). When two fit, the census
    asks for the one higher in the list."""

    ABUSE_OR_NEGLECT = "N1", "N1 Abuse or neglect"
    CHILD_DISABILITY = "N2", "N2 Child's disability or illness"
    PARENT_DISABILITY = "N3", "N3 Parental disability or illness"
    ACUTE_STRESS = "N4", "N4 Family in acute stress"
    FAMILY_DYSFUNCTION = "N5", "N5 Family dysfunction"
    SOCIALLY_UNACCEPTABLE = "N6", "N6 Socially unacceptable behaviour"
    LOW_INCOME = "N7", "N7 Low income"
    ABSENT_PARENTING = "N8", "N8 Absent parenting"
    NOT_IN_NEED = "N9", "N9 Cases other than children in need"


class ClosureReason(models.TextChoices):
    """CIN census reason for closure (``cine_close_reason``)."""

    ADOPTED = "RC1", "RC1 Adopted"
    DIED = "RC2", "RC2 Died"
    CHILD_ARRANGEMENTS = "RC3", "RC3 Child arrangements order"
    SPECIAL_GUARDIANSHIP = "RC4", "RC4 Special guardianship order"
    TRANSFERRED_LA = "RC5", "RC5 Transferred to another local authority"
    TRANSFERRED_ADULTS = "RC6", "RC6 Transferred to adult social care"
    SERVICES_CEASED = "RC7", "RC7 Services ceased for any other reason"
    NFA_AFTER_ASSESSMENT = "RC8", "RC8 Closed after assessment, no further action"
    EARLY_HELP_AFTER_ASSESSMENT = "RC9", "RC9 Closed after assessment, referred to early help"


class Channel(models.TextChoices):
    """How a concern reached the front door."""

    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    POLICE = "police", "Police notification"
    PARTNER_FORM = "partner_form", "Partner referral form"
    API = "api", "Partner system (API)"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter or fax"


# Channels a member of staff chooses when recording a contact in the browser; email and
# police contacts arrive by their own routes.
RECORDED_CHANNELS = (Channel.PHONE, Channel.IN_PERSON, Channel.LETTER, Channel.EMAIL)


class Consent(models.TextChoices):
    """Parental consent to the contact being made and information being shared."""

    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_SOUGHT = "not_sought", "Not sought"


class PersonRole(models.TextChoices):
    CHILD = "child", "Child the concern is about"
    ADULT = "adult", "Adult"


class Outcome(models.TextChoices):
    """The outcome of a threshold decision (SSD ``cont_contact_outcome_json``)."""

    NO_FURTHER_ACTION = "nfa", "No further action"
    INFORMATION_ADVICE = "advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    REFERRAL = "referral", "Referral for a children's social care assessment"
    STRATEGY_DISCUSSION = "strategy", "Strategy discussion: immediate risk of significant harm"


# Outcomes that refer children to children's social care, so open an episode each.
REFERRAL_OUTCOMES = (Outcome.REFERRAL, Outcome.STRATEGY_DISCUSSION)
# Outcomes the cumulative-harm check holds back until the history has been weighed.
LOW_OUTCOMES = (Outcome.NO_FURTHER_ACTION, Outcome.INFORMATION_ADVICE, Outcome.EARLY_HELP)


class AgencyKind(models.TextChoices):
    """Whom information was asked of."""

    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    SCHOOL = "school", "School or education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Other"


class PoliceNotificationType(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    MISSING = "missing", "Missing child"
    CHILD_CONCERN = "child_concern", "Child concern"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    """Where a contact is: derived from its timestamps, never stored (UX.md 4)."""

    NEEDS_TRIAGE = "needs_triage", "Needs triage"
    AWAITING_INFORMATION = "awaiting_information", "Awaiting information"
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


STATUS_COLOURS = {
    Status.NEEDS_TRIAGE: "yellow",
    Status.AWAITING_INFORMATION: "purple",
    Status.AWAITING_DECISION: "blue",
    Status.DECIDED: "green",
    Status.WITHDRAWN: "grey",
}
