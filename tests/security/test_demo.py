"""The demo loads with RPP security checked (as `make run` does): Maple's CADs all accepted."""

from django.core.management import call_command

from audit.models import AuditEntry
from declarations.models import Declaration
from security import services
from security.models import Bond, RppStatus


def test_seed_demo_enrols_maple_under_one_bond_and_every_demo_cad_is_accepted(db):
    call_command("seed_demo")
    call_command("seed_demo")
    bond = Bond.objects.get(number="SB-DEMO-0001")
    assert sorted(a.program_account.number for a in bond.allocations.all()) == ["123456782RM0001", "123456782RM0002"]
    rm0001 = bond.allocations.get(program_account__number="123456782RM0001").program_account
    assert services.status_of(rm0001) == RppStatus.ENROLLED
    northern = rm0001.business.__class__.objects.get(bn9="123026635").program_accounts.get(number="123026635RM0001")
    assert services.status_of(northern) == RppStatus.NOT_ENROLLED
    assert Declaration.objects.filter(program_account__business=rm0001.business).count() > 0
    assert not AuditEntry.objects.filter(action="declarations.rejected").exists()
