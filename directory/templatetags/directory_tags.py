from django import template

from linkup.search import highlight as site_highlight

register = template.Library()


@register.filter
def highlight(text):
    """A search headline as HTML (``linkup.search.highlight``)."""
    return site_highlight(text)
