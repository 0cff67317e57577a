"""The code tables of allocation and assessment, in one place.

Assessment factors are the DfE children in need (CIN) census codes (``1A`` ... ``24A``; code
``21`` "no factors identified" stands only on its own), and the reason for closure is the
census's RC1 to RC9 (kept by the front door with the episode), so the census and Annex A need
no mapping. Outcomes follow the flags of the Standard Safeguarding Dataset's
``cina_assessment_outcome_json``.
"""

from __future__ import annotations

from django.db import models

from haven.frontdoor.codes import ClosureReason

__all__ = [
    "FACTOR_GROUPS",
    "NO_FACTORS",
    "ClosureReason",
    "Factor",
    "Outcome",
    "VisitKind",
]


class Factor(models.TextChoices):
    """Factors identified at the end of assessment (CIN census, ``cinf_assessment_factors_json``)."""

    ALCOHOL_CHILD = "1A", "1A Alcohol misuse: the child"
    ALCOHOL_PARENT = "1B", "1B Alcohol misuse: a parent or carer"
    ALCOHOL_OTHER = "1C", "1C Alcohol misuse: another person in the household"
    DRUGS_CHILD = "2A", "2A Drug misuse: the child"
    DRUGS_PARENT = "2B", "2B Drug misuse: a parent or carer"
    DRUGS_OTHER = "2C", "2C Drug misuse: another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "3A Domestic abuse: the child is subject to it"
    DOMESTIC_ABUSE_PARENT = "3B", "3B Domestic abuse: a parent or carer is subject to it"
    DOMESTIC_ABUSE_OTHER = "3C", "3C Domestic abuse: another person in the household"
    MENTAL_HEALTH_CHILD = "4A", "4A Mental health: the child"
    MENTAL_HEALTH_PARENT = "4B", "4B Mental health: a parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "4C Mental health: another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "5A Learning disability: the child"
    LEARNING_DISABILITY_PARENT = "5B", "5B Learning disability: a parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "5C Learning disability: another person in the household"
    PHYSICAL_DISABILITY_CHILD = "6A", "6A Physical disability or illness: the child"
    PHYSICAL_DISABILITY_PARENT = "6B", "6B Physical disability or illness: a parent or carer"
    PHYSICAL_DISABILITY_OTHER = (
        "6C",
        "6C Physical disability or illness: another person in the household",
    )
    YOUNG_CARER = "7A", "7A Young carer"
    PRIVATE_FOSTERING_OVERSEAS_RETURN = (
        "8B",
        "8B Privately fostered: from overseas, intending to return",
    )
    PRIVATE_FOSTERING_OVERSEAS_STAY = (
        "8C",
        "8C Privately fostered: from overseas, intending to stay",
    )
    PRIVATE_FOSTERING_EDUCATION = (
        "8D",
        "8D Privately fostered: UK child in an educational placement",
    )
    PRIVATE_FOSTERING_FAMILY = (
        "8E",
        "8E Privately fostered: UK child in an alternative family arrangement",
    )
    PRIVATE_FOSTERING_OTHER = "8F", "8F Privately fostered: other"
    UNACCOMPANIED_ASYLUM_SEEKING = "9A", "9A Unaccompanied asylum-seeking child"
    MISSING = "10A", "10A Going or being missing"
    SEXUAL_EXPLOITATION = "11A", "11A Child sexual exploitation"
    TRAFFICKING = "12A", "12A Trafficking"
    GANGS = "13A", "13A Gangs"
    SOCIALLY_UNACCEPTABLE = "14A", "14A Socially unacceptable behaviour"
    SELF_HARM = "15A", "15A Self-harm"
    NEGLECT = "16A", "16A Neglect"
    EMOTIONAL_ABUSE = "17A", "17A Emotional abuse"
    PHYSICAL_ABUSE_CHILD_ON_CHILD = "18B", "18B Physical abuse: by another child"
    PHYSICAL_ABUSE_ADULT_ON_CHILD = "18C", "18C Physical abuse: by an adult"
    SEXUAL_ABUSE_CHILD_ON_CHILD = "19B", "19B Sexual abuse: by another child"
    SEXUAL_ABUSE_ADULT_ON_CHILD = "19C", "19C Sexual abuse: by an adult"
    OTHER = "20", "20 Other"
    NO_FACTORS = "21", "21 No factors identified"
    FGM = "22A", "22A Female genital mutilation"
    FAITH_OR_BELIEF = "23A", "23A Abuse linked to faith or belief"
    CRIMINAL_EXPLOITATION = "24A", "24A Child criminal exploitation"


