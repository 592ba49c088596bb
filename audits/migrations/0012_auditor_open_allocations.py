"""allocation_auditor_open (issue 16). It serves the home page's "Your audits" (every
auditor's, team managers' among them: `reporting.selectors._my_audits`): the person's
allocations with status allocated and completed_at NULL, newest month first. It holds only
the unfinished allocations (the partial condition), so the page reads those of the person's
with that status, not every allocation they have had (360 a person in the benchmark, three
of them open)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0011_waiting_walk_covered'),
        ('sampling', '0010_data_version'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='allocation',
            index=models.Index(condition=models.Q(('completed_at__isnull', True)), fields=['auditor', 'status', 'period'], name='allocation_auditor_open'),
        ),
    ]
