from django.db import migrations

from core.history import AppendOnlyTrigger


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [AppendOnlyTrigger("projects_activity")]
