"""Index for the pages (issue 16). case_worker_open_idx: the home page's "Your cases"
panel, a worker's open cases by case ID (PostgreSQL walked every case in ID order looking
for a worker's, 4 ms at ten years for someone with none)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sampling', '0007_snapshot_recent_idx'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(
                fields=['allocated_worker', 'status', 'external_id'], name='case_worker_open_idx'
            ),
        ),
    ]
