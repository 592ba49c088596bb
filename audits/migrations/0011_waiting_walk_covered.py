"""audit_status_finished, widened (issue 16). It serves the team manager's home page, the
list of finished audits waiting for their oversight (`reporting.selectors._audits_waiting`:
status = with_team_manager, the case of one of their teams, longest waiting first): the
audits are walked in order of (status, finished_at, id) and stop at the page's eleven, each
one's allocation_id read from the index to look its case's team up, and the columns the row
shows (form_version_id, overall_grade) from the index too, so the walk reads no audit row.
Every query that used (status, finished_at) can use it as before."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0010_merge_page_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='audit',
            name='audit_status_finished',
        ),
        migrations.AddIndex(
            model_name='audit',
            index=models.Index(fields=['status', 'finished_at', 'id', 'allocation', 'form_version', 'overall_grade'], name='audit_status_finished'),
        ),
    ]
