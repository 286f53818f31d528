from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def elided_pages(page):
    """Page numbers around the current page, with ellipses (for pagination)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def isolate(value, source=None):
    """User-written text (a name, a title) in <bdi>, for use inside a translated
    sentence: Arabic or Hebrew keeps its direction without turning the sentence.

    `source` is what the text belongs to, whose `language` it was written in:
    the member for a name (`{{ post.author.display_name|isolate:post.author }}`),
    the thread, meetup or page for a title. The <bdi> then carries lang=, so Danish
    text under /en/ is read as Danish. The object rather than `x.language`,
    because a missing member (None) is fine as an argument and x.language is not.
    A plain language code works too. Not for attribute values."""
    language = source if isinstance(source, str) else getattr(source, "language", "")
    if language:
        return format_html('<bdi lang="{}">{}</bdi>', language, value)
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def site_name():
    """The site's name from settings (NETVAERK_SITE_NAME), for mail signatures."""
    from netvaerk.site import current_site

    return current_site().name
