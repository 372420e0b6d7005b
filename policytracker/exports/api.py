"""`/api/v1/exports/`: the bulk data snapshots on disk (policytracker/exports/storage.py), listed,
described and downloaded. Every address of a snapshot names its id and never changes; `latest/`
redirects to the newest (a redirect a shared cache keeps only briefly: a new one comes daily)."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView
from whitenoise.responders import MissingFileError

from policytracker.exports import docs, storage
from policytracker.exports.serving import content_disposition, file_response

NO_SNAPSHOT = "No snapshot with this id."
NO_FILE = "This snapshot has no file of this name."
NO_SNAPSHOTS = "No snapshot has been published yet."


def _absolute(request, route: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(route, kwargs=kwargs))


def _file_url(request, snapshot_id: str, name: str) -> str:
    return _absolute(request, "export-file", snapshot_id=snapshot_id, name=name)


def _zip(request, snapshot_id: str, manifest: dict, sums: dict, sizes: dict) -> dict | None:
    name = storage.zip_file_name(manifest)
    if name is None:
        return None
    zip_info = manifest["zip"]
    return {
        **zip_info,
        "name": name,
        "url": _file_url(request, snapshot_id, name),
        "bytes": sizes.get(name),
        "sha256": sums.get(name),
    }


def snapshot_summary(request, snapshot_id: str) -> dict | None:
    """One entry of the list, or None when the snapshot went away meanwhile."""
    manifest = storage.read_manifest(snapshot_id)
    if manifest is None:
        return None
    sizes = storage.file_sizes(snapshot_id, storage.servable_files(manifest))
    sums = storage.read_checksums(snapshot_id)
    return {
        "id": snapshot_id,
        "generated_at": manifest.get("generated_at"),
        "change_cursor": manifest.get("change_cursor"),
        "schema_version": manifest.get("schema_version"),
        "url": _absolute(request, "export-detail", snapshot_id=snapshot_id),
        "bytes": sum(sizes.values()),
        "counts": manifest.get("counts") or {},
        "zip": _zip(request, snapshot_id, manifest, sums, sizes),
        "manifest_url": _file_url(request, snapshot_id, storage.MANIFEST),
    }


def snapshot_detail(request, snapshot_id: str, manifest: dict) -> dict:
    """The manifest, with the address of every file it lists."""
    servable = storage.servable_files(manifest)
    sizes = storage.file_sizes(snapshot_id, servable)
    sums = storage.read_checksums(snapshot_id)
    files = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
    return {
        **manifest,
        "id": snapshot_id,
        "url": _absolute(request, "export-detail", snapshot_id=snapshot_id),
        "files": {
            name: {**meta, "url": _file_url(request, snapshot_id, name)}
            for name, meta in files.items()
            if name in servable and isinstance(meta, dict)
        },
        "zip": _zip(request, snapshot_id, manifest, sums, sizes),
        "manifest_url": _file_url(request, snapshot_id, storage.MANIFEST),
        "checksums_url": _file_url(request, snapshot_id, storage.CHECKSUMS),
    }


class ExportListView(APIView):
    """The bulk data snapshots, newest first."""

    @extend_schema(
        operation_id="exports_list",
        summary="List bulk data snapshots",
        description=docs.LIST_DESCRIPTION,
        responses={200: docs.ExportListSerializer},
        examples=[docs.LIST_EXAMPLE],
    )
    def get(self, request):
        results = [
            summary
            for snapshot_id in storage.snapshot_ids()
            if (summary := snapshot_summary(request, snapshot_id)) is not None
        ]
        return Response({"latest": results[0]["id"] if results else None, "results": results})


class ExportDetailView(APIView):
    """One snapshot: its manifest, with the address of each file."""

    @extend_schema(
        operation_id="exports_retrieve",
        summary="Get a bulk data snapshot",
        description=docs.DETAIL_DESCRIPTION,
        parameters=[docs.SNAPSHOT_ID_PARAMETER],
        responses={
            200: docs.ExportDetailSerializer,
            (404, docs.PROBLEM_TYPE): docs.DETAIL_NOT_FOUND,
        },
        examples=[docs.DETAIL_EXAMPLE],
    )
    def get(self, request, snapshot_id: str):
        manifest = storage.read_manifest(snapshot_id)
        if manifest is None:
            raise NotFound(NO_SNAPSHOT)
        return Response(snapshot_detail(request, snapshot_id, manifest))


class StoredBytesNegotiation(BaseContentNegotiation):
    """A file is served as stored whatever Accept asks; an error is problem JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportFileView(APIView):
    """One file of a snapshot, streamed from disk, with byte ranges and conditional GET."""

    content_negotiation_class = StoredBytesNegotiation

    @extend_schema(
        operation_id="exports_file_retrieve",
        summary="Download a file of a snapshot",
        description=docs.FILE_DESCRIPTION,
        parameters=[docs.SNAPSHOT_ID_PARAMETER, docs.FILE_NAME_PARAMETER, *docs.FILE_HEADERS],
        responses=docs.FILE_RESPONSES,
    )
    def get(self, request, snapshot_id: str, name: str):
        manifest = storage.read_manifest(snapshot_id)
        if manifest is None:
            raise NotFound(NO_SNAPSHOT)
        found = storage.snapshot_file(snapshot_id, name, manifest=manifest)
        if found is None:
            raise NotFound(NO_FILE)
        path, media_type = found
        zip_name = storage.zip_file_name(manifest)
        try:
            return file_response(
                request,
                path=path,
                media_type=media_type,
                disposition=content_disposition(snapshot_id, name, zip_name=zip_name),
                sha256=storage.read_checksums(snapshot_id).get(name),
            )
        except (MissingFileError, FileNotFoundError) as gone:  # pruned meanwhile
            raise NotFound(NO_SNAPSHOT) from gone


def _latest() -> str:
    ids = storage.snapshot_ids()
    if not ids:
        raise NotFound(NO_SNAPSHOTS)
    return ids[0]


class LatestExportView(APIView):
    """The newest snapshot, by redirect."""

    @extend_schema(
        operation_id="exports_latest_retrieve",
        summary="Go to the newest bulk data snapshot",
        description=docs.LATEST_DESCRIPTION,
        parameters=[docs.LOCATION],
        responses=docs.LATEST_RESPONSES,
    )
    def get(self, request):
        return HttpResponseRedirect(_absolute(request, "export-detail", snapshot_id=_latest()))


class LatestExportFileView(APIView):
    """A file of the newest snapshot, by redirect."""

    content_negotiation_class = StoredBytesNegotiation

    @extend_schema(
        operation_id="exports_latest_file_retrieve",
        summary="Go to a file of the newest bulk data snapshot",
        description=docs.LATEST_FILE_DESCRIPTION,
        parameters=[docs.FILE_NAME_PARAMETER, docs.LOCATION],
        responses=docs.LATEST_FILE_RESPONSES,
    )
    def get(self, request, name: str):
        snapshot_id = _latest()
        if storage.snapshot_file(snapshot_id, name) is None:
            raise NotFound(NO_FILE)
        return HttpResponseRedirect(_file_url(request, snapshot_id, name))
