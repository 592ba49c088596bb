"""The case's team on each audit, kept by the database (issue 16: `audits.case_copies`, whose
triggers are installed, and every audit's column filled, after each migrate).

Indexes:
- audit_team_waiting (status, case_team, finished_at, id) serves a team manager's home:
  their teams' audits waiting for their oversight, longest waiting first
  (`reporting.selectors._audits_waiting`), read for their teams alone, not walked across
  every team's.
- audit_status_finished goes back to (status, finished_at): the columns it had gained for
  that walk (allocation, form version, overall grade) are no longer read from it.
"""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0010_change_history_indexes'),
        ('audits', '0012_auditor_open_allocations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='audit',
            name='audit_status_finished',
        ),
        migrations.AddField(
            model_name='audit',
            name='case_team',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.team'),
        ),
        migrations.AddIndex(
            model_name='audit',
            index=models.Index(fields=['status', 'finished_at'], name='audit_status_finished'),
        ),
        migrations.AddIndex(
            model_name='audit',
            index=models.Index(fields=['status', 'case_team', 'finished_at', 'id'], name='audit_team_waiting'),
        ),
    ]
