"""The allocation and assessment generator: for each referral (CIN episode) the front door's
generator opened in the year, the case's life, from allocation to closure.

Rates and assumptions (England figures from the DfE's children in need statistics):

- Assessments are authorised about 33 working days after the referral at the median, 86%
  within the 45 working days (a log-normal duration fitted to both). The council's pace is a
  parameter: ``HAVEN_SIMULATION_ASSESSMENT_PACE`` in settings (1.0 England; 0.8 a faster
  council, 1.3 a slower one) scales every delay: allocation, first visit, assessment and the
  wait for services.
- Factors identified at the end of assessment in the DfE's proportions (table C3, England
  2024-25, ``factors.py``): each factor drawn with its published share of episodes with factors,
  about 2.75 a child; "no factors" (21), alone, for a third of assessments ending in no further
  action.
- Outcomes: a child protection conference when the protection generator started a child
  protection plan after the referral, a section 47 enquiry when it started one; otherwise no
  further action 33%, early help 17%, a child in need plan 45%, looked after 5% (assumed).
- Allocation within a working day or two (urgent referrals within hours), to the worker in the
  team with the fewest open cases; the first visit in 5 working days for about 88% (within 24
  hours when urgent); one case in twelve moves to another worker; one assessment in seven is
  returned once by the manager.
- Child in need plans last about six months, reviewed every 3 months (rule
  ``cin_plan_review``); one to three services each, most starting within two weeks of being
  agreed; visits every few weeks. Cases close through a manager's approval with the CIN reason
  (``closures``): mostly RC8 after no further action, RC9 after early help, RC7 when a plan's
  work is done; some RC5 (moved to another council) and RC6 (adult social care) on any path,
  RC1, RC3 and RC4 mostly after a child was looked after, RC2 rarely.
- Nothing happens after "now": the last months leave referrals waiting, children not yet seen,
  assessments in progress and with managers, plans running and services waiting.

Staff: each assessment team gets enough synthetic social workers for caseloads of about 20
(teams of up to 30; more assessment teams when needed, each with a manager). Rows are written in
bulk; one audit event covers the run (the framework writes it).
"""

from __future__ import annotations

from haven.assessment.simulation.generator import run
from haven.demo.simulation import Generator, register

register(
    Generator(
        name="assessment",
        order=40,
        run=run,
        description="Allocation, visits, assessments (about 86% within 45 working days), factors "
        "in the DfE's proportions, outcomes, child in need plans and reviews, services and "
        "closures with reason codes.",
    )
)

__all__ = ["run"]
