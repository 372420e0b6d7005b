"""Curators may register webhooks: grant the Curators group the subscription permissions.
A watchdog site gets a user of its own holding only these (and a token)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Curators"
CODENAMES = ["add_webhooksubscription", "change_webhooksubscription", "delete_webhooksubscription",
             "view_webhooksubscription", "view_webhookdelivery"]


def grant(apps, schema_editor):
    alias = schema_editor.connection.alias
    app_config = apps.get_app_config("webhooks")
    # Historical app configs have no models module, and create_permissions skips those.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(alias).get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *Permission.objects.using(alias).filter(
            content_type__app_label="webhooks", codename__in=CODENAMES
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    alias = schema_editor.connection.alias
    group = Group.objects.using(alias).filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.using(alias).filter(content_type__app_label="webhooks")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("bills", "0002_curators_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
