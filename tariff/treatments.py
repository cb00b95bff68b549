"""Tariff treatments: the rate columns of the Customs Tariff schedule, in display order.

Codes are the schedule's column names (GT is the General Tariff, a column the 2021 export lost).
"""

from django.utils.translation import gettext_lazy as _

TREATMENTS = {
    "MFN": _("Most-Favoured-Nation Tariff"),
    "GT": _("General Tariff"),
    "UST": _("United States Tariff (CUSMA)"),
    "MXT": _("Mexico Tariff (CUSMA)"),
    "CEUT": _("Canada–European Union Tariff (CETA)"),
    "CPTPT": _("Comprehensive and Progressive Trans-Pacific Partnership Tariff"),
    "UKT": _("United Kingdom Tariff"),
    "CIAT": _("Canada–Israel Agreement Tariff"),
    "CT": _("Chile Tariff"),
    "CRT": _("Costa Rica Tariff"),
    "IT": _("Iceland Tariff"),
    "NT": _("Norway Tariff"),
    "SLT": _("Switzerland–Liechtenstein Tariff"),
    "PT": _("Peru Tariff"),
    "COLT": _("Colombia Tariff"),
    "JT": _("Jordan Tariff"),
    "PAT": _("Panama Tariff"),
    "HNT": _("Honduras Tariff"),
    "KRT": _("Korea Tariff"),
    "UAT": _("Ukraine Tariff"),
    "AUT": _("Australia Tariff"),
    "NZT": _("New Zealand Tariff"),
    "CCCT": _("Commonwealth Caribbean Countries Tariff"),
    "LDCT": _("Least Developed Country Tariff"),
    "GPT": _("General Preferential Tariff"),
}

TREATMENT_ORDER = {code: position for position, code in enumerate(TREATMENTS)}


def treatment_name(code: str) -> str:
    return str(TREATMENTS.get(code, code))
