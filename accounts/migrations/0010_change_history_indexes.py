"""Indexes for the pages (issue 16). change_insert_audit: the audit task list's history of
changes (/audit/<pk>/, `accounts.history.changes_of`) finds its grades', views' and SMART
actions' rows by the audit's id in their insert; change_insert_action: the same for an
action's page (/actions/<pk>/) and its management decisions."""

import django.db.models.fields.json
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_merge_page_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='change',
            index=models.Index(models.F('model'), django.db.models.fields.json.KeyTransform('audit_id', 'after'), condition=models.Q(('operation', 'insert')), name='change_insert_audit'),
        ),
        migrations.AddIndex(
            model_name='change',
            index=models.Index(models.F('model'), django.db.models.fields.json.KeyTransform('action_id', 'after'), condition=models.Q(('operation', 'insert')), name='change_insert_action'),
        ),
    ]
