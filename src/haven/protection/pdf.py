"""The printable record of a strategy discussion, made with WeasyPrint.

The PDF carries the record's version number and the moment of that version, so a printed copy
can be matched to the record it came from. The template has its own print styles: it is never
served as a web page, so the Content Security Policy does not apply to it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from haven.protection.models import StrategyDiscussion


def discussion_pdf(discussion: StrategyDiscussion, *, printed_by: Any, for_partner: bool) -> bytes:
    """The record as PDF bytes: the same content a partner sees in the browser."""
    from weasyprint import HTML

    html = render_to_string(
        "protection/pdf/discussion.html",
        {
            "discussion": discussion,
            "subjects": list(discussion.subjects.all()),
            "agencies": list(discussion.agencies.all()),
            "actions": list(discussion.actions.all()),
            "printed_at": timezone.now(),
            "printed_by": printed_by,
            "for_partner": for_partner,
            "council_name": settings.HAVEN_COUNCIL_NAME,
            "service_name": settings.HAVEN_SERVICE_NAME,
        },
    )
    return bytes(HTML(string=html).write_pdf())


def pdf_filename(discussion: StrategyDiscussion) -> str:
    return f"{discussion.reference}-v{discussion.version}.pdf"
