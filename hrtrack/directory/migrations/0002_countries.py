from django.db import migrations


def load(apps, schema_editor):
    from hrtrack.directory.countries import load_countries

    load_countries(apps.get_model("directory", "Country"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
