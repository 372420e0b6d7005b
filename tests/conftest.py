import factory.random
import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _seeded_factories():
    # Deterministic factory data: a failing test fails the same way every run.
    factory.random.reseed_random("policytracker")


@pytest.fixture(autouse=True)
def _default_language():
    # A request leaves its language active in the thread (as each server thread's next request
    # sets its own); a test starts and ends in the default one.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache; every test starts with a full budget.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    # Factories write rows without the change log, and query budgets measure the rendering
    # path; tests/test_response_cache.py turns the cache on.
    settings.RESPONSE_CACHE_ENABLED = False


@pytest.fixture(autouse=True)
def _exports_in_a_temporary_folder(settings, tmp_path_factory):
    # Snapshots a test (or the worker's round) writes never land in the checkout.
    settings.EXPORTS_ROOT = tmp_path_factory.mktemp("exports")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def curator_client(db):
    """An API client signed in with the token of a staff member of the Curators group."""
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    user = User.objects.create_user("fixture-curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client