NO_FACTORS = Factor.NO_FACTORS.value

# The checkboxes, grouped as the census guide groups them, for the factors page.
FACTOR_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Alcohol and drugs", ("1A", "1B", "1C", "2A", "2B", "2C")),
    ("Domestic abuse", ("3A", "3B", "3C")),
    (
        "Mental health, disability and illness",
        ("4A", "4B", "4C", "5A", "5B", "5C", "6A", "6B", "6C"),
    ),
    ("Caring and private fostering", ("7A", "8B", "8C", "8D", "8E", "8F")),
    (
        "Exploitation, missing and risk outside the home",
        ("9A", "10A", "11A", "12A", "13A", "14A", "15A", "24A"),
    ),
    (
        "Abuse and neglect",
        ("16A", "17A", "18B", "18C", "19B", "19C", "22A", "23A"),
    ),
    ("Other", ("20", "21")),
)


class Outcome(models.TextChoices):
    """What the assessment decided (SSD ``cina_assessment_outcome_json`` flags)."""

    NO_FURTHER_ACTION = "nfa", "No further action"
    EARLY_HELP = "early_help", "Early help"
    CIN_PLAN = "cin_plan", "Child in need plan"
    SECTION_47 = "section_47", "Strategy discussion and section 47 enquiry"
    CHILD_PROTECTION = "child_protection", "Initial child protection conference"
    LOOKED_AFTER = "looked_after", "Looked after (request for care planning)"


# The SSD flag each outcome sets, for the API and returns.
OUTCOME_SSD_FLAGS = {
    Outcome.NO_FURTHER_ACTION: "OUTCOME_NFA_FLAG",
    # Stepped down from social care: the SSD extracts count early help as no further action.
    Outcome.EARLY_HELP: "OUTCOME_NFA_FLAG",
    Outcome.CIN_PLAN: "OUTCOME_PROV_OF_SERVICES_FLAG",
    Outcome.SECTION_47: "OUTCOME_STRATEGY_DISCUSSION_FLAG",
    Outcome.CHILD_PROTECTION: "OUTCOME_STRATEGY_DISCUSSION_FLAG",
    Outcome.LOOKED_AFTER: "OUTCOME_CLA_REQUEST_FLAG",
}

# The closure reason an outcome suggests when the episode ends with the assessment.
OUTCOME_CLOSURE_REASON = {
    Outcome.NO_FURTHER_ACTION: ClosureReason.NFA_AFTER_ASSESSMENT,
    Outcome.EARLY_HELP: ClosureReason.EARLY_HELP_AFTER_ASSESSMENT,
}


class VisitKind(models.TextChoices):
    """Where a visit happened (the census counts a home visit when the child is seen at home)."""

    HOME = "home", "Home visit"
    SCHOOL = "school", "At school or nursery"
    OFFICE = "office", "At the office or a family centre"
    OTHER = "other", "Somewhere else"


class ReviewDecision(models.TextChoices):
    AUTHORISED = "authorised", "Authorised"
    RETURNED = "returned", "Returned with comments"


class PlanReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue the plan"
    END = "end", "End the plan"
    ESCALATE = "escalate", "Step up to child protection (strategy discussion)"


class Stage(models.TextChoices):
    """Where an open case is: derived from its records, never stored (UX.md 4)."""

    TO_VISIT = "to_visit", "First visit due"
    ASSESSMENT = "assessment", "Assessment"
    SECTION_47 = "section_47", "Section 47 enquiry"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    CIN_PLAN = "cin_plan", "Child in need plan"
    CLOSING = "closing", "Closure proposed"
    OTHER = "other", "Allocated"


STAGE_COLOURS = {
    Stage.TO_VISIT: "orange",
    Stage.ASSESSMENT: "blue",
    Stage.SECTION_47: "purple",
    Stage.CHILD_PROTECTION: "red",
    Stage.CIN_PLAN: "turquoise",
    Stage.CLOSING: "grey",
    Stage.OTHER: "light-blue",
}
