"""What a citation backs, as curators choose it: the kind of record among the citable kinds only,
then the record itself by typing part of its name (an autocomplete that searches the kind's own
admin, needs its view permission and lists drafts only to those who may see them)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator, capfirst

from policytracker import visibility
from sources.models import citable_content_types

TARGET_URL_NAME = "sources_citation_target_autocomplete"
PAGE_SIZE = 20
NOT_CITABLE_KIND = "Choose a kind of record that can cite a source."
LABEL_CHARS = 90


def kind_label(model: type[models.Model]) -> str:
    return capfirst(model._meta.verbose_name)


def record_label(record: models.Model) -> str:
    """A record as curators read it in lists: its kind, its name and its id."""
    return f"{kind_label(type(record))}: {Truncator(str(record)).chars(LABEL_CHARS)} (#{record.pk})"


def record_admin_url(record: models.Model, admin_site: admin.AdminSite) -> str | None:
    """The record's change page in `admin_site`, if it has one."""
    opts = record._meta
    if not admin_site.is_registered(type(record)):
        return None
    try:
        return reverse(
            f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[quote(record.pk)],
        )
    except NoReverseMatch:
        return None


def with_names(queryset: models.QuerySet, model_admin: admin.ModelAdmin) -> models.QuerySet:
    """`queryset` with what its records' names need: the relations their admin's list selects."""
    related = model_admin.list_select_related
    if related is True:
        return queryset.select_related()
    return queryset.select_related(*related) if related else queryset


# -- the form fields --------------------------------------------------------------------------


class CitableKindField(forms.ModelChoiceField):
    """The citable kinds only (bill, statement, person …), named as the admin names them. The
    kinds are read when a form is made (`citable_kinds`), not when this module is imported."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=ContentType.objects.none(),
            label="Kind of record",
            help_text="What kind of record this citation backs.",
            error_messages={"invalid_choice": NOT_CITABLE_KIND},
            **kwargs,
        )

    def label_from_instance(self, content_type: ContentType) -> str:
        model = content_type.model_class()
        return kind_label(model) if model else str(content_type)


class CitationTargetSelect(forms.Select):
    """The record, chosen by typing part of its name; sources/static/curation/citation_target.js
    asks the autocomplete for the kind chosen in the field whose id is `data-kind-field`."""

    template_name = "django/forms/widgets/select.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "citation-target", **(attrs or {})})

    @property
    def media(self):
        # The admin's own jQuery and Select2 (as its autocompletes load them), then ours.
        return forms.Media(
            js=[
                "admin/js/vendor/jquery/jquery.js",
                "admin/js/vendor/select2/select2.full.js",
                "admin/js/jquery.init.js",
                "curation/citation_target.js",
            ],
            css={"screen": ["admin/css/vendor/select2/select2.css", "admin/css/autocomplete.css"]},
        )


def target_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Record",
        min_value=1,
        widget=CitationTargetSelect(),
        help_text="Choose the kind first, then type part of the record's name (or its id).",
    )


def citable_kinds() -> models.QuerySet:
    return ContentType.objects.filter(citable_content_types()).order_by("model")


def show_current_target(form: forms.ModelForm, admin_site: admin.AdminSite) -> None:
    """Give the record picker its autocomplete address and the chosen record as its one option
    (the posted one on a form shown again, else the citation's own)."""
    widget = form.fields["object_id"].widget
    widget.attrs["data-url"] = reverse(f"{admin_site.name}:{TARGET_URL_NAME}")
    widget.attrs["data-kind-field"] = form["content_type"].auto_id
    widget.attrs["data-placeholder"] = "Type to search"
    kind, record_id = form["content_type"].value(), form["object_id"].value()
    choices = [("", "---------")]
    record = _chosen_record(kind, record_id)
    if record is not None:
        choices.append((str(record.pk), record_label(record)))
    elif record_id not in (None, ""):
        choices.append((str(record_id), f"#{record_id}"))  # refused below, named as posted
    widget.choices = choices


def _chosen_record(kind, record_id) -> models.Model | None:
    try:
        content_type = ContentType.objects.filter(citable_content_types()).get(pk=int(kind))
        return content_type.model_class()._default_manager.filter(pk=int(record_id)).first()
    except (TypeError, ValueError, ContentType.DoesNotExist):
        return None


# -- the autocomplete view --------------------------------------------------------------------


def target_autocomplete(request: HttpRequest, admin_site: admin.AdminSite) -> JsonResponse:
    """Records of one citable kind matching `term`, searched as that kind's own admin searches
    (its queryset, search fields and view permission), in Select2's format."""
    content_type = _citable_kind(request.GET.get("content_type", ""))
    if content_type is None:
        return JsonResponse({"error": NOT_CITABLE_KIND}, status=400)
    model = content_type.model_class()
    model_admin = admin_site.get_model_admin(model)
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    term = request.GET.get("term", "").strip()
    # The kind's admin list, through the read gate: drafts only for those who may see them.
    visible = model._default_manager.visible_to(request.user).values("pk")
    rows = with_names(model_admin.get_queryset(request), model_admin).filter(pk__in=visible)
    if term:
        found, _ = model_admin.get_search_results(request, rows, term)
        match = Q(pk__in=found.values("pk"))
        if term.isdigit():
            match |= Q(pk=int(term))
        rows = rows.filter(match)
    if not rows.ordered:
        rows = rows.order_by("pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page") or 1)
    return JsonResponse(
        {
            "results": [{"id": str(record.pk), "text": record_label(record)} for record in page],
            "pagination": {"more": page.has_next()},
        }
    )


def _citable_kind(value: str) -> ContentType | None:
    if not value.isdigit():
        return None
    content_type = ContentType.objects.filter(citable_content_types(), pk=int(value)).first()
    if content_type is None or content_type.model_class() not in visibility.citable_models():
        return None
    return content_type
