"""Reads of the change log outside the feed itself."""

import datetime

from policytracker import visibility
from policytracker.changes.models import ChangeEvent


def latest_change_time(user) -> datetime.datetime | None:
    """When the newest change the caller may see was recorded (None on an empty log).

    Events are written under the log's lock with the server time taken after it, so this never
    moves backwards, unlike the newest `updated_at` of what a page still shows."""
    events = ChangeEvent.objects.visible_to(user).order_by("-seq")
    return events.values_list("recorded_at", flat=True).first()


def record_types() -> dict[str, type]:
    """Model name → model for every record the log may name."""
    return {model._meta.model_name: model for model in visibility._RULES}


def scalar_changes(event: ChangeEvent) -> dict:
    """The changed values a public reader may see: links are given by name only (in
    `changed_fields`), because a link's value may be the id of a draft."""
    model = record_types().get(event.record_type)
    if model is None:
        return {}
    fields = {field.name: field for field in model._meta.get_fields()}
    return {
        name: value
        for name, value in event.changed.items()
        if name in fields and not fields[name].is_relation
    }
