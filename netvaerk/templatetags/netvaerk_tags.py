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


class KeptNode(template.Node):
    """``{% kept "name" value … %}…{% endkept %}``: the part is rendered once
    per set of values (with the language and time zone) and kept in the
    process (netvaerk.fragments); forms in it get the page's CSRF token. Every
    value the part prints must be among the values."""

    def __init__(self, name: str, values, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        from django.core.cache import caches
        from django.middleware.csrf import get_token

        from netvaerk.fragments import CSRF_STAND_IN, key_of

        values = tuple(_stable(value.resolve(context)) for value in self.values)
        key = key_of(f"kept-{self.name}", values)
        cache = caches["fragments"]
        html = cache.get(key)
        if html is None:
            with context.push(csrf_token=CSRF_STAND_IN):
                html = self.nodelist.render(context)
            cache.set(key, html)
        if CSRF_STAND_IN in html:
            html = html.replace(CSRF_STAND_IN, get_token(context["request"]))
        return html


def _stable(value):
    """A value as its key part: menu entries by name, lazy texts as text."""
    from django.utils.functional import Promise

    if isinstance(value, list | tuple):
        return tuple(_stable(item) for item in value)
    if isinstance(value, Promise):
        return str(value)
    if hasattr(value, "url_name") and hasattr(value, "name"):
        return (value.name, value.url_name, str(getattr(value, "label", "")))
    return value


@register.tag("kept")
def do_kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs a name")
    name = bits[1].strip("\"'")
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(name, values, nodelist)
