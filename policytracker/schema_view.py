"""The OpenAPI document, built once per process and served from memory with an ETag."""

import hashlib
import threading
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView


@dataclass(frozen=True)
class _Document:
    content: bytes
    content_type: str
    etag: str


class CachedSchemaView(SpectacularAPIView):
    """The OpenAPI document as YAML or JSON (content negotiation). Building it costs seconds of
    CPU, so each process builds each variant (format, active language) once and then serves the
    stored bytes; a deploy restarts the processes and so rebuilds it. It is built without the
    caller's request, as `manage.py spectacular` builds it: the same document for everyone.
    `?lang=` and `?version=` are ignored, so a caller cannot make the process build and keep
    more variants. The ETag lets clients revalidate (ConditionalGetMiddleware answers 304)."""

    _documents: dict[tuple[str, str], _Document] = {}
    _lock = threading.Lock()

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        renderer = request.accepted_renderer
        key = (renderer.media_type, translation.get_language() or "")
        document = self._documents.get(key)
        if document is None:
            with self._lock:  # concurrent first requests build it once
                document = self._documents.get(key) or self._build(renderer)
                self._documents[key] = document
        response = HttpResponse(document.content, content_type=document.content_type)
        response["ETag"] = document.etag
        filename = self._get_filename(request, self.api_version)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response

    def _build(self, renderer) -> _Document:
        with patched_settings(self.custom_settings):
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=self.api_version, patterns=self.patterns
            )
            data = generator.get_schema(request=None, public=self.serve_public)
        # The renderer's own media type, not the Accept header's: `indent=` makes no variant.
        content = renderer.render(data, renderer.media_type, {})
        content_type = renderer.media_type
        if renderer.charset:
            content_type += f"; charset={renderer.charset}"
        digest = hashlib.sha256(content).hexdigest()[:32]
        return _Document(content=content, content_type=content_type, etag=f'"{digest}"')

    @classmethod
    def cache_clear(cls) -> None:
        """Forget the built documents (tests that change what the schema contains)."""
        with cls._lock:
            cls._documents.clear()
