from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def elided_pages(page):
    """Page numbers around the current page, with ellipses (for pagination)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def isolate(value):
    """User-written text (a name, a title) in <bdi>, for use inside a translated
    sentence: Arabic or Hebrew keeps its direction without turning the sentence."""
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def site_name():
    """The site's name from settings (NETVAERK_SITE_NAME), for mail signatures."""
    from netvaerk.site import current_site

    return current_site().name
