"""`manage.py export_snapshot`: write a public bulk snapshot (JSON Lines, CSV, Popolo, README,
manifest, zip) under EXPORTS_ROOT, served at /api/v1/exports/ (policytracker/exports/)."""

from django.core.management.base import BaseCommand, CommandError

from policytracker.exports.snapshot import snapshot_due, snapshot_write


class Command(BaseCommand):
    help = (
        "Write a public-only snapshot of every record (JSON Lines, CSV, Popolo JSON) with a "
        "manifest and a zip into EXPORTS_ROOT, consistent with one change-feed cursor."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            help="Public address (scheme and host) for the records' absolute URLs "
            "(default: the PUBLIC_BASE_URL setting).",
        )
        parser.add_argument(
            "--if-due",
            action="store_true",
            help="Only when the newest snapshot is EXPORTS_INTERVAL_HOURS old, or there is none.",
        )
        parser.add_argument(
            "--bom",
            action="store_true",
            help="Start each CSV with a UTF-8 byte order mark, for Excel.",
        )

    def handle(self, *args, base_url=None, bom=False, if_due=False, **options):
        if if_due and not snapshot_due():
            self.stdout.write("The newest snapshot is recent: none written.")
            return
        try:
            written = snapshot_write(base_url=base_url, bom=bom)
        except ValueError as error:
            raise CommandError(str(error)) from error
        manifest = written.manifest
        total = sum(entry["bytes"] for entry in manifest["files"].values())
        counts = " ".join(f"{name}={count}" for name, count in manifest["counts"].items())
        self.stdout.write(f"snapshot {written.snapshot_id} at {written.path}")
        self.stdout.write(f"change_cursor={manifest['change_cursor']} {counts}")
        self.stdout.write(
            f"files={len(manifest['files'])} bytes={total} zip={manifest['zip']['name']} "
            f"elapsed={written.seconds:.1f}s"
        )
