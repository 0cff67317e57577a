"""Every write about missing children. Import from here:
``from haven.missing.services import episode_record``.

``episodes``: recording an episode, the return, corrections, linking the child.
``interviews``: the return home interview: assigning, the offer, the interview and its
findings, placing it on the child's file.
``police``: episodes from the front door's police notification import.
"""

from haven.missing.services.episodes import (
    EpisodeDetails,
    episode_from_police,
    episode_link_child,
    episode_police_update,
    episode_record,
    episode_return,
    episode_update,
)
from haven.missing.services.interviews import (
    Findings,
    FindingsDraft,
    Offer,
    interview_assign,
    interview_findings_draft_save,
    interview_not_offered,
    interview_offer,
    interview_place_on_file,
    interview_record,
)
from haven.missing.services.police import child_beyond_doubt, missing_notification_imported

__all__ = [
    "EpisodeDetails",
    "Findings",
    "FindingsDraft",
    "Offer",
    "child_beyond_doubt",
    "episode_from_police",
    "episode_link_child",
    "episode_police_update",
    "episode_record",
    "episode_return",
    "episode_update",
    "interview_assign",
    "interview_findings_draft_save",
    "interview_not_offered",
    "interview_offer",
    "interview_place_on_file",
    "interview_record",
    "missing_notification_imported",
]
