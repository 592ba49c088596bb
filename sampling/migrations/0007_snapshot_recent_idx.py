"""Index for the pages (issue 16). snapshot_recent_idx: the sampling frame page's fifteen
most recent imports, newest first (a sort of every import otherwise, about 2,600 at ten
years of weekly lists)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sampling', '0006_merge_allocation_rules'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='snapshot',
            index=models.Index(fields=['-created_at'], name='snapshot_recent_idx'),
        ),
    ]
