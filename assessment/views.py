from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from rights.policy import public

from . import services
from .forms import EstimateForm

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
