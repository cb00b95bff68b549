"""The "why" of every amount assessed on a CAD line, for the CAD page (issue #15 "How it must
show"; D17-1-10 fields 49, 61, 63, 65, 68, 86, 91, 93): the rule, its source and the inputs, in
the person's language, built from what the line stored (its rate, exchange rate, Chapter 99 tariff
code, GST code, declared charges)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessment import excise
from assessment_engine import GST_RATE, cents

from . import fields, provincial
from .fields import Part, interpolate
from .validation import gst_rate

_ETA = "https://laws-lois.justice.gc.ca/eng/acts/E-15/section-212.html"
_TARIFF = "https://laws-lois.justice.gc.ca/eng/acts/C-54.011/section-20.html"
_VALUE = "https://laws-lois.justice.gc.ca/eng/acts/C-52.6/section-48.html"
_SIMA = "https://laws-lois.justice.gc.ca/eng/acts/S-15/section-3.html"


@dataclass(frozen=True)
class Why:
    label: object
    amount: Decimal
    text: object
    source: object
    url: str = ""


def _field(name: str):
    return fields.BY_PART[Part.LINE][name]


def declared(details: dict, part: Part) -> list[tuple]:
    """The D17-1-10 fields of a `details` JSON as the page lists them: (field number, label, value),
    in the rows' order."""
    rows = fields.BY_PART[part]
    return [(rows[name].d17, rows[name].label, details[name]) for name in fields.DETAILS[part] if name in details]


def line_why(line) -> list[Why]:
    """Why each amount of `line` (a DeclarationLine) is what it is, the amounts that are not zero."""
    details = line.details or {}
    found = [
        Why(
            _("Value for duty (field 49)"),
            line.vfd,
            interpolate(
                _(
                    "The price %(value)s %(currency)s, with its additions and deductions, times the exchange rate "
                    "%(rate)s of the date of direct shipment, rounded to the cent."
                ),
                {"value": line.value, "currency": line.currency, "rate": f"{line.exchange_rate:f}".rstrip("0")},
            ),
            _("Customs Act s.48; D13-2-3"),
            _VALUE,
        ),
    ]
    rate_text = interpolate(
        _("The value for duty times the rate %(rate)s of tariff treatment %(treatment)s."),
        {"rate": line.rate, "treatment": line.tariff_treatment},
    )
    if details.get("tariff_code"):
        rate_text = interpolate(
            _(
                "%(why)s The rate is that of Chapter 99 tariff item %(item)s claimed as the tariff code (D17-1-10 "
                "field 47); the goods stay classified under %(code)s."
            ),
            {"why": rate_text, "item": details["tariff_code"], "code": line.classification},
        )
    if details.get("remitted_customs_duty"):
        rate_text = interpolate(
            _("%(why)s Less %(remitted)s remitted by Order in Council %(order)s (D17-1-10 field 54; D8-4-1)."),
            {"why": rate_text, "remitted": details["remitted_customs_duty"], "order": line.special_authority},
        )
    if details.get("order_not_listed"):
        rate_text = interpolate(
            _(
                "%(why)s Order in Council %(order)s is not in CARM's list of remission orders: kept as declared, "
                "no remission computed (D17-1-10 field 54)."
            ),
            {"why": rate_text, "order": line.special_authority},
        )
    found.append(Why(_("Customs duty (field 61)"), line.customs_duty, rate_text, _("Customs Tariff s.20"), _TARIFF))
    declared = _("As declared on the line, as an amount or a rate of the value for duty.")
    safeguard = Decimal(details.get("safeguard", 0))
    for amount, label, source, url in (
        (line.sima, _("SIMA duty (field 86)"), _("Special Import Measures Act s.3"), _SIMA),
        (line.surtax - safeguard, _("Surtax (field 68)"), _("Customs Tariff surtax order (D16-1-1)"), ""),
        (safeguard, _("Safeguard (field 90)"), _("Customs Tariff safeguard surtax order (D17-1-10 field 90)"), ""),
    ):
        if amount:
            found.append(Why(label, amount, declared, source, url))
    cigar_why = _cigar_why(line) if details.get("cigar_additional_duty") else None
    if cigar_why is not None:
        found.append(cigar_why)
    elif line.excise_tax:
        found.append(_excise_tax_why(line, details, declared))
    if line.excise_duty:
        found.append(_excise_why(line, details, declared))
    found.append(
        Why(
            _("Value for tax (field 91)"),
            line.value_for_tax,
            _("The value for duty plus the customs duty, SIMA duty, surtax, excise duty and excise tax."),
            _("Excise Tax Act s.215"),
            _ETA,
        )
    )
    code = details.get("gst_code", "")
    rate = f"{gst_rate(code, line.version.release_date) * 100:g}"
    if code:
        text = interpolate(
            _(
                "The value for tax times %(rate)s%%, the rate of GST code %(code)s (D17-1-10 field 92; relief: "
                "Excise Tax Act Schedule VII)."
            ),
            {"rate": rate, "code": code},
        )
    else:
        text = interpolate(_("The value for tax times %(rate)s%%: no GST code relieves the goods."), {"rate": rate})
    if details.get("remitted_gst"):
        text = interpolate(
            _("%(why)s Less %(remitted)s remitted by Order in Council %(order)s (D17-1-10 field 54)."),
            {"why": text, "remitted": details["remitted_gst"], "order": line.special_authority},
        )
    found.append(Why(_("GST (field 93)"), line.gst, text, _("Excise Tax Act ss.165, 212, 215"), _ETA))
    levied = _("As declared on the line: CBSA collects it for the province (D17-1-10; D2-3-6), billed with the line.")
    for name, label in LEVIES.items():
        if name == "pst_hst_qst" and details.get(name):
            found.append(_hst_why(line, details, levied))
        elif details.get(name):
            found.append(Why(label, Decimal(details[name]), levied, _("Provincial collection agreement (D2-3-6)")))
    return found


