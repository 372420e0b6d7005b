"""Liveness and readiness probes for load balancers and orchestrators."""

from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse

from policytracker.cache_guard import CACHE_ERRORS, cache_failed
from policytracker.db_router import replica_status

READINESS_KEY = "readyz-probe"


def healthz(request):
    """The process is alive and serving requests."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """The primary answers (503 with Retry-After when it does not). The cache only holds rate
    limits and the replica only spares the primary some reads, so without either the service
    still serves: 200, reported as "degraded". `replica` is "none" when none is configured."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = JsonResponse({"status": "unavailable", "database": "down"}, status=503)
        response["Retry-After"] = "5"
        return response
    report = {"status": "ok", "database": "up", "cache": "up", "replica": replica_status()}
    try:
        cache.get(READINESS_KEY)
    except CACHE_ERRORS as error:
        cache_failed(error, "readiness reports the cache as down")
        report["cache"] = "down"
    if report["cache"] == "down" or report["replica"] in {"down", "lagging"}:
        report["status"] = "degraded"
    return JsonResponse(report)
