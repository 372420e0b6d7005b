"""Writing the change log: called by the services (policytracker.services and the apps'), in the
same transaction as the change it records. Nothing else inserts ChangeEvent rows.

Also the questions the services ask about what a change reaches: which records show another
one inside them (`referrers`), and which records' visibility follows another's
(`visibility_dependents`), both read from the visibility registry.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from policytracker import visibility
from policytracker.changes.models import ChangeEvent, ChangeKind
from policytracker.changes.signals import change_recorded

# Any fixed number: one lock for the whole log, so events commit in `seq` order.
CHANGE_LOG_LOCK = 7_310_010
# Columns that are bookkeeping, not facts a reader needs in `changed`.
UNLOGGED_FIELDS = frozenset({"search_vector", "version", "updated_at", "created_at"})


def _json_safe(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def changed_values(record: models.Model, names) -> dict:
    """`names` of `record` with their current values, JSON-safe (links as ids, lists of ids)."""
    values = {}
    for name in names:
        field = record._meta.get_field(name)
        if field.name in UNLOGGED_FIELDS:
            continue
        if field.many_to_many:
            values[name] = sorted(getattr(record, name).values_list("pk", flat=True))
        elif field.is_relation:
            values[name] = getattr(record, field.attname)
        else:
            values[name] = getattr(record, field.attname)
    return _json_safe(values)


def bill_ids_of(record: models.Model) -> list[int]:
    """Bills an event about `record` concerns (the `?bill=` filter and webhook filters)."""
    name = record._meta.model_name
    if name == "bill":
        return [record.pk]
    ids = set()
    for attname in ("bill_id", "related_bill_id"):
        if getattr(record, attname, None):
            ids.add(getattr(record, attname))
    if name == "statement" and record.pk:
        ids.update(record.bill_links.values_list("bill_id", flat=True))
    if name == "citation":
        cited = record.record
        if cited is not None and cited._meta.model_name != "citation":
            ids.update(bill_ids_of(cited))
    return sorted(ids)


def hold_change_log() -> None:
    """Take the change log's lock for the rest of the transaction (re-entrant). Writers take it
    before their first row lock: a writer that held a row and then waited for the log while
    the log's holder waited for that row would deadlock."""
    if connection.in_atomic_block and any(
        func is _log_held for _, func, _ in connection.run_on_commit
    ):
        return  # taken earlier in this transaction (and not in a savepoint rolled back since)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_LOG_LOCK])
    # A marker that lives exactly as long as the transaction (or the savepoint) that took it.
    transaction.on_commit(_log_held)


def _log_held() -> None:
    """Marks the change log's lock as held in `connection.run_on_commit` (does nothing)."""


def change_record(
    record: models.Model,
    event: str,
    *,
    changed: dict | None = None,
    old_slug: str = "",
    public: bool | None = None,
    bill_ids: list[int] | None = None,
) -> ChangeEvent:
    """Append one event about `record` to the log (inside the caller's transaction).

    `public` defaults to whether the record is public now; a tombstone's caller passes whether
    it was public before. `bill_ids` defaults to `bill_ids_of(record)` (a deletion's caller
    computes it before the rows go)."""
    if event not in ChangeKind.values:
        raise ValueError(f"Unknown change event {event!r}.")
    deleted = event == ChangeKind.DELETED
    if public is None:
        public = visibility.is_public(record)
    # Held to the end of the transaction: a reader at seq N never misses a row that commits
    # later with a smaller seq.
    hold_change_log()
    entry = ChangeEvent.objects.create(
        record_type=record._meta.model_name,
        record_id=record.pk,
        slug=getattr(record, "slug", "") or "",
        old_slug=old_slug,
        event=event,
        changed=_json_safe(changed or {}),
        version=0 if deleted else getattr(record, "version", 0),
        public=bool(public),
        bill_ids=bill_ids_of(record) if bill_ids is None else bill_ids,
    )
    _announce_after_commit(entry.seq)
    return entry


def _announce_after_commit(seq: int) -> None:
    """Collect the transaction's seqs and send `change_recorded` once, after it commits. The
    list lives as long as the callback that sends it (a rolled-back savepoint drops both)."""
    for _, func, _ in connection.run_on_commit:
        if getattr(func, "change_log_seqs", None) is not None:
            func.change_log_seqs.append(seq)
            return

    def announce() -> None:
        seqs = announce.change_log_seqs
        change_recorded.send(sender=ChangeEvent, seq=max(seqs), seqs=sorted(seqs))

    announce.change_log_seqs = [seq]
    transaction.on_commit(announce)


# -- what a change reaches -----------------------------------------------------------------------


def _links_to(model: type[models.Model]):
    """(registered model, field name, is_required) for every declared link to `model`."""
    for other, rule in visibility._RULES.items():
        for name in (*rule.requires, *rule.references):
            field = other._meta.get_field(name)
            if field.related_model is not None and issubclass(model, field.related_model):
                yield other, name, name in rule.requires


def _many_links_to(model: type[models.Model]):
    """(registered model, many-to-many field name) for every such link to `model` (a bill's
    topics): the linking record shows the linked one's slug."""
    for other in visibility._RULES:
        for field in other._meta.many_to_many:
            if issubclass(model, field.related_model):
                yield other, field.name


def referrers(record: models.Model) -> list[models.Model]:
    """Records that show `record` inside them because they link to it (a statement's speaker,
    a sponsorship's person, a citation's source, a bill's topics)."""
    found = []
    for other, name, _ in _links_to(type(record)):
        found += list(other._base_manager.filter(**{name: record.pk}))
    for other, name in _many_links_to(type(record)):
        found += list(other._base_manager.filter(**{name: record.pk}))
    return found


def visibility_dependents(record: models.Model) -> list[models.Model]:
    """Every record whose public visibility depends on `record` (transitively): the records
    that require it (a bill's sponsorships and actions), the citations of a cited record and
    the citations resting on a source."""
    seen: dict[tuple, models.Model] = {}
    stack = [record]
    while stack:
        current = stack.pop()
        nexts = [
            row
            for other, name, required in _links_to(type(current))
            if required
            for row in other._base_manager.filter(**{name: current.pk})
        ]
        if hasattr(current, "citations"):
            nexts += list(current.citations.all())
        for row in nexts:
            key = (row._meta.label, row.pk)
            if key not in seen:
                seen[key] = row
                stack.append(row)
    return list(seen.values())


def visibility_snapshot(records: list[models.Model]) -> dict[tuple, tuple[models.Model, bool]]:
    """Whether each record and its visibility dependents are public now (before a change)."""
    snapshot = {}
    for record in records:
        for row in [record, *visibility_dependents(record)]:
            snapshot.setdefault((row._meta.label, row.pk), (row, visibility.is_public(row)))
    return snapshot
