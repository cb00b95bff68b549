"""The bench data the ledger benches share (ledger_bench, security_review): bench-only businesses,
whose BN9s start with a digit of their own, with at most 9,999 importer RM accounts each (a BN9's
most), made with bulk inserts outside the timed part."""

RM_PER_BN9 = 9999


def make_accounts(n_accounts: int, *, digit: str, name: str, first: int = 0):
    """`n_accounts` importer RM accounts under new businesses `{digit}{first:08d}`, `{digit}{first + 1:08d}`...
    named "`name` 1", "`name` 2"...: the accounts' queryset, in creation order."""
    from businesses.models import Business, ProgramAccount

    made = Business.objects.bulk_create(
        Business(
            bn9=f"{digit}{first + n:08d}",
            legal_name=f"{name} {n + 1}",
            address_line="1 Main",
            city="Ottawa",
            province="ON",
            postal_code="K1A0A1",
        )
        for n in range(-(-n_accounts // RM_PER_BN9))
    )
    businesses = list(Business.objects.filter(bn9__in=[b.bn9 for b in made]).order_by("bn9"))
    ProgramAccount.objects.bulk_create(
        (
            ProgramAccount(
                business=businesses[i // RM_PER_BN9],
                number=f"{businesses[i // RM_PER_BN9].bn9}RM{i % RM_PER_BN9 + 1:04d}",
                account_type="importer",
            )
            for i in range(n_accounts)
        ),
        batch_size=5000,
    )
    return ProgramAccount.objects.filter(business__in=businesses).order_by("pk")


def analyze(model) -> None:
    """Fresh statistics after a bulk load (PostgreSQL plans the timed queries from them)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")
