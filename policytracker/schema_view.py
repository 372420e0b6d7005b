"""The OpenAPI document, built once per process (at start, policytracker/wsgi.py) and served
from memory with an ETag, gzip-compressed for clients that accept it, outside the rate limits;
and the Swagger UI and Redoc pages around it."""

import gzip
import hashlib
import json
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.settings import patched_settings, spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Document:
    content: bytes
    compressed: bytes
    content_type: str
    etag: str


class CachedSchemaView(SpectacularAPIView):
    """The OpenAPI document as YAML or JSON (content negotiation). Generating it costs seconds
    of CPU, so each process generates it once (wsgi.py does it at start, before the first
    request) and renders each format once; a deploy restarts the processes and so rebuilds it.
    It is generated without the caller's request, as `manage.py spectacular` builds it, in
    the default language: the same document for everyone. `?lang=` and `?version=` are
    ignored, so a caller cannot make the process build and keep more variants. The ETag lets
    clients revalidate (ConditionalGetMiddleware answers 304); a client that accepts gzip gets
    the compressed bytes, stored too (about 40 kB instead of 600). Loading it is not counted
    against the caller's rate limit: the docs pages fetch it on every visit, and serving it
    costs no more than a static file."""

    throttle_classes = []
    _data: dict | None = None
    _documents: dict[str, _Document] = {}
    _lock = threading.Lock()

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        document = self.document(request.accepted_renderer)
        zipped = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        response = HttpResponse(
            document.compressed if zipped else document.content,
            content_type=document.content_type,
        )
        patch_vary_headers(response, ("Accept-Encoding",))
        response["ETag"] = document.etag
        if zipped:
            response["Content-Encoding"] = "gzip"
            response["ETag"] = f"W/{document.etag}"  # as Django's gzip marks other encodings
        filename = self._get_filename(request, self.api_version)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def document(self, renderer) -> _Document:
        document = self._documents.get(renderer.media_type)
        if document is None:
            with self._lock:  # concurrent first requests build it once
                document = self._documents.get(renderer.media_type) or self._render(renderer)
                self._documents[renderer.media_type] = document
        return document

    def _generate(self) -> dict:
        if CachedSchemaView._data is None:
            with (
                patched_settings(self.custom_settings),
                translation.override(settings.LANGUAGE_CODE),
            ):
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=self.api_version, patterns=self.patterns
                )
                CachedSchemaView._data = generator.get_schema(
                    request=None, public=self.serve_public
                )
        return CachedSchemaView._data

    def _render(self, renderer) -> _Document:
        # The renderer's own media type, not the Accept header's: `indent=` makes no variant.
        content = renderer.render(self._generate(), renderer.media_type, {})
        content_type = renderer.media_type
        if renderer.charset:
            content_type += f"; charset={renderer.charset}"
        digest = hashlib.sha256(content).hexdigest()[:32]
        # mtime=0: the same bytes in every process (the ETag names both encodings).
        compressed = gzip.compress(content, compresslevel=9, mtime=0)
        return _Document(content, compressed, content_type, etag=f'"{digest}"')

    @classmethod
    def prebuild(cls) -> None:
        """Generate the document and render it as JSON (what the docs pages load), so the first
        visitor does not wait for it. A failure is logged, not raised: the API keeps serving,
        and /api/schema/ retries (and answers 500) on its first request."""
        view = cls()
        json_renderer = next(r for r in view.renderer_classes if "json" in r.media_type)()
        try:
            view.document(json_renderer)
        except Exception:
            logger.exception("The OpenAPI document could not be built at start")

    @classmethod
    def cache_clear(cls) -> None:
        """Forget the built document (tests that change what the schema contains)."""
        with cls._lock:
            cls._data = None
            cls._documents.clear()


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), its setup script served
    as a file so the CSP needs no inline script; the page is not counted against the caller's
    rate limit (its "Try it out" requests are)."""

    throttle_classes = []


class RedocView(SpectacularRedocView):
    """Redoc from our own static files, without the web fonts drf-spectacular's template loads
    from Google and without Redocly's logo from its CDN (`?script`, loaded first, keeps images
    to this host); its options (REDOC_UI_SETTINGS) are attributes of the <redoc> element rather
    than an inline script, which the CSP forbids."""

    throttle_classes = []
    template_name = "docs/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if "script" in request.GET:
            script = render_to_string("docs/redoc-offline.js")
            return HttpResponse(script, content_type="application/javascript")
        response = super().get(request, *args, **kwargs)
        response.data["attributes"] = redoc_attributes(spectacular_settings.REDOC_UI_SETTINGS)
        response.data["offline_script"] = f"{request.path}?script"
        # Swagger UI's icon (SWAGGER_UI_FAVICON_HREF), so the browser asks for no /favicon.ico.
        response.data["favicon_href"] = SwaggerView._swagger_ui_favicon()
        return response


def redoc_attributes(options: dict) -> list[tuple[str, str]]:
    """Redoc options as the element's attributes: `expandResponses` → `expand-responses`;
    Redoc reads `theme` as JSON, every other value as text."""
    attributes = []
    for name, value in options.items():
        kebab = "".join(f"-{c.lower()}" if c.isupper() else c for c in name)
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, dict | list):
            value = json.dumps(value)
        attributes.append((kebab, str(value)))
    return attributes
