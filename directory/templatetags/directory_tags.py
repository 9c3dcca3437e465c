from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from directory.models import HIGHLIGHT_START, HIGHLIGHT_STOP

register = template.Library()


@register.filter
def highlight(text):
    """A search headline as HTML: the text escaped first, then the matched
    words (between private-use markers) wrapped in <mark>."""
    escaped = escape(text or "")
    return mark_safe(  # noqa: S308 - everything but our own <mark> tags is escaped above
        escaped.replace(HIGHLIGHT_START, '<mark class="app-highlight">').replace(HIGHLIGHT_STOP, "</mark>")
    )