def _hst_why(line, details: dict, declared) -> Why:
    """Field 94's why: the HST at the province's rate the assessment computed (declarations.provincial),
    else as declared, with the computed HST when the declared one differs."""
    label, amount = LEVIES["pst_hst_qst"], Decimal(details["pst_hst_qst"])
    row = provincial.hst_rate(details.get("province", ""), line.version.release_date)
    if row is not None and details.get("hst_rate") == f"{row.total.normalize():f}":
        text = interpolate(
            _(
                "The value for tax %(vft)s times %(rate)s%%, the HST of the province of destination %(province)s "
                "on the release date: the 5%% GST and the province's %(part)s%% (GST code 99, D17-1-10 field 94)."
            ),
            {
                "vft": line.value_for_tax,
                "rate": details["hst_rate"],
                "province": details["province"],
                "part": f"{row.rate.normalize():f}",
            },
        )
        return Why(label, amount, text, row.source)
    if details.get("hst_computed"):
        declared = interpolate(
            _("%(why)s The province's rate on the value for tax gives %(computed)s (a provincial rebate may apply)."),
            {"why": declared, "computed": details["hst_computed"]},
        )
    return Why(label, amount, declared, _("Provincial collection agreement (D2-3-6)"))


def _excise_why(line, details: dict, declared) -> Why:
    """The excise duty's why: the rate of the excise duty table the assessment charged, else as declared
    (for vaping products and cannabis, with the Act's rule and why a line cannot give it)."""
    label, source = _("Excise duty (field 65)"), _("Excise Act, 2001 (D18-3-1)")
    rate = details.get("excise_duty_rate")
    strength = details.get("alcohol_percent")
    row = excise.duty_rate(line.classification, line.version.release_date, Decimal(strength) if strength else None)
    if not rate or row is None or row.rate != rate:
        rule = excise.declared_duty(line.classification, line.version.release_date)
        if rule is None:
            return Why(label, line.excise_duty, declared, source)
        text = interpolate(
            _("%(declared)s %(rule)s"),
            {"declared": declared, "rule": rule.rule_fr if get_language() == "fr" else rule.rule_en},
        )
        return Why(label, line.excise_duty, text, rule.source)
    goods = row.goods_fr if get_language() == "fr" else row.goods_en
    text = interpolate(
        _("The quantity times the rate %(rate)s of %(goods)s, in force on the release date."),
        {"rate": rate, "goods": goods},
    )
    converted = excise.charged_quantity(row, line.quantity, line.unit, Decimal(strength) if strength else None)
    if converted is not None:  # litres and litres of absolute ethyl alcohol, by the alcohol content
        text = interpolate(
            _(
                "%(why)s The quantity, %(quantity)s %(unit)s at %(strength)s%% alcohol (field 96), "
                "is %(charged)s %(to)s."
            ),
            {
                "why": text,
                "quantity": f"{line.quantity.normalize():f}",
                "unit": line.unit,
                "strength": strength,
                "charged": f"{converted[0].quantize(Decimal('0.0001')).normalize():f}",
                "to": converted[1],
            },
        )
    return Why(label, line.excise_duty, text, row.source)


