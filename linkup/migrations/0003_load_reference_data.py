from django.db import migrations


def load(apps, schema_editor):
    from linkup import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("linkup", "0002_reference_models")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
