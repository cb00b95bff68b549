from django import template

import rights
from rights import Action

register = template.Library()


@register.inclusion_tag("payments/_pay_link.html", takes_context=True)
def pay_link(context, account):
    """A "Pay" button for the ledger's pages, shown to those who may pay the account."""
    request = context["request"]
    return {"account": account, "may_pay": rights.may(request, Action.PAY, account)}
