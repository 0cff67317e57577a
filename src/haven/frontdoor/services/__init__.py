"""Every write at the front door. Import from here: ``haven.frontdoor.services.decision_make``.

``contacts``: recording a contact page by page, the people on it, completing, assigning,
information requests, withdrawing. ``decisions``: threshold decisions, changes, oversight.
``episodes``: a child's CIN episode (``episode_open``, ``episode_close``). ``email``: the
mailbox and uploaded emails. ``police``: police notification imports. ``partner``: partner
referrals. ``reports``: the twice-daily workflow report.
"""

from haven.frontdoor.services.contacts import (
    contact_assign,
    contact_complete,
    contact_due_at,
    contact_mention_add,
    contact_person_add,
    contact_person_link,
    contact_person_remove,
    contact_start,
    contact_update,
    contact_withdraw,
    information_request_add,
    information_request_answer,
)
from haven.frontdoor.services.decisions import (
    DecisionInput,
    decision_change,
    decision_make,
    oversight_add,
)
from haven.frontdoor.services.drafts import draft_discard, draft_save
from haven.frontdoor.services.email import (
    email_take,
    email_upload,
    mailbox_poll,
    quarantine_dismiss,
    quarantine_make_contact,
)
from haven.frontdoor.services.episodes import episode_close, episode_open, episode_withdraw
from haven.frontdoor.services.partner import PartnerReferral, partner_referral_submit
from haven.frontdoor.services.police import police_import, problem_correct, problem_dismiss
from haven.frontdoor.services.reports import workflow_report_make, workflow_report_send

__all__ = [
    "DecisionInput",
    "PartnerReferral",
    "contact_assign",
    "contact_complete",
    "contact_due_at",
    "contact_mention_add",
    "contact_person_add",
    "contact_person_link",
    "contact_person_remove",
    "contact_start",
    "contact_update",
    "contact_withdraw",
    "decision_change",
    "decision_make",
    "draft_discard",
    "draft_save",
    "email_take",
    "email_upload",
    "episode_close",
    "episode_open",
    "episode_withdraw",
    "information_request_add",
    "information_request_answer",
    "mailbox_poll",
    "oversight_add",
    "partner_referral_submit",
    "police_import",
    "problem_correct",
    "problem_dismiss",
    "quarantine_dismiss",
    "quarantine_make_contact",
    "workflow_report_make",
    "workflow_report_send",
]
