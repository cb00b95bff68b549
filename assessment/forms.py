from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import eligibility, exchange

_AMOUNT = _("An amount in Canadian dollars, e.g. 125.50.")
_RATE = _("A rate, e.g. 10% of the value for duty or $0.75/LTR on the quantity; or give the amount instead.")


def _country(value):
    if value.strip().upper() not in eligibility.country_list():
        raise ValidationError(
            _(
                "%(code)s is not a country of the Customs Tariff's List of Countries: "
                "give its two-letter code, e.g. US."
            ),
            code="unknown_country",
            params={"code": value},
        )


def _currency(value):
    if not exchange.known_currency(value):
        raise ValidationError(
            _("%(code)s is not a currency of the CBSA's list: give its three-letter ISO code, e.g. USD."),
            code="unknown_currency",
            params={"code": value},
        )


def _optional(label, help_text, max_length=30):
    return forms.CharField(label=label, help_text=help_text, max_length=max_length, required=False)


class EstimateForm(forms.Form):
    """The estimator's inputs; numbers stay text here so that the estimator checks them once, with
    the same messages as the API."""

    classification = forms.CharField(
        label=_("Classification number"),
        max_length=13,
        help_text=_("The 10-digit number from the Customs Tariff, e.g. 2201.90.00.00."),
    )
    origin = forms.CharField(
        label=_("Country of origin"),
        max_length=2,
        validators=[_country],
        help_text=_("Two-letter ISO country code, e.g. US, MX, FR, JP."),
    )
    value = forms.CharField(
        label=_("Value of the goods"),
        max_length=20,
        help_text=_("The price paid, in the currency below, e.g. 30000.00."),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="CAD",
        validators=[_currency],
        help_text=_("Three-letter ISO currency code, e.g. CAD, USD, EUR."),
    )
    quantity = forms.CharField(
        label=_("Quantity"),
        max_length=20,
        required=False,
        help_text=_("Needed when the duty is charged per unit, e.g. per kilogram."),
    )
    unit = forms.CharField(
        label=_("Unit of measure"),
        max_length=3,
        required=False,
        help_text=_("UN/ECE code, e.g. KGM or LTR. Leave empty for the classification's own unit."),
    )
    tariff_code = forms.CharField(
        label=_("Tariff code (Chapter 99)"),
        max_length=13,
        required=False,
        help_text=_("A Chapter 99 tariff item whose rate applies to the goods, e.g. 9967; leave empty if none."),
    )
    shipment_date = forms.DateField(
        label=_("Date of direct shipment"),
        help_text=_("YYYY-MM-DD. It sets the exchange rate and the tariff in force."),
    )
    # Other duties and taxes (services.CHARGES), in a collapsed section of the page.
    sima = _optional(_("Anti-dumping or countervailing duty (SIMA)"), _AMOUNT)
    sima_margin = _optional(
        _("SIMA margin, in percent of the value for duty"), _("E.g. 12.5; or give the SIMA amount instead.")
    )
    surtax_code = _optional(_("Surtax code"), _("The code of the surtax order, required with a surtax."), 10)
    surtax_rate = _optional(_("Surtax rate"), _RATE)
    surtax_amount = _optional(_("Surtax amount"), _AMOUNT)
    excise_duty = _optional(_("Excise duty"), _AMOUNT)
    excise_duty_rate = _optional(_("Excise duty rate"), _RATE)
    excise_tax = _optional(_("Excise tax"), _AMOUNT)
    excise_tax_rate = _optional(_("Excise tax rate"), _RATE)
    submitted = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")

    OTHER = (
        "sima",
        "sima_margin",
        "surtax_code",
        "surtax_rate",
        "surtax_amount",
        "excise_duty",
        "excise_duty_rate",
        "excise_tax",
        "excise_tax_rate",
    )

    @classmethod
    def for_query(cls, query):
        """Bound (validated) when submitted, or when a shared link gives every required input;
        else empty, pre-filled from the query (e.g. `?classification=` from the tariff's pages)."""
        required = [name for name, field in cls.base_fields.items() if field.required]
        if "submitted" in query or all(query.get(name) for name in required):
            return cls(query)
        return cls(initial={name: query[name] for name in cls.base_fields if query.get(name)})

    def main_fields(self):
        return [field for field in self if field.name not in self.OTHER]

    def other_fields(self):
        return [field for field in self if field.name in self.OTHER]

    def other_open(self) -> bool:
        """Open the other duties' section when one is given or wrong."""
        return any(field.value() or field.errors for field in self.other_fields())


class ExchangeRateForm(forms.Form):
    """An officer's rate (assessment.exchange.enter_rate checks the rules)."""

    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        validators=[_currency],
        help_text=_("Three-letter ISO currency code, e.g. TWD."),
    )
    date = forms.DateField(label=_("Date"), help_text=_("The business day the rate is for, as YYYY-MM-DD."))
    cad_per_unit = forms.DecimalField(
        label=_("Canadian dollars per unit"),
        max_digits=18,
        decimal_places=8,
        localize=True,  # a rate of 8 places: "0,04315" in French (a decimal comma, never thousands)
        help_text=_("e.g. 0.04315; the source's quote, as given."),
    )
