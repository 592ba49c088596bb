"""A data version for the pages (issue 16). sampling.DataVersion holds a token that database
triggers change with every committed write to the cases, the teams' service areas and the
areas' names (`sampling.frame_version`, installed after each migrate): the sampling frame
page keeps its counts of every case for the token it read them under, so it counts again
only after a write (1.7 ms of a 6 ms page at ten years)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sampling', '0009_case_frame_counts_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('name', models.CharField(max_length=40, primary_key=True, serialize=False)),
                ('token', models.CharField(max_length=40)),
            ],
        ),
    ]
