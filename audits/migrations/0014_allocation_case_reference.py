"""The case's ID on each allocation, kept by the database (issue 16: `audits.case_copies`,
whose triggers are installed, and every allocation's copy filled, after each migrate).

Index allocation_run_table (run, case_external_id, status) serves QA staff's review table
(`audits.selectors.allocation._allocation_table`): a run's allocations by case ID and
status, a page of 25 read in order, not all of the run's (330) with their cases looked up
to sort them.
"""


from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0013_audit_case_team'),
        ('sampling', '0010_data_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='allocation',
            name='case_external_id',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name='allocation',
            index=models.Index(fields=['run', 'case_external_id', 'status'], name='allocation_run_table'),
        ),
    ]
