from django.db import migrations

from haven.core.timescales import DEFAULTS


def seed_timescales(apps, schema_editor):
    Timescale = apps.get_model("core", "Timescale")
    for rule in DEFAULTS:
        Timescale.objects.get_or_create(
            key=rule.key,
            defaults={"name": rule.name, "start_event": rule.start_event, "length": rule.length,
                      "unit": rule.unit, "source": rule.source},
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed_timescales, migrations.RunPython.noop)]
