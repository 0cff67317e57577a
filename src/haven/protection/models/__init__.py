"""Child protection records. Import from here: ``from haven.protection.models import ...``."""

from haven.protection.models.actions import TrackedAction
from haven.protection.models.discussions import (
    DiscussionAction,
    DiscussionAgency,
    DiscussionChild,
    StrategyDiscussion,
)
from haven.protection.models.enquiries import (
    ChildProtectionPlan,
    InitialConference,
    PlanReview,
    Section47Enquiry,
)
from haven.protection.models.meetings import (
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingConsideration,
    MeetingKind,
    MeetingKindTimescale,
    MeetingReferral,
)

__all__ = [
    "ChildProtectionPlan",
    "DiscussionAction",
    "DiscussionAgency",
    "DiscussionChild",
    "InitialConference",
    "Meeting",
    "MeetingAction",
    "MeetingAttendee",
    "MeetingConsideration",
    "MeetingKind",
    "MeetingKindTimescale",
    "MeetingReferral",
    "PlanReview",
    "Section47Enquiry",
    "StrategyDiscussion",
    "TrackedAction",
]
