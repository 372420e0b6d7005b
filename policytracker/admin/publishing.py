"""The publish actions, through the publish service and its draft-dependents rule."""

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext

from policytracker.admin.curated import CuratedAdmin
from policytracker.errors import DomainError
from policytracker.services import record_publish, record_unpublish

# -- publishing -----------------------------------------------------------------------------------


class PublishableAdmin(CuratedAdmin):
    """Adds the publish workflow to the admin of a model with `is_published`: the flag changes
    only through the publish actions (record_publish refuses while dependents are drafts)."""

    actions = ["publish_selected", "publish_selected_with_dependents", "unpublish_selected"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if "is_published" in readonly else [*readonly, "is_published"]

    @admin.action(permissions=["change"], description="Publish selected %(verbose_name_plural)s")
    def publish_selected(self, request, queryset):
        self._set_published(request, queryset, published=True)

    @admin.action(
        permissions=["change"],
        description="Publish selected %(verbose_name_plural)s with the drafts they depend on",
    )
    def publish_selected_with_dependents(self, request, queryset):
        self._set_published(request, queryset, published=True, with_dependents=True)

    @admin.action(permissions=["change"], description="Unpublish selected %(verbose_name_plural)s")
    def unpublish_selected(self, request, queryset):
        self._set_published(request, queryset, published=False)

    def _set_published(
        self, request, queryset, *, published: bool, with_dependents: bool = False
    ) -> None:
        # Plain rows by pk: the changelist's outer joins must not reach the services' row locks.
        records = list(
            self.model._default_manager.filter(pk__in=queryset.values("pk")).order_by("pk")
        )
        selected = {record.pk for record in records}
        already = {record.pk for record in records if record.is_published == published}
        state = "published" if published else "unpublished"
        changed: set[tuple[str, int]] = set()
        refused = 0
        for record in records:
            if record.pk in already or (self.opts.label, record.pk) in changed:
                continue
            try:
                if published:
                    written = record_publish(record=record, with_dependents=with_dependents)
                else:
                    written = record_unpublish(record=record)
            except DomainError as error:
                self.message_user(request, f"“{record}” was not {state}: {error}", messages.ERROR)
                refused += 1
                continue
            changed |= {(r._meta.label, r.pk) for r in written}
        if refused and refused == len(records) - len(already):
            return  # every record tried was refused: the errors say it all
        own = sum(1 for label, pk in changed if label == self.opts.label and pk in selected)
        dependents = len(changed) - own
        message = f"{state.capitalize()} {own} {model_ngettext(self.opts, own)}"
        if dependents:
            message += f", with {dependents} draft{'s' if dependents != 1 else ''} they depend on"
        message += "."
        if already:
            were = "was" if len(already) == 1 else "were"
            message += f" {len(already)} {were} already {state}."
        self.message_user(request, message, messages.SUCCESS if own else messages.WARNING)
