from django.db import migrations


def add_aliases(apps, schema_editor):
    # The UN's Spanish names (UN_SPANISH) for the countries saved before this module knew them.
    from hrtrack.directory.countries import add_new_aliases

    add_new_aliases(apps.get_model("directory", "Country"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_platform_settings")]
    operations = [migrations.RunPython(add_aliases, migrations.RunPython.noop)]
