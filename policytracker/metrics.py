"""`/metrics` for Prometheus, for the network the app runs in only.

A scrape is allowed when the TCP peer (REMOTE_ADDR, never X-Forwarded-For, which a client
writes) is a loopback or private address and the request did not come through a proxy, or
when it carries `Authorization: Bearer <METRICS_TOKEN>`. Under gunicorn with several workers
the figures are summed over all of them (PROMETHEUS_MULTIPROC_DIR, policytracker/gunicorn_conf.py).
"""

import hmac
import ipaddress

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView

from policytracker.problems import PROBLEM_CONTENT_TYPE, problem

INTERNAL_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
) + tuple(ipaddress.ip_network(network) for network in ("::1/128", "fc00::/7"))


def is_internal(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in INTERNAL_NETWORKS if network.version == ip.version)


def has_metrics_token(request) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    # Bytes: compare_digest refuses str with non-ASCII characters (a header may carry them).
    return hmac.compare_digest(given.encode(), token.encode())


def may_scrape(request) -> bool:
    if has_metrics_token(request):
        return True
    # Through the proxy the peer is the proxy, an internal address: the client is outside.
    forwarded = "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META
    return not forwarded and is_internal(request.META.get("REMOTE_ADDR", ""))


@require_safe
def metrics(request):
    """The Prometheus text exposition of this instance's request and response counters."""
    if not may_scrape(request):
        body = problem(
            403,
            "Metrics are served to internal addresses or with the metrics bearer token.",
            instance=request.path,
        )
        return JsonResponse(body, status=403, content_type=PROBLEM_CONTENT_TYPE)
    return ExportToDjangoView(request)
