"""`manage.py generate_data`: a large, seeded, published data set for the benchmark.

    manage.py generate_data --bills 10000 --statements 100000 [--seed 1] [--clear]

The one documented exception to the write door (ARCHITECTURE.md): this is a benchmark fixture
generator, not a curation path, so it loads rows with PostgreSQL's COPY instead of calling the
services (which would take hours for 600,000 rows). It therefore writes no history rows and no
change-log events, and it only ever loads into empty tables: it refuses to run while the
database holds bills, statements, people, organizations or sources, unless `--clear` truncates
every curated table (both apps, the change log and slug aliases) first.

The rows and what they guarantee by construction are built in `bills.generation`; this command
only reads its arguments and runs the steps in one transaction.
"""

import random
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bills.generation import (
    analyze_curated_tables,
    generate,
    refuse_unless_empty,
    reset_sequences,
    truncate_curated_tables,
)


class Command(BaseCommand):
    help = "Generate a large, seeded, published data set for the benchmark (COPY, no services)."

    def add_arguments(self, parser):
        parser.add_argument("--bills", type=int, default=10_000)
        parser.add_argument("--statements", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--clear", action="store_true", help="Truncate every curated table first."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["bills"] < 1 or options["statements"] < 0:
            raise CommandError("--bills must be at least 1 and --statements at least 0.")
        with transaction.atomic(), connection.cursor() as cursor:
            if options["clear"]:
                truncate_curated_tables(cursor)
            else:
                refuse_unless_empty()
            counts = generate(
                random.Random(options["seed"]),
                cursor,
                bills=options["bills"],
                statements=options["statements"],
            )
            reset_sequences(cursor)
        # Cached responses are keyed by the change log, which this load bypasses.
        try:
            cache.clear()
        except Exception as error:  # a cache that is down holds nothing stale either
            self.stderr.write(f"cache not cleared: {error}")
        analyze_curated_tables()
        self.stdout.write(" ".join(f"{name}={count}" for name, count in counts.items()))
        self.stdout.write(f"elapsed={time.monotonic() - started:.1f}s")
