"""The site's translations for tests run without the build (make install compiles them)."""

import contextlib
import shutil
from collections.abc import Iterator

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

IGNORED_BY_COMPILEMESSAGES = [".venv", ".pgdata", "staticfiles", "var", "node_modules"]


@contextlib.contextmanager
def compiled_catalogs() -> Iterator[None]:
    """Compile locale/*.po when newer than their .mo, then reload the catalogs (Django does on
    a LOCALE_PATHS change) for the duration. Without msgfmt, the catalogs `make messages`
    compiled (with Babel) are used as they are."""
    if shutil.which("msgfmt"):
        call_command("compilemessages", ignore_patterns=IGNORED_BY_COMPILEMESSAGES, verbosity=0)
    with override_settings(LOCALE_PATHS=[*settings.LOCALE_PATHS]):
        yield
