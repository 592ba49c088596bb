"""Index for the pages (issue 16). notice_recipient_newest: the home page's latest five notices
and the notices page (/accounts/notices/), a person's notices newest first."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_breaks_and_exemption_approvers'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='notice',
            index=models.Index(fields=['recipient', '-created_at'], name='notice_recipient_newest'),
        ),
    ]
