"""Admin for bills, people and statements. Status and its history (actions) are read-only here:
a status change is recorded through bills.services.bill_change_status (see status_change)."""

# Importing the modules registers their model admins (Django autodiscovers `bills.admin`).
from bills.admin import bill, people, statement  # noqa: F401
