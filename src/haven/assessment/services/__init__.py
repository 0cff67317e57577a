"""Every write in allocation and assessment. Import from here:
``from haven.assessment.services import case_allocate``.

``cases``: allocating referrals, visits, closure. ``assessments``: starting, saving as the
worker types, submitting, returning and authorising. ``plans``: child in need plans, reviews
and services. Each writes its audit event and chronology entry in one transaction.
"""

from haven.assessment.services.assessments import (
    assessment_authorise,
    assessment_copy_previous,
    assessment_return,
    assessment_save,
    assessment_start,
    assessment_submit,
)
from haven.assessment.services.cases import (
    VisitData,
    case_allocate,
    closure_blockers,
    closure_decide,
    closure_propose,
    visit_record,
    visit_summary,
)
from haven.assessment.services.plans import (
    cin_plan_end,
    cin_plan_review_record,
    cin_plan_start,
    service_add,
    service_end,
    service_start,
)

__all__ = [
    "VisitData",
    "assessment_authorise",
    "assessment_copy_previous",
    "assessment_return",
    "assessment_save",
    "assessment_start",
    "assessment_submit",
    "case_allocate",
    "cin_plan_end",
    "cin_plan_review_record",
    "cin_plan_start",
    "closure_blockers",
    "closure_decide",
    "closure_propose",
    "service_add",
    "service_end",
    "service_start",
    "visit_record",
    "visit_summary",
]
