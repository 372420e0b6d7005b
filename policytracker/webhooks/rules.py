"""What a subscription may name: its endpoint, the record types and the bills it filters on."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from policytracker import visibility

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
HTTPS_ONLY = "Give an https:// URL (deliveries carry unpublished changes and a signature)."
URL_CREDENTIALS = "Leave credentials out of the URL; deliveries are signed instead."
BAD_HOST = "Give a valid host name or public IP address."
PRIVATE_ADDRESS = (
    "The endpoint must be on the public internet: {host} is {address}, a private, loopback, "
    "link-local or reserved address."
)
# NAT64 (RFC 6052) embeds an IPv4 address in its last 32 bits; judge the embedded one.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
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
    """Why `url` cannot receive deliveries, or None: not https (but for the tests' loopback
    receivers), credentials in it, or a host that is or resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return URL_CREDENTIALS
    try:
        port = parts.port
    except ValueError:
        return HTTPS_ONLY
    secure = parts.scheme == "https" and parts.hostname
    loopback_allowed = getattr(settings, "WEBHOOKS_ALLOW_INSECURE_LOOPBACK", False)
    local = loopback_allowed and parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    if not (secure or local):
        return HTTPS_ONLY
    return host_problem(parts.hostname, port or (443 if parts.scheme == "https" else 80))


def host_problem(host: str, port: int) -> str | None:
    """Why deliveries may not go to `host`: an IP literal that is not public, or a name that
    resolves to any non-public address (one bad answer is enough: the connection may pick it).

    A name that does not resolve (yet) is accepted: DNS can change after registration anyway,
    so what protects internal services is the same check made again on every delivery, on the
    very addresses the worker connects to (`tasks.post`); refusing here would only make
    registering depend on this server's resolver being up."""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if ":" in host or "%" in host:  # an IPv6 literal Python cannot read: not a name either
            return BAD_HOST
        try:
            addresses = resolve(host, port)
        except (UnicodeError, ValueError):  # no valid DNS name (e.g. an empty label)
            return BAD_HOST
        except OSError:  # socket.gaierror: unknown or unreachable name, see above
            return None
    return addresses_problem(host, addresses)


def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address `host` resolves to for a TCP connection (raises socket.gaierror)."""
    return addresses_of(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))


def addresses_of(infos: list) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses of socket.getaddrinfo's answers (an IPv6 zone, `%eth0`, dropped)."""
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def addresses_problem(host: str, addresses) -> str | None:
    """The refusal for the first address of `host` deliveries may not reach, or None."""
    for address in addresses:
        if not deliverable(address):
            return PRIVATE_ADDRESS.format(host=host, address=address)
    return None


def deliverable(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A globally routable unicast address (ipaddress' `is_global`: not private, loopback,
    link-local, shared, documentation or reserved). Loopback too when
    WEBHOOKS_ALLOW_INSECURE_LOOPBACK is on (the tests' local receivers)."""
    if address.version == 6:
        # An IPv4 address written as IPv6 reaches that IPv4 host: judge it as such.
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        elif address in NAT64:
            address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.is_global and not address.is_multicast:
        return True
    loopback_allowed = getattr(settings, "WEBHOOKS_ALLOW_INSECURE_LOOPBACK", False)
    return bool(loopback_allowed and address.is_loopback)


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
