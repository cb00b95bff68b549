"""Delegation at scale: a customs broker with many clients, its employee staffed on them through a
client group (and, for a tenth, personally as well). Times what every page and API call of that
employee asks the authorization layer (best of five): the program accounts it may view, may pay and
may transact on, `may` on one account, the client list (the switcher) and `audit_context`.

The data set lives under bench-only BN9s (7xxxxxxxx) and is rebuilt on each run (untimed).

    python bench/delegation_bench.py [--clients N] [--database-url URL]

Figures (2 shared vCPUs, other test suites running beside it; PostgreSQL 15, default settings):

    python bench/delegation_bench.py --clients 3000
    python bench/delegation_bench.py --clients 3000 --database-url postgres://postgres@127.0.0.1:5432/carm_del_bench

                                          SQLite   PostgreSQL
    program_accounts_for(view).count     20.1 ms      21.0 ms  (6000 accounts)
    program_accounts_for(pay).count      17.9 ms      21.7 ms  (3000: half the clients allow payments)
    may(pay, one account)                18.7 ms      24.0 ms
    clients_of (the switcher)             9.5 ms      10.9 ms
    audit_context (acting for one)        2.0 ms       3.6 ms

Before client groups, the same 3000 clients staffed personally gave 8.5 s (SQLite) and 479 ms
(PostgreSQL) for the count and 6.8 s / 279 ms for one `may`: a relationship subquery correlated to
every program account. The clients' accounts now come from two uncorrelated subqueries (business-scope
importers, program-scope accounts) of the relationships the person is assigned to (personally, through
an employee group or a client group) while still working for the provider.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'delegation_bench.sqlite3'}")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    import rights
    from businesses.models import ProgramAccount
    from rights import Action

    started = time.perf_counter()
    employee, account, client_bn9 = build(args.clients)
    built = time.perf_counter() - started
    print(f"{connection.vendor}: {args.clients} clients, 2 accounts each ({built:.0f} s to build)")

    def best_of_five(label, call):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - started)
        print(f"{label:<34} {min(times) * 1000:8.1f} ms  ({result})")

    def count(action):
        return lambda: ProgramAccount.objects.visible_to(employee, action).count()

    for action in (Action.VIEW, Action.TRANSACT, Action.PAY):
        best_of_five(f"program_accounts_for({action.value}).count", count(action))
    best_of_five("may(pay, one account)", lambda: rights.may(employee, Action.PAY, account))
    best_of_five("clients_of (the switcher)", lambda: len(rights.clients_of(employee)))
    acting = rights.Actor(employee, acting_for=client_bn9)
    best_of_five("audit_context (acting for one)", lambda: rights.audit_context(acting)["actor_business"])


def build(clients):
    """Broker 7xxxxxxxx0 with `clients` importers; half allow payments; every relationship in one
    client group the employee is assigned to (Editor), a tenth also assigned personally."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from access.models import EmployeeGroup, Role, RoleGrant
    from accounts.models import User
    from businesses.models import Business, ProgramAccount
    from delegation.models import ClientAssignment, ClientGroup, Relationship

    bench = Business.objects.filter(bn9__startswith="7")
    with transaction.atomic():
        ClientGroup.objects.filter(provider__in=bench).delete()
        Relationship.objects.filter(provider__in=bench).delete()
        RoleGrant.objects.filter(business__in=bench).delete()
        ProgramAccount.objects.filter(business__in=bench).delete()
        bench.delete()
        address = {"address_line": "1 Bench St", "city": "Ottawa", "province": "ON", "postal_code": "K1A0B1"}
        broker = Business.objects.create(
            bn9="700000000", legal_name="Bench Brokers", kind=Business.Kind.CUSTOMS_BROKER, **address
        )
        employee, _ = User.objects.get_or_create(email="bench-employee@example.invalid")
        group = EmployeeGroup.objects.create(business=broker, name="Bench")
        group.members.add(employee)
        importers = Business.objects.bulk_create(
            Business(bn9=f"7{n:08d}", legal_name=f"Bench Importer {n}", kind=Business.Kind.IMPORTER, **address)
            for n in range(1, clients + 1)
        )
        ProgramAccount.objects.bulk_create(
            ProgramAccount(business=b, number=f"{b.bn9}RM000{i}", account_type="importer")
            for b in importers
            for i in (1, 2)
        )
        today = timezone.localdate()
        relationships = Relationship.objects.bulk_create(
            Relationship(
                provider=broker,
                importer=b,
                scope="business",
                status="active",
                allows_payments=n % 2 == 0,
                request_expires_on=today,
                expires_on=today + datetime.timedelta(days=365),
            )
            for n, b in enumerate(importers)
        )
        client_group = ClientGroup.objects.create(provider=broker, name="All")
        client_group.relationships.set(relationships)
        ClientAssignment.objects.create(client_group=client_group, user=employee, role=Role.EDITOR)
        ClientAssignment.objects.bulk_create(
            ClientAssignment(relationship=r, user=employee, role=Role.EDITOR) for r in relationships[::10]
        )
    account = ProgramAccount.objects.get(number=f"{importers[-1].bn9}RM0001")
    return employee, account, importers[-1].bn9


if __name__ == "__main__":
    main()
