"""Allocation and assessment records. Import from here: ``from haven.assessment.models import Case``."""

from haven.assessment.models.assessments import (
    Assessment,
    AssessmentFactor,
    AssessmentReview,
    Status,
)
from haven.assessment.models.cases import Allocation, Case, Closure, Visit
from haven.assessment.models.plans import CinPlan, CinPlanReview, Service, ServiceType

__all__ = [
    "Allocation",
    "Assessment",
    "AssessmentFactor",
    "AssessmentReview",
    "Case",
    "CinPlan",
    "CinPlanReview",
    "Closure",
    "Service",
    "ServiceType",
    "Status",
    "Visit",
]
