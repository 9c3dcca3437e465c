from django.db import migrations


def load(apps, schema_editor):
    from toolkit import content

    content.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("toolkit", "0001_initial"),
        ("linkup", "0003_load_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
