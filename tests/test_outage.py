"""The API survives a real PostgreSQL outage: 503 while it is down, recovery without restart.

A private embedded PostgreSQL (pgserver) is started, the service runs against it under
gunicorn, and the test stops and restarts that server underneath the running service.
"""

import json

import pytest

from tests.live import get, private_postgres, running_service, service_env

pytest.importorskip("pgserver")


def stop(server) -> None:
    from pgserver._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def test_api_answers_503_during_an_outage_and_recovers():
    with (
        private_postgres("outage") as server,
        running_service(service_env(server.get_uri("outage"))) as service,
    ):
        status, _, body = get(f"{service}/api/v1/bills/")
        assert status == 200
        assert len(json.loads(body)["results"]) == 7

        stop(server)
        status, headers, body = get(f"{service}/api/v1/bills/")
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert headers["Content-Type"] == "application/problem+json"
        assert json.loads(body)["title"] == "Service unavailable"
        assert get(f"{service}/readyz")[0] == 503
        assert get(f"{service}/healthz")[0] == 200
        assert get(f"{service}/api/v1/statements/?q=terrorism")[0] == 503

        server.ensure_postgres_running()
        status, _, body = get(f"{service}/api/v1/bills/")
        assert status == 200, body
        assert len(json.loads(body)["results"]) == 7  # nothing lost
        assert get(f"{service}/readyz")[0] == 200
