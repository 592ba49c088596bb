"""Index for the pages (issue 16). action_worker_status: a social worker's actions, counted on
their home page and listed in their worktray (/actions/)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('remediation', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='remedialaction',
            index=models.Index(fields=['worker', 'status'], name='action_worker_status'),
        ),
    ]
