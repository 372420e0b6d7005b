from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "policytracker.changes"
    label = "changes"
    verbose_name = "Change log"
