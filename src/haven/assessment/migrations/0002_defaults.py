"""What a council starts with: the kinds of service it records, and the child in need plan
review timescale (3 months). Administrators change both in the configuration screens."""

from django.db import migrations

from haven.assessment.timescales import PLAN_REVIEW

SERVICE_TYPES = [
    ("family-support", "Family support worker"),
    ("parenting", "Parenting programme"),
    ("domestic-abuse", "Domestic abuse support"),
    ("substance-misuse", "Drug and alcohol service (adult)"),
    ("young-people-substance", "Drug and alcohol service (young people)"),
    ("camhs", "Child and adolescent mental health service"),
    ("adult-mental-health", "Adult mental health service"),
    ("youth-work", "Youth work and positive activities"),
    ("exploitation", "Exploitation and missing support"),
    ("short-breaks", "Short breaks for disabled children"),
    ("family-group-conference", "Family group conference"),
    ("housing", "Housing and financial support"),
    ("education", "Education support"),
    ("health", "Health visitor or school nurse"),
    ("other", "Other"),
]


def seed(apps, schema_editor):
    ServiceType = apps.get_model("assessment", "ServiceType")
    for order, (key, name) in enumerate(SERVICE_TYPES, start=1):
        ServiceType.objects.get_or_create(key=key, defaults={"name": name, "order": order * 10})
    Timescale = apps.get_model("core", "Timescale")
    Timescale.objects.get_or_create(
        key=PLAN_REVIEW.key,
        defaults={
            "name": PLAN_REVIEW.name,
            "start_event": PLAN_REVIEW.start_event,
            "length": PLAN_REVIEW.length,
            "unit": PLAN_REVIEW.unit,
            "source": PLAN_REVIEW.source,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial"), ("core", "0002_default_timescales")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
