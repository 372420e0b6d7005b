from django.core.management.base import BaseCommand

from policytracker.webhooks.tasks import resume_all


class Command(BaseCommand):
    help = (
        "Queue a delivery for every active webhook subscription that is owed change events "
        "(run before the task worker starts; harmless to repeat)."
    )

    def handle(self, *args, **options):
        count = resume_all()
        self.stdout.write(f"Queued delivery for {count} webhook subscriptions.")
