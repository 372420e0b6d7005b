"""Curators may see drafts: grant them the project-wide `bills.view_drafts` permission."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Curators"
CODENAME = "view_drafts"


def grant(apps, schema_editor):
    alias = schema_editor.connection.alias
    app_config = apps.get_app_config("bills")
    # Historical app configs have no models module, and create_permissions skips those.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(alias).get_or_create(name=GROUP_NAME)
    group.permissions.add(
        Permission.objects.using(alias).get(content_type__app_label="bills", codename=CODENAME)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="bills", codename=CODENAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("bills", "0006_record_version_drafts_permission_and_messages")]

    operations = [migrations.RunPython(grant, revoke)]
