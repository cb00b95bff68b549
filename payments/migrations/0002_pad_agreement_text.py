"""Version 1 of the pre-authorized debit agreement a payer accepts (Payments Canada Rule H1 terms,
in CBSA's words [DESIGN]). A new version is a new row; accepted agreements keep the version they accepted."""

import datetime

from django.db import migrations

TEXT_EN = """Pre-authorized debit (PAD) agreement — business PAD

1. You authorize the Canada Border Services Agency (CBSA) and the financial institution named above to debit the bank account above for payments of the program account named above, each of an amount and on a date you set in the CARM Client Portal.
2. CBSA sends you a confirmation of each payment (its amount and date) in the portal before the debit. You waive the 10-day pre-notification of Payments Canada Rule H1 for debits you schedule yourself.
3. You may cancel this agreement at any time in the portal; a cancellation applies to debits not yet sent to your financial institution.
4. If a debit is returned (for example for insufficient funds), the payment it made is reversed on your program account and the amount is owing again, with any interest that applies.
5. You have recourse rights if a debit does not comply with this agreement: for example, you may be reimbursed for a debit that was not authorized. For more information, contact your financial institution or visit payments.ca.
6. You confirm that you are authorized to sign for this bank account and that all persons whose signatures are required have authorized this agreement."""

TEXT_FR = """Accord de débit préautorisé (DPA) — DPA d'entreprise

1. Vous autorisez l'Agence des services frontaliers du Canada (ASFC) et l'institution financière nommée ci-dessus à débiter le compte bancaire ci-dessus pour les paiements du compte de programme nommé ci-dessus, chacun du montant et à la date que vous fixez dans le Portail client de la GCRA.
2. L'ASFC vous envoie dans le portail une confirmation de chaque paiement (montant et date) avant le débit. Vous renoncez au préavis de 10 jours de la règle H1 de Paiements Canada pour les débits que vous planifiez vous-même.
3. Vous pouvez annuler cet accord en tout temps dans le portail; l'annulation s'applique aux débits qui n'ont pas encore été envoyés à votre institution financière.
4. Si un débit est retourné (par exemple pour provision insuffisante), le paiement qu'il a fait est annulé sur votre compte de programme et le montant est de nouveau dû, avec les intérêts applicables.
5. Vous disposez de droits de recours si un débit n'est pas conforme au présent accord : par exemple, vous pouvez être remboursé d'un débit non autorisé. Pour en savoir plus, communiquez avec votre institution financière ou visitez paiements.ca.
6. Vous confirmez être autorisé à signer pour ce compte bancaire et que toutes les personnes dont la signature est requise ont autorisé cet accord."""


def load(apps, schema_editor):
    PadAgreementText = apps.get_model("payments", "PadAgreementText")
    PadAgreementText.objects.get_or_create(
        version=1,
        defaults={"published_on": datetime.date(2026, 1, 1), "text_en": TEXT_EN, "text_fr": TEXT_FR},
    )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
