"""The front door's records. Import from here: ``from haven.frontdoor.models import Contact``."""

from haven.frontdoor.models.config import ConcernCategory, CumulativeHarmPattern, LevelOfNeed
from haven.frontdoor.models.contacts import (
    OPEN,
    Contact,
    ContactDecision,
    ContactDraft,
    ContactPerson,
    HarmFlag,
    InformationRequest,
    OversightNote,
    PartnerSubmission,
)
from haven.frontdoor.models.episodes import Episode
from haven.frontdoor.models.intake import (
    EmailAttachment,
    InboundEmail,
    PoliceImport,
    PoliceImportProblem,
    PoliceNotification,
)
from haven.frontdoor.models.reports import WorkflowReport, WorkflowReportRow

__all__ = [
    "OPEN",
    "ConcernCategory",
    "Contact",
    "ContactDecision",
    "ContactDraft",
    "ContactPerson",
    "CumulativeHarmPattern",
    "EmailAttachment",
    "Episode",
    "HarmFlag",
    "InboundEmail",
    "InformationRequest",
    "LevelOfNeed",
    "OversightNote",
    "PartnerSubmission",
    "PoliceImport",
    "PoliceImportProblem",
    "PoliceNotification",
    "WorkflowReport",
    "WorkflowReportRow",
]
