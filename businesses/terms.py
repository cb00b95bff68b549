"""The portal's terms and conditions. Changing the text means a new VERSION: each version is stored
(TermsVersion) the first time it is shown, and every acceptance names the version accepted."""

from django.utils import timezone

from .models import TermsVersion

VERSION = "2026-1"

TEXT_EN = """By registering this business in the CARM Client Portal you confirm that:

1. You are authorized by the business to register it and to manage who may act for it.
2. The information you provide, now and later, is true, accurate and complete.
3. You will keep your sign-in credentials to yourself and tell the CBSA at once if you believe they were compromised.
4. You will give access only to people who need it, remove access that is no longer needed, and keep at least one other business account manager.
5. Everything done in the portal is recorded, and the business is responsible for the declarations, payments and requests made in its name.
6. The CBSA may suspend access that is misused. Personal information is handled under the Privacy Act."""

TEXT_FR = """En inscrivant cette entreprise au Portail client de la GCRA, vous confirmez que :

1. L'entreprise vous a autorisé à l'inscrire et à gérer les personnes qui peuvent agir en son nom.
2. Les renseignements que vous fournissez, maintenant et plus tard, sont vrais, exacts et complets.
3. Vous garderez vos identifiants de connexion pour vous seul et aviserez sans délai l'ASFC si vous croyez qu'ils ont été compromis.
4. Vous ne donnerez accès qu'aux personnes qui en ont besoin, retirerez les accès devenus inutiles et maintiendrez au moins un autre gestionnaire de compte d'entreprise.
5. Tout ce qui est fait dans le portail est consigné, et l'entreprise est responsable des déclarations, paiements et demandes faits en son nom.
6. L'ASFC peut suspendre un accès utilisé abusivement. Les renseignements personnels sont traités conformément à la Loi sur la protection des renseignements personnels."""


def current_terms() -> TermsVersion:
    terms, _created = TermsVersion.objects.get_or_create(
        version=VERSION, defaults={"published_at": timezone.now(), "text_en": TEXT_EN, "text_fr": TEXT_FR}
    )
    return terms
