from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "haven.assessment"
    label = "assessment"
    verbose_name = "Allocation and assessment"
