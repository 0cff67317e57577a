"""Background work for the front door, run by ``haven worker`` on the schedules declared in
``apps.py``. Tasks call services and hold no logic."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.tasks import task

from haven.core.actor import Actor
from haven.frontdoor import services


@task
def poll_mailbox() -> dict[str, Any]:
    """Take new emails from the front door mailbox as contacts."""
    return asdict(services.mailbox_poll(actor=Actor.system("frontdoor-mailbox")))


@task
def make_workflow_report() -> int:
    """Make, keep and email the workflow report of every open contact."""
    report = services.workflow_report_make(actor=Actor.system("frontdoor-workflow-report"))
    return report.pk
