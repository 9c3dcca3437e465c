from django import template

from linkup.retention import retention_periods as periods

register = template.Library()


@register.simple_tag
def retention_periods() -> dict[str, str]:
    """The retention schedule's periods in words, from the settings the schedule runs on."""
    return periods()
