from django import template

from linkup.models import directory_region_names

register = template.Library()


@register.simple_tag
def directory_regions():
    """The regions the directory covers, in words, for public copy."""
    return directory_region_names()
