"""The code tables of child protection work, in one place.

Category of abuse uses the DfE children in need (CIN) census codes (NEG, PHY, SAB, EMO, MUL),
so the census and Annex A need no mapping. Field names on the records follow Data to
Insight's Standard Safeguarding Dataset (``ssd_s47_enquiry``, ``ssd_initial_cp_conference``,
``ssd_cp_plans``, ``ssd_cp_reviews``).
"""

from __future__ import annotations

from django.db import models


class Origin(models.TextChoices):
    """What started a strategy discussion."""

    CONTACT_DECISION = "contact_decision", "A threshold decision at the front door"
    REFERRAL = "referral", "A referral (children in need episode)"
    OPEN_CASE = "open_case", "New concerns about a child already known"
    OUT_OF_HOURS = "out_of_hours", "Out of hours, by the emergency duty team"


class Method(models.TextChoices):
    MEETING = "meeting", "Meeting in person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"


class AgencyRole(models.TextChoices):
    """The agencies a strategy discussion asks for, each on its own line of the record."""

    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    SOCIAL_CARE = "social_care", "Children's social care"
    CSE = "cse", "CSE coordinator"
    OTHER = "other", "Other agency"


# The agencies every strategy discussion must say something about (invited or why not).
REQUIRED_AGENCIES = (
    AgencyRole.POLICE,
    AgencyRole.HEALTH,
    AgencyRole.EDUCATION,
    AgencyRole.SOCIAL_CARE,
)

# Which partner agency kind (accounts.Agency.Kind) answers for which role.
AGENCY_KIND_FOR_ROLE = {
    AgencyRole.POLICE: "police",
    AgencyRole.HEALTH: "health",
    AgencyRole.EDUCATION: "education",
    AgencyRole.OTHER: "other",
}


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Invited, sent apologies"
    DID_NOT_ATTEND = "did_not_attend", "Invited, did not attend"
    NOT_INVITED = "not_invited", "Not invited"


INVITED = (Attendance.ATTENDED, Attendance.APOLOGIES, Attendance.DID_NOT_ATTEND)


class Decision(models.TextChoices):
    """What a strategy discussion decided."""

    SINGLE_AGENCY_S47 = "s47_single", "Single-agency section 47 enquiry"
    JOINT_S47 = "s47_joint", "Joint section 47 enquiry with the police"
    NO_S47 = "no_s47", "No section 47 enquiry"
    MORE_INFORMATION = "more_information", "More information needed"


S47_DECISIONS = (Decision.SINGLE_AGENCY_S47, Decision.JOINT_S47)


class NextStep(models.TextChoices):
    """The next step when there is to be no section 47 enquiry."""

    ASSESSMENT = "assessment", "Child and family assessment"
    MEDIUM_RISK_MEETING = "medium_risk_meeting", "Refer to the medium-risk multi-agency meeting"
    EARLY_HELP = "early_help", "Early help"
    SINGLE_AGENCY = "single_agency", "Single-agency response"
    NO_FURTHER_ACTION = "nfa", "No further action"
    OTHER = "other", "Something else"


class CategoryOfAbuse(models.TextChoices):
    """CIN census category of abuse (initial and latest category of a plan)."""

    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


RISK_COLOURS = {RiskLevel.LOW: "green", RiskLevel.MEDIUM: "yellow", RiskLevel.HIGH: "red"}


class MeetingOutcome(models.TextChoices):
    """What a multi-agency meeting decided for one child."""

    PLAN_AGREED = "plan_agreed", "Multi-agency plan agreed, risk stays at this level"
    RISK_REDUCED = "risk_reduced", "Risk reduced: step down"
    ESCALATE_STRATEGY = "strategy", "Risk raised: strategy discussion"
    REFER_ASSESSMENT = "assessment", "Refer for a child and family assessment"
    REVIEW = "review", "Consider again at the next meeting"
    CLOSE = "close", "No further multi-agency work needed"
