"""The meeting kind a council starts with: the medium-risk multi-agency meeting, each child
considered within the rule ``medium_risk_meeting`` (5 working days). The exploitation app adds
MASE in its own migration. Administrators change names and the running team in the
configuration screens; lengths are the timescales'."""

from django.db import migrations

KINDS = [
    (
        "medium-risk",
        "Medium-risk multi-agency meeting",
        "MRM",
        "Partners consider children assessed at a medium level of risk, agree a plan and "
        "actions, and decide whether the child needs a strategy discussion or an assessment.",
        [("medium", "medium_risk_meeting")],
    ),
]


def seed(apps, schema_editor):
    MeetingKind = apps.get_model("protection", "MeetingKind")
    MeetingKindTimescale = apps.get_model("protection", "MeetingKindTimescale")
    for order, (key, name, short, description, rules) in enumerate(KINDS, start=1):
        kind, _ = MeetingKind.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "short_name": short,
                "description": description,
                "order": order * 10,
            },
        )
        for level, timescale_key in rules:
            MeetingKindTimescale.objects.get_or_create(
                kind=kind, risk_level=level, defaults={"timescale_key": timescale_key}
            )


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
