from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "policytracker.idempotency"
    label = "idempotency"
    verbose_name = "Idempotency keys"
