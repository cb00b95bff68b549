from django import forms
from django.utils.translation import gettext_lazy as _


class EstimateForm(forms.Form):
    """The estimator's inputs; numbers stay text here so that the estimator checks them once, with
    the same messages as the API."""

    classification = forms.CharField(
        label=_("Classification number"), max_length=13,
        help_text=_("The 10-digit number from the Customs Tariff, e.g. 2201.90.00.00."),
    )
    origin = forms.CharField(
        label=_("Country of origin"), max_length=2,
        help_text=_("Two-letter ISO country code, e.g. US, MX, FR, JP."),
    )
    value = forms.CharField(label=_("Value of the goods"), max_length=20,
                            help_text=_("The price paid, in the currency below, e.g. 30000.00."))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CAD",
                               help_text=_("Three-letter ISO currency code, e.g. CAD, USD, EUR."))
    quantity = forms.CharField(label=_("Quantity"), max_length=20, required=False,
                               help_text=_("Needed when the duty is charged per unit, e.g. per kilogram."))
    unit = forms.CharField(label=_("Unit of measure"), max_length=3, required=False,
                           help_text=_("UN/ECE code, e.g. KGM or LTR. Leave empty for the classification's own unit."))
    shipment_date = forms.DateField(label=_("Date of direct shipment"),
                                    help_text=_("YYYY-MM-DD. It sets the exchange rate and the tariff in force."))
