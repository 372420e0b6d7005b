"""Production hardening: deploy checks, security headers, CORS, throttling, admin lockout."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "p3rf3ctly-r4nd0m-l00k1ng-s3cr3t-k3y-for-the-deploy-check-0123",
    "ALLOWED_HOSTS": "api.example.org",
}


def test_check_deploy_is_silent_under_production_settings():
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "policytracker.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.django_db
class TestHeaders:
    def test_security_headers_on_api_responses(self, client):
        response = client.get("/api/v1/bills/")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'"  # no inline scripts anywhere

    @pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/admin/login/"])
    def test_docs_and_admin_need_no_inline_script(self, client, path):
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        # Every <script> must load a file (allowed by script-src 'self'), none inline.
        for chunk in html.split("<script")[1:]:
            tag, _, rest = chunk.partition(">")
            assert "src=" in tag or rest.lstrip().startswith("</script>"), (path, tag)

    @pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/api/docs/?script="])
    def test_docs_pages_name_no_other_host(self, client, path):
        """No CDN, no web fonts (drf-spectacular's Redoc page loads Google Fonts), no online
        validator: the browser test (tests/test_docs_browser.py) records the requests."""
        text = client.get(path).content.decode()
        assert re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", text) == []
        assert "googleapis" not in text and "validator.swagger.io" not in text

    def test_swagger_setup_script_is_served(self, client):
        response = client.get("/api/docs/?script=")
        assert response.status_code == 200
        assert "SwaggerUIBundle" in response.content.decode()


@pytest.mark.django_db
class TestCors:
    def test_anonymous_get_is_open_to_any_origin(self, client):
        response = client.get("/api/v1/bills/", HTTP_ORIGIN="https://watchdog.example")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert "ETag" in response["Access-Control-Expose-Headers"]

    def test_credentialed_writes_are_not_allowed_cross_origin(self, client):
        response = client.options(
            "/api/v1/bills/",
            HTTP_ORIGIN="https://watchdog.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
        )
        allowed_methods = response.get("Access-Control-Allow-Methods", "")
        allowed_headers = response.get("Access-Control-Allow-Headers", "")
        assert "POST" not in allowed_methods
        assert "authorization" not in allowed_headers.lower()

    def test_admin_is_not_cors_enabled(self, client):
        response = client.get("/admin/login/", HTTP_ORIGIN="https://watchdog.example")
        assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
class TestThrottling:
    def test_anonymous_clients_get_429_with_retry_after(self, client, settings):
        settings.API_THROTTLE_RATES = {"anonymous": "3/minute", "user": "100/minute"}
        statuses = [client.get("/api/v1/statuses/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = client.get("/api/v1/statuses/")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert response["X-RateLimit-Limit"] == "3"
        assert response["X-RateLimit-Remaining"] == "0"
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 429

    def test_the_schema_and_docs_pages_are_not_counted(self, client, settings):
        settings.API_THROTTLE_RATES = {"anonymous": "2/minute", "user": "100/minute"}
        for path in ["/api/schema/", "/api/docs/", "/api/redoc/", "/api/docs/?script="] * 3:
            response = client.get(path)
            assert response.status_code == 200 and "X-RateLimit-Remaining" not in response
        statuses = [client.get("/api/v1/statuses/").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]  # the API's budget was untouched

    def test_headers_count_down(self, client, settings):
        settings.API_THROTTLE_RATES = {"anonymous": "10/minute", "user": "100/minute"}
        first = client.get("/api/v1/statuses/")
        second = client.get("/api/v1/statuses/")
        assert (first["X-RateLimit-Remaining"], second["X-RateLimit-Remaining"]) == ("9", "8")

    def test_tokens_are_limited_per_user_not_per_address(self, settings):
        settings.API_THROTTLE_RATES = {"anonymous": "1/minute", "user": "2/minute"}
        clients = []
        for name in ("alice", "bob"):
            client = APIClient()
            user = User.objects.create_user(name, is_staff=True)
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
            clients.append(client)
        alice, bob = clients
        assert [alice.get("/api/v1/statuses/").status_code for _ in range(3)] == [200, 200, 429]
        assert bob.get("/api/v1/statuses/").status_code == 200  # same address, own budget

    def test_counters_use_redis_when_configured(self, client, settings):
        try:
            socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        except OSError:
            pytest.skip("no Redis server on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
                "KEY_PREFIX": f"pt-test-{os.getpid()}",
            }
        }
        settings.API_THROTTLE_RATES = {"anonymous": "2/minute", "user": "100/minute"}
        cache.clear()
        try:
            statuses = [client.get("/api/v1/statuses/").status_code for _ in range(3)]
            assert statuses == [200, 200, 429]
            keys = cache._cache.get_client().keys(f"pt-test-{os.getpid()}*")
            assert any(b"throttle_anonymous" in key for key in keys)
        finally:
            cache.clear()


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client, settings):
    User.objects.create_superuser("admin", password="correct horse battery")
    statuses = [
        client.post(
            "/admin/login/?next=/admin/", {"username": "admin", "password": "wrong"}
        ).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The form again with an error, until the limit is reached and the pair is locked out.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": "correct horse battery"}
    )
    assert locked.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in


@pytest.mark.django_db
def test_admin_lockout_behind_a_proxy_locks_the_client_not_the_proxy(client, settings):
    settings.NUM_PROXIES = 1
    User.objects.create_superuser("admin", password="correct horse battery")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": "admin", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other_client = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": "correct horse battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert other_client.status_code == 302  # logged in: only the guesser is locked out
