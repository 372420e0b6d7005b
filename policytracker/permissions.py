"""Who may do what: anyone reads; writes follow Django model permissions (the Curators group)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

METHOD_PERMISSION = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class ReadOnlyOrModelPermissions(BasePermission):
    """Safe methods for everyone (visibility of drafts is the selectors' job); unsafe methods
    need an authenticated user holding the model permission for the action.

    A view names its model in `permission_model` and may map custom actions to a permission
    kind in `action_permissions` (e.g. publishing is a change, recording a status change too).
    """

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not user or not user.is_authenticated:
            return False
        model = getattr(view, "permission_model", None)
        if model is None:
            return False
        action = getattr(view, "action", None)
        kind = getattr(view, "action_permissions", {}).get(action) or METHOD_PERMISSION.get(
            request.method
        )
        if kind is None:
            return False
        return user.has_perm(f"{model._meta.app_label}.{kind}_{model._meta.model_name}")
