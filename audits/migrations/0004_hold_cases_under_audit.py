"""Bury 9.6: cases with an audit begun and not closed are held open for it."""

from django.db import migrations


def hold(apps, schema_editor):
    Audit = apps.get_model("audits", "Audit")
    Case = apps.get_model("sampling", "Case")
    begun = (
        Audit.objects.exclude(status__in=["allocated", "closed"])
        .values_list("allocation__case_id", flat=True)
        .distinct()
    )
    Case.objects.filter(pk__in=list(begun)).update(held_for_audit=True)


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_worker_input_before_submit"),
        ("sampling", "0005_case_held_open_for_audit"),
    ]

    operations = [migrations.RunPython(hold, migrations.RunPython.noop)]