def _excise_tax_why(line, details: dict, declared) -> Why:
    """The excise tax's why: the rate of the excise tax table the assessment charged, else as declared."""
    label, source = _("Excise tax (field 63)"), _("Excise Tax Act, Part III")
    if excise.vehicle_taxed(line.classification):
        return _vehicle_why(line, label, declared, source)
    row = excise.tax_rate(line.classification, line.version.release_date)
    if row is None or details.get("excise_tax_rate") != row.rate:
        return Why(label, line.excise_tax, declared, source)
    text = interpolate(
        _("The quantity times the rate %(rate)s of %(goods)s, in force on the release date."),
        {"rate": row.rate, "goods": row.goods_fr if get_language() == "fr" else row.goods_en},
    )
    return Why(label, line.excise_tax, text, row.source)


def _vehicle_why(line, label, declared, source) -> Why:
    """A vehicle line's declared excise tax, each vehicle's share named by the amounts of Excise Tax Act
    Schedule I it adds up to; else as declared (a Luxury Tax, or a kind of amount not read for the date)."""
    day = line.version.release_date
    count = excise.counted(line.quantity, line.unit)
    parts = excise.vehicle_tax_parts(line.classification, day, line.excise_tax / count) if count else None
    if not parts:
        if excise.may_include_luxury_tax(line.classification, day):
            declared = interpolate(
                _(
                    "%(declared)s It is not a sum of Excise Tax Act Schedule I (an air conditioner, a fuel "
                    "consumption band) alone: it may include the Luxury Tax (Select Luxury Items Tax Act), which "
                    "CBSA codes with them (D18-5-1) and which is not computed here."
                ),
                {"declared": declared},
            )
        return Why(label, line.excise_tax, declared, source)
    french = get_language() == "fr"
    text = interpolate(
        _("As declared: %(count)s times %(each)s each, that is %(parts)s."),
        {
            "count": f"{count.normalize():f}",
            "each": cents(line.excise_tax / count),
            "parts": _(" and ").join(
                f"{part.amount:.2f} ({part.goods_fr if french else part.goods_en})" for part in parts
            ),
        },
    )
    return Why(label, line.excise_tax, text, "; ".join(part.source for part in parts))


def _cigar_why(line) -> Why | None:
    """The additional duty on cigars the assessment charged in field 63: the greater of its two terms
    (None if the table no longer has the period's row)."""
    row = excise.cigar_duty(line.classification, line.version.release_date)
    cigars = excise.counted(line.quantity, line.unit)
    if row is None or cigars is None:
        return None
    paid = excise.duty_paid_value(line.vfd, line.customs_duty, line.excise_duty)
    text = interpolate(
        _(
            "The greater of %(per_cigar)s a cigar times %(cigars)s cigars (%(specific)s) and %(percent)s%% of the "
            "duty-paid value %(paid)s, the value for duty plus the customs duty and the excise duty (%(share)s)."
        ),
        {
            "per_cigar": f"{row.per_cigar:f}",
            "cigars": f"{cigars.normalize():f}",
            "specific": cents(row.specific(cigars)),
            "percent": f"{row.percent.normalize():f}",
            "paid": paid,
            "share": cents(row.ad_valorem(paid)),
        },
    )
    return Why(_("Additional duty on cigars (field 63)"), line.excise_tax, text, row.source)


