"""Which tariff treatments goods of each origin may claim: the country side of the Customs Tariff's
"List of Countries and Applicable Tariff Treatments".

Keys are ISO 3166 alpha-2 codes; values the treatment codes of the tariff's rate columns
(tariff.treatments). The free-trade lists follow the agreements in force for Canada in 2025;
GPT and LDCT list a representative subset of beneficiaries (the full lists are in the schedule
to the Customs Tariff and change by order), so a country missing here simply gets MFN.

Eligibility is necessary, not sufficient: any treatment other than MFN and the General Tariff is
a preference, and claiming it needs proof of origin (a certificate or origin statement).
"""

MFN = "MFN"
GENERAL_TARIFF = "GT"
NOT_PREFERENCES = frozenset({MFN, GENERAL_TARIFF})

# MFN is for every country but those the General Tariff applies to (Customs Tariff s.31(1)).
GENERAL_TARIFF_COUNTRIES = frozenset({"KP"})  # North Korea

EU_MEMBERS = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
CPTPP_PARTIES = frozenset("AU BN CL JP MY MX NZ PE SG VN GB".split())  # Canada's CPTPP partners in force
COMMONWEALTH_CARIBBEAN = frozenset("AG AI BB BM BS BZ DM GD GY JM KN KY LC MS TC TT VC VG".split())
LEAST_DEVELOPED = frozenset(
    "AF BD BF BI BJ CF ET GM GN HT KH LA LR MG ML MM MW MZ NE NP RW SD SN SL SO TD TG TZ UG YE ZM".split()
)
# GPT beneficiaries (a sample: least developed countries are beneficiaries too).
GENERAL_PREFERENTIAL = frozenset("BO CM CI EG GH GT IN KE LK MA NG NI PK PH TN ZW".split()) | LEAST_DEVELOPED

# One bilateral treatment per partner: origin -> treatment codes.
BILATERAL = {
    "US": {"UST"},
    "MX": {"MXT"},
    "GB": {"UKT"},
    "IL": {"CIAT"},
    "PS": {"CIAT"},  # CIFTA also covers goods of the West Bank and Gaza Strip
    "CL": {"CT"},
    "CR": {"CRT"},
    "IS": {"IT"},
    "NO": {"NT"},
    "CH": {"SLT"},
    "LI": {"SLT"},
    "PE": {"PT"},
    "CO": {"COLT"},
    "JO": {"JT"},
    "PA": {"PAT"},
    "HN": {"HNT"},
    "KR": {"KRT"},
    "UA": {"UAT"},
    "AU": {"AUT"},
    "NZ": {"NZT"},
}
GROUPS = (
    (EU_MEMBERS, "CEUT"),
    (CPTPP_PARTIES, "CPTPT"),
    (COMMONWEALTH_CARIBBEAN, "CCCT"),
    (LEAST_DEVELOPED, "LDCT"),
    (GENERAL_PREFERENTIAL, "GPT"),
)


def eligible_treatments(origin: str) -> set[str]:
    """Every treatment goods originating in `origin` may be entitled to."""
    origin = origin.upper()
    if origin in GENERAL_TARIFF_COUNTRIES:
        return {GENERAL_TARIFF}
    treatments = {MFN, *BILATERAL.get(origin, ())}
    treatments.update(code for members, code in GROUPS if origin in members)
    return treatments


def needs_proof_of_origin(treatment: str) -> bool:
    return treatment not in NOT_PREFERENCES
