from django import template

from feedback.views import THANKS_TAG

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_thanks(context) -> str:
    """The thank-you, when the visitor has just sent feedback from this page.

    The page is then not shared from the cache: the request carries the
    messages cookie, which ``cached_page`` never serves from or stores."""
    storage = context.get("messages")
    if not storage:
        return ""
    found = [str(message) for message in storage if message.extra_tags == THANKS_TAG]
    return found[0] if found else ""
