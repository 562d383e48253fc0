"""The default repeat-crossing policy: more than three crossings in a year. Administrators
change the row, not the code."""

from django.db import migrations


def seed(apps, schema_editor) -> None:  # noqa: ANN001 - migration signature
    policy = apps.get_model("identity", "RepeatCrossingPolicy")
    if not policy.objects.exists():
        policy.objects.create(name="More than 3 crossings in a year", threshold=3, period_days=365)


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
