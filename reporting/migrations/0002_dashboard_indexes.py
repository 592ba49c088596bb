"""Indexes for the dashboard's period filters on other apps' tables (issue 13), made here so
that those apps' migrations stay untouched while another engineer reorganises them:

- remediation_remedialaction.created_on: the actions raised in a period;
- audits_safeguardingconcern.raised_at: the concerns raised in a period.

Plain SQL that PostgreSQL and SQLite both accept; Django's model state does not change.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_monthly_and_half_year_reports"),
        ("remediation", "0001_initial"),
        ("audits", "0003_qa_check_grades"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reporting_action_created_idx "
            "ON remediation_remedialaction (created_on)",
            "DROP INDEX IF EXISTS reporting_action_created_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reporting_concern_raised_idx "
            "ON audits_safeguardingconcern (raised_at)",
            "DROP INDEX IF EXISTS reporting_concern_raised_idx",
        ),
    ]
