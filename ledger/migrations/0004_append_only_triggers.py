"""On PostgreSQL the database itself refuses UPDATE and DELETE on ledger entries, allocations,
statements and daily notices (SQLite relies on the model and queryset guards), as for the audit trail."""

from django.db import migrations

TABLES = ["ledger_ledgerentry", "ledger_allocation", "ledger_statement", "ledger_dailynotice"]
FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'ledger records are append-only: ' || TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only();"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_append_only();")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_ledger")]
    operations = [migrations.RunPython(forwards, backwards)]
