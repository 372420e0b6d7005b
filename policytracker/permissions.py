"""Who may do what: anyone reads; writes follow Django model permissions (the Curators group).

A write needs the permission of every model it writes, nested rows included, and is refused
(403 naming what is missing) before anything is written:

- the view's own model: `permission_model`, with the kind from the HTTP method or, for custom
  actions, from `action_permissions` (publishing is a change, recording a status change too);
- nested input fields: `nested_permissions` maps an action to the input fields that write other
  models and the permissions those writes need (`sources: [...]` adds citations). A field
  counts when the request sends it, even empty: an empty stance list removes stances;
- the records a publish takes along (`?with_dependents=1`): `require_change_of(...)`, called
  by `PublishMixin` with `visibility.draft_dependents(record)` before publishing.
"""

from collections.abc import Iterable, Mapping

from django.db import models
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

METHOD_PERMISSION = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}

# What nested input fields write. Nested citations are only ever added, on create and on update
# (removing one is `DELETE /citations/{id}/`). Stances are added on create; on update the list
# replaces the current stances, so it may add, change and remove them.
NestedPermissions = dict[str, tuple[str, ...]]
CITATIONS: NestedPermissions = {"sources": ("sources.add_citation",)}
STANCES_ADDED: NestedPermissions = {"bills": ("bills.add_statementbill",)}
STANCES_REPLACED: NestedPermissions = {
    "bills": (
        "bills.add_statementbill",
        "bills.change_statementbill",
        "bills.delete_statementbill",
    )
}
# A stance's `sources` are given whole: they replace that stance's citations.
STANCE_CITATIONS: NestedPermissions = {
    "bills[].sources": (
        "sources.add_citation",
        "sources.change_citation",
        "sources.delete_citation",
    )
}


def curated_nested(
    *, create: NestedPermissions, update: NestedPermissions
) -> dict[str, NestedPermissions]:
    """`nested_permissions` for a curated viewset's create and (partial) update."""
    return {"create": create, "update": update, "partial_update": update}


def permission_name(model: type[models.Model], kind: str) -> str:
    return f"{model._meta.app_label}.{kind}_{model._meta.model_name}"


def require(user, permissions: Iterable[str], *, why: str = "") -> None:
    """Refuse (403) unless `user` holds every one of `permissions`; the refusal names the
    missing ones."""
    missing = sorted({name for name in permissions if not user.has_perm(name)})
    if missing:
        reason = f" ({why})" if why else ""
        raise PermissionDenied(f"Missing permission{reason}: {', '.join(missing)}.")


def require_change_of(user, records: Iterable[models.Model], *, why: str = "") -> None:
    """Refuse unless `user` may change every record of `records` (each by its model)."""
    require(user, {permission_name(type(record), "change") for record in records}, why=why)


def nested_fields_sent(view, data) -> dict[str, tuple[str, ...]]:
    """The nested input fields of this request, with the permissions each needs."""
    declared = getattr(view, "nested_permissions", {}).get(getattr(view, "action", None), {})
    if not isinstance(data, Mapping):
        return {}  # not an object: the input serializer refuses it (400)
    return {name: needed for name, needed in declared.items() if _sent(name, data)}


def _sent(name: str, data: Mapping) -> bool:
    """Whether the request sends field `name`; `list[].field` is a field of any item of a
    nested list (a stance's `sources` inside `bills`)."""
    if "[]." not in name:
        return name in data
    outer, inner = name.split("[].", 1)
    items = data.get(outer)
    return isinstance(items, list) and any(
        isinstance(item, Mapping) and inner in item for item in items
    )


class ReadOnlyOrModelPermissions(BasePermission):
    """Safe methods for everyone (visibility of drafts is the selectors' job); unsafe methods
    need an authenticated user holding the permission of every model the write touches (see
    the module docstring)."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not user or not user.is_authenticated:
            return False
        model = getattr(view, "permission_model", None)
        action = getattr(view, "action", None)
        kind = getattr(view, "action_permissions", {}).get(action) or METHOD_PERMISSION.get(
            request.method
        )
        if model is None or kind is None:
            return False
        require(user, [permission_name(model, kind)])
        for field, needed in nested_fields_sent(view, request.data).items():
            require(user, needed, why=f"to write `{field}`")
        return True
