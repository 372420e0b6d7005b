from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bills.models import Bill, BillAction, Person, Statement
from bills.seeding import DEFAULT_SEED, seed_load
from sources.models import Citation, Source


class Command(BaseCommand):
    help = "Load the curated seed data set (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_SEED, help="Seed YAML file.")

    def handle(self, *args, **options):
        try:
            report = seed_load(path=options["file"])
        except (ValidationError, KeyError) as error:
            raise CommandError(f"Seed not loaded: {error}") from error
        if report.changed:
            created = ", ".join(f"{k}={v}" for k, v in sorted(report.created.items())) or "none"
            updated = ", ".join(f"{k}={v}" for k, v in sorted(report.updated.items())) or "none"
            self.stdout.write(f"created: {created}")
            self.stdout.write(f"updated: {updated}")
        else:
            self.stdout.write("Seed already loaded: nothing changed.")
        counts = {
            "bills": Bill.objects.count(),
            "actions": BillAction.objects.count(),
            "people": Person.objects.count(),
            "statements": Statement.objects.count(),
            "sources": Source.objects.count(),
            "citations": Citation.objects.count(),
        }
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
