"""The Atom feed of the public network letters (no login: public ones only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from letters.models import Letter, LetterAudience


class LetterFeed(Feed):
    feed_type = Atom1Feed
    title = _("Network letter")
    link = reverse_lazy("letters:letter_list")
    subtitle = _("The network letter's issues.")

    def items(self):
        return (
            Letter.objects.sent()
            .filter(audience=LetterAudience.PUBLIC)
            .order_by("-sent_at", "-pk")[:20]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro_html

    def item_pubdate(self, item):
        return item.sent_at
