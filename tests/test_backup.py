"""backup_data / restore_data: a dump restored into an empty database is the same data set."""

import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from rest_framework.authtoken.models import Token

from bills.management.commands.restore_data import OWNED_SEQUENCES, advance_sequences
from bills.models import Bill, Topic

RESTORED = "restored"
# The dump runs in another process, so the data must be committed: no wrapping transaction.
# serialized_rollback puts back migration-created rows (the Curators group) after the flush.
restore_test = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", RESTORED]
)


@pytest.fixture(scope="module", autouse=True)
def _restored_alias(django_db_setup, django_db_blocker):
    """connections[RESTORED]: a database beside the test database, dropped after the module.

    Registered before any test class is set up, since Django only lets a test use the aliases
    it declares, and it can only declare aliases that exist.
    """
    default = connections["default"]
    connections.databases[RESTORED] = {
        **default.settings_dict,
        "NAME": f"test_pt_restore_{uuid.uuid4().hex[:12]}",
    }
    yield
    with django_db_blocker.unblock():
        connections[RESTORED].close()
        drop_restored_database()
    del connections[RESTORED]
    del connections.databases[RESTORED]


def drop_restored_database() -> None:
    """Drop the restored database (if it exists), ending any session still using it."""
    name = connections.databases[RESTORED]["NAME"]
    with connections["default"].cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def restored_db() -> str:
    """A fresh, empty restored database for this test; its alias."""
    connections[RESTORED].close()
    drop_restored_database()
    with connections["default"].cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{connections.databases[RESTORED]["NAME"]}"')
    return RESTORED


def table_rows(alias: str) -> dict[str, list[dict]]:
    """Every row of every concrete model (m2m tables included), by primary key."""
    return {
        model._meta.label: list(model._base_manager.using(alias).order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def sequence_positions(alias: str) -> dict[str, tuple[int, bool]]:
    """(last_value, is_called) of every sequence owned by a column."""
    with connections[alias].cursor() as cursor:
        cursor.execute(OWNED_SEQUENCES)
        names = [row[0] for row in cursor.fetchall()]
        positions = {}
        for name in names:
            cursor.execute(f"SELECT last_value, is_called FROM {name}")
            positions[name] = cursor.fetchone()
    return positions


def back_up_and_restore(tmp_path: Path, alias: str) -> Path:
    """Seed, edit (audit rows, a user with a group and a token, an id gap), dump, restore."""
    call_command("load_seed", stdout=StringIO())
    bill = Bill.objects.order_by("pk").first()
    bill.summary = f"{bill.summary} Edited before the backup."
    bill.save()
    curator = User.objects.create_user("backup-curator", password="not-a-real-password-1")
    curator.groups.add(Group.objects.get(name="Curators"))
    Token.objects.create(user=curator)
    # The newest topic is deleted: its id stays used in history, and must never be reissued.
    Topic.objects.create(slug="short-lived", name="Short-lived topic").delete()
    archive = tmp_path / "policytracker.dump"
    call_command("backup_data", str(archive), stdout=StringIO())
    out = StringIO()
    call_command("restore_data", str(archive), database=alias, stdout=out)
    assert "Restored" in out.getvalue()
    return archive


@restore_test
def test_restore_reproduces_every_row_history_entry_and_sequence(tmp_path, restored_db):
    back_up_and_restore(tmp_path, restored_db)
    tables = connections["default"].introspection.table_names()
    assert connections[restored_db].introspection.table_names() == tables
    source, restored = table_rows("default"), table_rows(restored_db)
    assert source.keys() == restored.keys()
    for label in source:
        assert restored[label] == source[label], label
    # The comparison means something only if these hold rows.
    for label in ("bills.Bill", "bills.HistoricalBill", "sources.Citation", "auth.User_groups"):
        assert source[label], label
    assert source["authtoken.Token"]
    assert any(row["history_type"] == "~" for row in source["bills.HistoricalBill"])
    assert any(row["history_type"] == "-" for row in source["bills.HistoricalTopic"])
    assert sequence_positions(restored_db) == sequence_positions("default")


@restore_test
def test_restore_keeps_new_ids_clear_of_restored_rows(tmp_path, restored_db):
    back_up_and_restore(tmp_path, restored_db)
    used_ids = set(Bill.objects.values_list("pk", flat=True))
    # bulk_create fires no signals, so no history row lands in the source database.
    (new_bill,) = Bill.objects.using(restored_db).bulk_create(
        [Bill(slug="restored-new-bill", short_title="After the restore")]
    )
    assert new_bill.pk not in used_ids
    assert new_bill.pk > max(used_ids)
    (topic,) = Topic.objects.using(restored_db).bulk_create([Topic(slug="t", name="New")])
    deleted_topic_ids = Topic.history.filter(history_type="-").values_list("id", flat=True)
    assert topic.pk > max(deleted_topic_ids)

    # A sequence left behind its column (rows inserted with explicit ids) is moved past it.
    with connections[restored_db].cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('bills_bill', 'id'), 1)")
    assert advance_sequences(restored_db)[1] == 1
    (later_bill,) = Bill.objects.using(restored_db).bulk_create(
        [Bill(slug="after-rewind", short_title="After the rewind")]
    )
    assert later_bill.pk == new_bill.pk + 1


@restore_test
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(tmp_path, restored_db):
    archive = back_up_and_restore(tmp_path, restored_db)
    Bill.objects.using(restored_db).bulk_create([Bill(slug="added-later", short_title="Later")])

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_data", str(archive), database=restored_db, stdout=StringIO())
    assert Bill.objects.using(restored_db).filter(slug="added-later").exists()

    call_command("restore_data", str(archive), database=restored_db, force=True, stdout=StringIO())
    assert not Bill.objects.using(restored_db).filter(slug="added-later").exists()
    assert table_rows(restored_db) == table_rows("default")


@pytest.mark.django_db
def test_restore_rejects_a_missing_archive(tmp_path):
    with pytest.raises(CommandError, match="No archive"):
        call_command("restore_data", str(tmp_path / "absent.dump"))
