"""What a subscription may name: its endpoint, the record types and the bills it filters on."""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from policytracker import visibility

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
HTTPS_ONLY = "Give an https:// URL (deliveries carry unpublished changes and a signature)."
URL_CREDENTIALS = "Leave credentials out of the URL; deliveries are signed instead."
UNKNOWN_RECORD_TYPES = "Unknown record types: {names}. Choose from: {choices}."
UNKNOWN_BILLS = "No bill with id {ids}."

# Models whose changes the change log records: the curated records of these apps.
RECORD_APPS = ("bills", "sources")


def record_types() -> list[str]:
    """The `record_type` values change events carry (model names of the curated models)."""
    names = set()
    for label in RECORD_APPS:
        for model in apps.get_app_config(label).get_models():
            try:
                visibility.rule_for(model)
            except ImproperlyConfigured:  # no visibility rule: not a curated record
                continue
            names.add(model._meta.model_name)
    return sorted(names)


def url_problem(url: str) -> str | None:
    """Why `url` cannot receive deliveries, or None."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return URL_CREDENTIALS
    if parts.scheme == "https" and parts.hostname:
        return None
    loopback_allowed = getattr(settings, "WEBHOOKS_ALLOW_INSECURE_LOOPBACK", False)
    if loopback_allowed and parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return HTTPS_ONLY


def record_types_problem(names: list[str]) -> str | None:
    known = record_types()
    unknown = sorted(set(names) - set(known))
    if unknown:
        return UNKNOWN_RECORD_TYPES.format(names=", ".join(unknown), choices=", ".join(known))
    return None


def bills_problem(owner, bill_ids: list[int]) -> str | None:
    """Bills the owner cannot see count as missing: a filter must not reveal drafts."""
    Bill = apps.get_model("bills", "Bill")
    seen = set(Bill.objects.visible_to(owner).filter(pk__in=bill_ids).values_list("pk", flat=True))
    missing = sorted(set(bill_ids) - seen)
    if missing:
        return UNKNOWN_BILLS.format(ids=", ".join(map(str, missing)))
    return None


def retry_delay_seconds(failures: int) -> float:
    """Exponential backoff: base, 2×base, 4×base … capped (WEBHOOK_RETRY_MAX_SECONDS)."""
    base = float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 10))
    cap = float(getattr(settings, "WEBHOOK_RETRY_MAX_SECONDS", 3600))
    return min(cap, base * 2 ** max(0, min(failures - 1, 30)))
