"""The one gate for drafts: which records a caller may see, and which drafts a record depends on.

Every model declares its rule here with `register()`, right below its class:

- its own `is_published` flag, if it has one (detected from the model);
- `requires`: links whose target must be visible for the record to be visible at all (a
  sponsorship of a draft bill is hidden; a null link passes);
- `references`: optional links shown inside the record (a statement's event); a hidden target is
  served as `null`, never its content;
- `parts`: reverse relations shown as part of the record (a bill's sponsorships and actions), so
  publishing the record must consider them;
- `generic_record`: the record is about another record through (content_type, object_id) — a
  citation is visible only when the record it cites is.

Reads ask `Model.objects.visible_to(user)` (a queryset filter built by `public_q`) or, for an
object already loaded, `is_public(obj)`: both derive from the same declaration. Seeing drafts is
the `DRAFTS_PERMISSION`, which the Curators group holds; `is_staff` alone grants nothing.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

DRAFTS_PERMISSION = "bills.view_drafts"


def can_see_drafts(user) -> bool:
    """Whether `user` may see unpublished records (a permission, not `is_staff`)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm(DRAFTS_PERMISSION)
    )


@dataclass(frozen=True)
class Rule:
    has_flag: bool
    requires: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    generic_record: bool = False


_RULES: dict[type[models.Model], Rule] = {}


def register(
    model: type[models.Model],
    *,
    requires: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
    parts: tuple[str, ...] = (),
    generic_record: bool = False,
) -> None:
    """Declare the visibility rule of `model` (see the module docstring)."""
    has_flag = any(field.name == "is_published" for field in model._meta.fields)
    _RULES[model] = Rule(has_flag, tuple(requires), tuple(references), tuple(parts), generic_record)


def rule_for(model: type[models.Model]) -> Rule:
    model = model._meta.concrete_model
    try:
        return _RULES[model]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} has no visibility rule.") from None


def citable_models() -> list[type[models.Model]]:
    """Registered models that carry citations (a `citations` generic relation)."""
    return [
        model
        for model in _RULES
        if any(field.name == "citations" for field in model._meta.private_fields)
    ]


def public_q(model: type[models.Model], prefix: str = "") -> Q:
    """The condition a row of `model` (reached through `prefix`) meets when it is public."""
    rule = rule_for(model)
    condition = Q(**{f"{prefix}is_published": True}) if rule.has_flag else Q()
    for name in rule.requires:
        field = model._meta.get_field(name)
        target = public_q(field.related_model, f"{prefix}{name}__")
        condition &= (Q(**{f"{prefix}{name}__isnull": True}) | target) if field.null else target
    if rule.generic_record:
        if prefix:
            raise ImproperlyConfigured("A generic record's visibility is only checked directly.")
        condition &= _generic_record_q()
    return condition


def _generic_record_q() -> Q:
    content_types = ContentType.objects.get_for_models(*citable_models())
    condition = Q(pk__in=[])
    for model, content_type in content_types.items():
        public = model._default_manager.filter(public_q(model)).values("pk")
        condition |= Q(content_type=content_type, object_id__in=public)
    return condition


def is_public(obj: models.Model) -> bool:
    """`public_q` for an object already loaded (select the required links to avoid queries)."""
    rule = rule_for(type(obj))
    if rule.has_flag and not obj.is_published:
        return False
    for name in rule.requires:
        field = obj._meta.get_field(name)
        if getattr(obj, field.attname) is not None and not is_public(getattr(obj, name)):
            return False
    if rule.generic_record:
        record = obj.record
        return record is not None and is_public(record)
    return True


def is_visible(obj: models.Model | None, *, see_drafts: bool) -> bool:
    return obj is not None and (see_drafts or is_public(obj))


class VisibilityQuerySet(models.QuerySet):
    """Base queryset of every model: `visible_to(user)` is the gate every public read uses."""

    def public(self):
        return self.filter(public_q(self.model))

    def visible_to(self, user):
        return self if can_see_drafts(user) else self.public()

    def visible(self, *, see_drafts: bool):
        return self if see_drafts else self.public()


# -- publishing: the drafts a record's public representation would depend on ------------------


def draft_dependents(record: models.Model) -> list[models.Model]:
    """Unpublished records that `record`, once public, would need to be shown whole: the
    targets of its links, the sources it cites, and the same for the parts shown with it."""
    found: dict[tuple, models.Model] = {}
    seen: set[tuple] = set()

    def key(obj: models.Model) -> tuple:
        return (obj._meta.label, obj.pk)

    def need(obj: models.Model) -> None:
        # A linked record must itself be public: its flag and what it requires.
        if key(obj) in seen:
            return
        seen.add(key(obj))
        rule = rule_for(type(obj))
        if rule.has_flag and not obj.is_published:
            found[key(obj)] = obj
        for name in rule.requires:
            if getattr(obj, obj._meta.get_field(name).attname) is not None:
                need(getattr(obj, name))

    def visit(obj: models.Model, *, is_root: bool) -> None:
        rule = rule_for(type(obj))
        if not is_root:
            seen.add(key(obj))
            if rule.has_flag and not obj.is_published:
                found[key(obj)] = obj
        for name in (*rule.requires, *rule.references):
            if getattr(obj, obj._meta.get_field(name).attname) is not None:
                need(getattr(obj, name))
        if hasattr(obj, "citations"):
            for citation in obj.citations.select_related("source"):
                need(citation.source)
        for name in rule.parts:
            for part in getattr(obj, name).all():
                visit(part, is_root=False)

    visit(record, is_root=True)
    found.pop(key(record), None)
    return sorted(found.values(), key=lambda obj: (obj._meta.label, obj.pk))
