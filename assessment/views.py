from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rights.policy import officer, public

from . import exchange, services
from .forms import EstimateForm, ExchangeRateForm

ROWS = {  # the estimate's amounts (services.AMOUNTS), as the table labels them
    "vfd": _("Value for duty (VFD)"),
    "customs_duty": _("Customs duty (CUD)"),
    "sima": _("Anti-dumping or countervailing duty (SIMA)"),
    "surtax": _("Surtax"),
    "excise_duty": _("Excise duty"),
    "excise_tax": _("Excise tax"),
    "value_for_tax": _("Value for tax (VFT)"),
    "gst": _("GST"),
    "total": _("Total payable"),
}


@public
def estimate(request):
    """Estimate duties and taxes: a GET form, so an estimate can be bookmarked and shared."""
    form = EstimateForm.for_query(request.GET)
    result, rows = None, []
    if form.is_valid():
        try:
            result = services.estimate_line(form.cleaned_data, form.cleaned_data["shipment_date"])
        except services.InputError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            rows = [(label, [option.amounts.get(name) for option in result.options]) for name, label in ROWS.items()]
    return render(request, "assessment/estimate.html", {"form": form, "result": result, "rows": rows})


@officer
def exchange_rates(request):
    """The rates officers maintain: the latest rate of each currency and where it comes from, and a
    form to enter a currency the Bank of Canada does not publish, or a day its feed missed."""
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange.enter_rate(
                request.user,
                data["currency"],
                data["date"],
                data["cad_per_unit"],
                today=timezone.localdate(),
                request=request,
            )
        except exchange.RateEntryError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The rate was saved; declarations of that date can now be assessed."))
            return redirect("assessment:exchange_rates")
    rows = exchange.latest_rates()
    return render(request, "assessment/exchange_rates.html", {"form": form, "rows": rows})
