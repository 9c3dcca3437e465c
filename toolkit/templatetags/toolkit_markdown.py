from django import template

from toolkit.markdown import render_markdown

register = template.Library()


@register.filter(name="toolkit_markdown")
def toolkit_markdown(text):
    """Toolkit Markdown as sanitised HTML with GOV.UK classes."""
    return render_markdown(text)
