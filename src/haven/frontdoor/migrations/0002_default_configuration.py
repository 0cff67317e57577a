"""The defaults a council starts with: four levels of need, the common concern categories and
the cumulative-harm pattern (three contacts in twelve months, or neglect twice). Administrators
change them in the configuration screens."""

from django.db import migrations

LEVELS = [
    ("universal", "Universal", "Needs met by services every child uses: schools, GPs, health visitors."),
    ("universal-plus", "Universal Plus", "Some extra support from a universal service or a single agency."),
    ("additional-needs", "Additional Needs", "Several needs that call for coordinated early help from more than one agency."),
    ("complex-significant", "Complex/Significant", "Complex needs or a risk of significant harm: children's social care."),
]

CATEGORIES = [
    # key, name, is_neglect, marks_domestic_abuse
    ("neglect", "Neglect", True, False),
    ("physical-abuse", "Physical abuse", False, False),
    ("emotional-abuse", "Emotional abuse", False, False),
    ("sexual-abuse", "Sexual abuse", False, False),
    ("domestic-abuse", "Domestic abuse", False, True),
    ("parental-mental-health", "Parent's or carer's mental health", False, False),
    ("parental-substance-misuse", "Parent's or carer's alcohol or drug use", False, False),
    ("child-mental-health", "Child's mental health or self-harm", False, False),
    ("child-sexual-exploitation", "Child sexual exploitation", False, False),
    ("child-criminal-exploitation", "Child criminal exploitation", False, False),
    ("missing", "Going missing", False, False),
    ("behaviour", "Child's behaviour", False, False),
    ("disability-health", "Child's disability or health", False, False),
    ("housing-finance", "Housing or money worries", False, False),
    ("harmful-practices", "Harmful practices: FGM, forced marriage, honour-based abuse", False, False),
    ("radicalisation", "Radicalisation", False, False),
    ("other", "Something else", False, False),
]


def seed(apps, schema_editor):
    LevelOfNeed = apps.get_model("frontdoor", "LevelOfNeed")
    ConcernCategory = apps.get_model("frontdoor", "ConcernCategory")
    CumulativeHarmPattern = apps.get_model("frontdoor", "CumulativeHarmPattern")
    for order, (key, name, description) in enumerate(LEVELS, start=1):
        LevelOfNeed.objects.update_or_create(
            key=key, defaults={"name": name, "description": description, "order": order * 10}
        )
    for order, (key, name, is_neglect, is_da) in enumerate(CATEGORIES, start=1):
        ConcernCategory.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "order": order * 10,
                "is_neglect": is_neglect,
                "marks_domestic_abuse": is_da,
            },
        )
    if not CumulativeHarmPattern.objects.exists():
        CumulativeHarmPattern.objects.create()


class Migration(migrations.Migration):
    dependencies = [("frontdoor", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
