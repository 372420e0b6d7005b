"""Create the "Curators" group: full rights on every bills and sources model, view-only on
BillAction (status history is written only by bills.services.bill_change_status).

Permissions are created here first because post_migrate has not run yet on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Curators"
APP_LABELS = ["bills", "sources"]
STATUS_HISTORY_WRITE = ["add_billaction", "change_billaction", "delete_billaction"]


def create_curators_group(apps, schema_editor):
    alias = schema_editor.connection.alias
    for label in APP_LABELS:
        app_config = apps.get_app_config(label)
        # Historical app configs have no models module, and create_permissions skips those.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=alias)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(alias).get_or_create(name=GROUP_NAME)
    permissions = (
        Permission.objects.using(alias)
        .filter(content_type__app_label__in=APP_LABELS)
        .exclude(codename__in=STATUS_HISTORY_WRITE)
    )
    group.permissions.set(permissions)


def delete_curators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bills", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curators_group, delete_curators_group)]
