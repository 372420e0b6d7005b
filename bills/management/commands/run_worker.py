"""`manage.py run_worker`: the background worker of the production stack (docker-compose.yml).

Runs policytracker/maintenance.py every WORKER_INTERVAL_SECONDS; `--once` runs one round and
exits. SIGTERM (docker stop) and SIGINT end it cleanly between or after a round.
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from policytracker.maintenance import maintenance_round, round_report


class Command(BaseCommand):
    help = "Run the maintenance jobs every WORKER_INTERVAL_SECONDS (or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")

    def handle(self, *args, once: bool = False, **options):
        stop = threading.Event()

        def request_stop(signum, frame):
            self.stdout.write(f"Received {signal.Signals(signum).name}; stopping.")
            stop.set()

        stopping = (signal.SIGTERM, signal.SIGINT)
        previous = {sig: signal.signal(sig, request_stop) for sig in stopping}
        try:
            while True:
                self.run_round()
                if once or stop.wait(settings.WORKER_INTERVAL_SECONDS):
                    break
                # A connection idle for an interval may be gone; the round opens a new one.
                close_old_connections()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Worker stopped.")

    def run_round(self) -> None:
        self.stdout.write(round_report(maintenance_round()))
