"""RPP status in one place (issue 19): the RPP changes officers recorded on businesses'
AccountProgramRecord become Enrolment rows, before businesses drops the column (its 0004). A row
is copied where its status differs from the account's previous one (an account without a record was
enrolled: the old default), so a record that only changed the accounting program enrols nobody. A
day on which the account already has an Enrolment row keeps that row alone."""

from django.db import migrations

DEFAULT = "enrolled"


def copy_rpp_changes(apps, schema_editor):
    Record = apps.get_model("businesses", "AccountProgramRecord")
    Enrolment = apps.get_model("security", "Enrolment")
    taken = set(Enrolment.objects.values_list("program_account_id", "effective_from"))
    rows, last = [], {}
    for record in Record.objects.order_by("program_account_id", "effective_from"):
        account = record.program_account_id
        if record.rpp_status == last.get(account, DEFAULT):
            continue
        last[account] = record.rpp_status
        if (account, record.effective_from) not in taken:
            rows.append(
                Enrolment(
                    program_account_id=account,
                    status=record.rpp_status,
                    effective_from=record.effective_from,
                    reason=f"recorded with the accounting program: {record.reason}"[:500],
                    recorded_by_id=record.recorded_by_id,
                )
            )
    Enrolment.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("businesses", "0003_csa_period"),
        ("security", "0002_bond_program_cashdeposit_program"),
    ]

    # Backwards the column comes back with its default (enrolled); the copied rows stay (append-only).
    operations = [migrations.RunPython(copy_rpp_changes, migrations.RunPython.noop)]
