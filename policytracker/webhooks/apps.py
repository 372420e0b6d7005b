from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "policytracker.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        # The change log announces each committed event; delivery is queued, never run here.
        from policytracker.changes.signals import change_recorded
        from policytracker.webhooks.tasks import queue_for_event

        change_recorded.connect(queue_for_event, dispatch_uid="webhooks.queue_for_event")
