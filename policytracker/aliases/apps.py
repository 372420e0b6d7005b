from django.apps import AppConfig


class AliasesConfig(AppConfig):
    name = "policytracker.aliases"
    label = "aliases"
    verbose_name = "Slug aliases"
    default_auto_field = "django.db.models.BigAutoField"
