"""One door for writes: no module outside a `services` module writes a model.

Reads the project's own source (not the tests, not migrations) and lists every call that saves,
deletes, creates or bulk-updates rows. A view, an admin, a command or the seed loader that needs
a write calls a service instead.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["bills", "sources", "policytracker"]
WRITE_METHODS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "save_m2m",
}


def is_services_module(path: Path) -> bool:
    return path.name == "services.py" or "services" in path.parent.parts


def project_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and not is_services_module(path)
    )


def queryset_update(call: ast.Call) -> bool:
    """`<queryset>.update(...)`: the receiver is a manager or a queryset method chain."""
    receiver = call.func.value
    if isinstance(receiver, ast.Attribute) and receiver.attr == "objects":
        return True
    return isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute)


def writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        if name in WRITE_METHODS or (name == "update" and queryset_update(node)):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{name}(...)")
    return found


def test_the_guard_sees_the_services_writes():
    # Proves the scan finds writes at all: the services are full of them.
    services = [ROOT / "policytracker" / "services.py", ROOT / "bills" / "services" / "status.py"]
    assert all(writes_in(path) for path in services)


@pytest.mark.parametrize("path", project_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_writes_only_through_services(path):
    assert writes_in(path) == []


# Django's ModelAdmin writes by itself unless these are overridden: each must be, by every
# admin of our models, with a body that calls the services.
ADMIN_WRITE_HOOKS = [
    "save_model",
    "delete_model",
    "save_related",
    "save_formset",
    "delete_queryset",
]


def our_model_admins():
    from django.contrib import admin

    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"bills", "sources"}
    ]


@pytest.mark.parametrize("hook", ADMIN_WRITE_HOOKS)
def test_every_model_admin_replaces_djangos_own_writes(hook):
    from django.contrib.admin import ModelAdmin

    inherited = [
        type(model_admin).__name__
        for model_admin in our_model_admins()
        if getattr(type(model_admin), hook) is getattr(ModelAdmin, hook)
    ]
    assert inherited == []


def services_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if is_services_module(path) and "migrations" not in path.parts
    )


@pytest.mark.parametrize("path", services_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_know_no_http(path):
    """Services raise domain errors; the API and the admin translate them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    http = {name for name in imported if name.split(".")[0] in {"rest_framework", "django.http"}}
    http |= {name for name in imported if name in {"policytracker.problems", "django.http"}}
    assert http == set()