# The provincial levies CBSA collects, as a line declares them (D17-1-10 fields 94, 95, 97, 98).
LEVIES = {
    "pst_hst_qst": _("PST/HST/QST (field 94)"),
    "provincial_alcohol_tax": _("Provincial alcohol tax (field 95)"),
    "provincial_tobacco_tax": _("Provincial tobacco tax (field 97)"),
    "provincial_cannabis_duty": _("Provincial cannabis excise duty (field 98)"),
}
# D17-1-10 fields 99 to 116: the header totals, by field number, and what each sums (the version's
# assessed totals, the provincial levies and safeguard of its lines, the interest this version charged).
TOTALS = {
    99: ("vfd", _("Total value for duty")),
    100: ("pst_hst_qst", _("Total PST/HST (declared)")),
    101: ("provincial_cannabis_duty", _("Total provincial cannabis duty (declared)")),
    102: ("provincial_alcohol_tax", _("Total provincial alcohol tax (declared)")),
    103: ("provincial_tobacco_tax", _("Total provincial tobacco tax (declared)")),
    104: ("exempted", _("Total exempted (customs duty remitted, GST relieved)")),
    105: ("before_levies", _("Total amount (duties, taxes and SIMA, before provincial levies)")),
    106: ("customs_duty", _("Total customs duties")),
    107: ("excise_duty", _("Total excise duties")),
    108: ("excise_tax", _("Total excise taxes")),
    109: ("gst", _("Total GST")),
    110: ("sima", _("Total anti-dumping and countervailing duties (SIMA)")),
    112: ("surtax_only", _("Total surtax")),
    113: ("safeguard", _("Total safeguard")),
    114: ("interest", _("Total interest")),
    115: ("with_interest", _("Total duties and taxes with interest")),
    116: ("total", _("Total duties and taxes, provincial levies included")),
}


def header_totals(version, lines) -> dict[int, Decimal]:
    """The header totals of D17-1-10 (fields 99-116) of `version`, by field number. The version's
    total is what is billed, provincial levies included (field 116); field 105 leaves them out.
    Field 111 (countervailing, apart from anti-dumping) is not kept apart by the assessment and is
    left out."""
    sums = {
        name: sum((Decimal((line.details or {}).get(name, 0)) for line in lines), Decimal("0.00"))
        for name in [*LEVIES, "safeguard"]
    }
    sums.update(version.amounts(), interest=version.interest, exempted=sum(map(_exempted, lines), Decimal("0.00")))
    sums.update(
        with_interest=version.total + version.interest,
        before_levies=version.total - sum(sums[name] for name in LEVIES),
        surtax_only=version.surtax - sums["safeguard"],
    )
    return {number: sums[name] for number, (name, _title) in TOTALS.items()}


def _exempted(line) -> Decimal:
    """What a line does not pay by a special authority or an exemption (field 104): the customs
    duty remitted, and the GST its GST code relieves (the 5% GST less the GST assessed). Code 99
    relieves none: the GST is paid within the HST of field 94 (D17-1-10 Appendix B example 9)."""
    details = line.details or {}
    relieved = Decimal(0)
    if details.get("gst_code") not in (None, "", provincial.HST_GST_CODE):
        relieved = cents(line.value_for_tax * GST_RATE) - line.gst
    remitted = Decimal(details.get("remitted_customs_duty", 0)) + Decimal(details.get("remitted_gst", 0))
    return remitted + relieved
