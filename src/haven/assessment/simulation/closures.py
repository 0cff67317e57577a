"""Why the simulator's cases close: the children in need census reasons RC1 to RC9.

Most episodes close for the reason their path implies: after an assessment with no further
action (RC8) or a referral to early help (RC9), or when services cease (RC7) at the end of a
plan. Some close for another reason whatever the path: the family moves to another council
(RC5), a young person moves on to adult social care (RC6), or, rarely, a child dies (RC2).
Children who were looked after also leave through adoption (RC1), a child arrangements order
(RC3) or a special guardianship order (RC4), and a few children on a plan go to live with a
relative under one of those orders.

The shares are illustrative, chosen so that RC7, RC8 and RC9 make up most closures and
transfers to another council are the next largest group, the pattern of England's published
children in need statistics; they are not a benchmark.
"""

from __future__ import annotations

import random

# (code, share of the path's closures), tried in order before the path's usual reason.
ANY_PATH = (("RC5", 0.04), ("RC6", 0.015), ("RC2", 0.002))
AFTER_PLAN = (("RC3", 0.01), ("RC4", 0.01))
AFTER_LOOKED_AFTER = (("RC1", 0.15), ("RC3", 0.08), ("RC4", 0.17))
PLAN = "plan"
LOOKED_AFTER = "looked_after"


def closure_reason(rng: random.Random, usual: str, *, path: str = "") -> str:
    """The reason one case closes: ``usual`` (the path's own, RC7, RC8 or RC9) unless one of
    the other reasons comes up. ``path`` is ``PLAN`` after a child in need or protection plan,
    ``LOOKED_AFTER`` after the child was looked after; empty straight after an assessment."""
    table = ANY_PATH + {PLAN: AFTER_PLAN, LOOKED_AFTER: AFTER_LOOKED_AFTER}.get(path, ())
    draw = rng.random()
    for code, share in table:
        if draw < share:
            return code
        draw -= share
    return usual
