"""Indexes for the pages (issue 16). audit_status_finished: the team manager's home page,
finished audits waiting for their oversight, longest waiting first. audit_status_submitted:
the QA queue (/audit/qa/), audits to check or moderate in the order they were submitted."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0002_audit_form'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='audit',
            index=models.Index(fields=['status', 'finished_at'], name='audit_status_finished'),
        ),
        migrations.AddIndex(
            model_name='audit',
            index=models.Index(fields=['status', 'submitted_at'], name='audit_status_submitted'),
        ),
    ]
