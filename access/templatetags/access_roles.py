"""A person's roles on a business, for pages of the apps below access (the business profile)."""

from django import template

import rights
from rights import Action

from .. import services

register = template.Library()


@register.simple_tag(takes_context=True)
def program_roles(context, business) -> dict:
    return services.program_roles_for(context["request"], business)


@register.simple_tag(takes_context=True)
def lone_bam(context, business) -> bool:
    """The person may administer the business and is its only BAM."""
    return rights.may(context["request"], Action.ADMINISTER, business) and services.bam_count(business) == 1
